// Test doubles for the SDK: a manual clock, a scripted WebSocket and EventSource, a fetch stub,
// and a RelayClient wired to them.
import { Backoff, RelayClient } from '../relay-client.js';

/** Timers that run only when the test advances the clock. */
export class ManualTimers {
  constructor() {
    this.now = 0;
    this.nextId = 1;
    this.tasks = new Map();
  }

  setTimeout(fn, ms = 0) {
    const id = this.nextId++;
    this.tasks.set(id, { at: this.now + ms, fn });
    return id;
  }

  clearTimeout(id) {
    this.tasks.delete(id);
  }

  setInterval(fn, ms) {
    const id = this.nextId++;
    const run = () => {
      this.tasks.set(id, { at: this.now + ms, fn: () => { run(); fn(); } });
    };
    run();
    return id;
  }

  clearInterval(id) {
    this.tasks.delete(id);
  }

  /** Runs every task due within `ms`, in time order. */
  advance(ms) {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.tasks.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.tasks.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = end;
  }

  /** The delay of the next pending task, or null. */
  pendingDelay() {
    const next = [...this.tasks.values()].sort((a, b) => a.at - b.at)[0];
    return next ? next.at - this.now : null;
  }
}

/** Timers that fire on the next microtask turn, whatever the delay (for retry loops). */
export const instantTimers = {
  setTimeout: (fn) => { queueMicrotask(fn); return 0; },
  clearTimeout: () => {},
  setInterval: () => 0,
  clearInterval: () => {},
};

/** A WebSocket class whose instances the test drives; `FakeSocket.all` lists them in order. */
export function fakeWebSocket() {
  class FakeSocket {
    static all = [];

    constructor(url) {
      this.url = url;
      this.sent = [];
      this.readyState = 0;
      FakeSocket.all.push(this);
    }

    send(text) {
      this.sent.push(JSON.parse(text));
    }

    close() {
      this.readyState = 3;
    }

    // test side
    serverOpen() {
      this.readyState = 1;
      this.onopen?.({});
    }

    serverFrame(frame) {
      this.onmessage?.({ data: JSON.stringify(frame) });
    }

    serverClose(code, reason = '') {
      this.readyState = 3;
      this.onclose?.({ code, reason });
    }
  }
  return FakeSocket;
}

/** An EventSource class that records its instances. */
export function fakeEventSource() {
  class FakeSource {
    static all = [];

    constructor(url) {
      this.url = url;
      this.listeners = {};
      FakeSource.all.push(this);
    }

    addEventListener(type, fn) {
      (this.listeners[type] ??= []).push(fn);
    }

    close() {
      this.closed = true;
    }

    serverOpen() {
      this.onopen?.({});
    }

    serverEvent(type, frame, id) {
      for (const fn of this.listeners[type] ?? []) fn({ type, data: JSON.stringify(frame), lastEventId: id ?? '' });
    }

    serverError() {
      this.onerror?.({});
    }
  }
  return FakeSource;
}

/** A fetch whose answers come from `script`, one per call (`hang` waits for abort); calls are recorded. */
export function scriptedFetch(script) {
  const calls = [];
  const fn = async (url, init = {}) => {
    calls.push({ url, init, body: init.body ? JSON.parse(init.body) : undefined });
    const step = script.shift();
    if (!step) throw new Error(`unexpected fetch ${url}`);
    if (step.networkError) throw new TypeError('Failed to fetch');
    if (step.hang) {
      return new Promise((resolve, reject) => init.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    }
    return new Response(step.body === undefined || step.status === 204 ? null : JSON.stringify(step.body), {
      status: step.status, headers: { 'Content-Type': 'application/json', ...(step.headers ?? {}) },
    });
  };
  fn.calls = calls;
  return fn;
}

/** An unsigned JWT with `sub`, `exp` and any other claims (the SDK only reads them). */
export function token(sub, expSec = Math.floor(Date.now() / 1000) + 3600, claims = {}) {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256' })}.${part({ sub, exp: expSec, ...claims })}.sig`;
}

/** Storage with the localStorage interface. */
export class MemoryStorage {
  constructor() {
    this.map = new Map();
  }

  getItem(k) {
    return this.map.has(k) ? this.map.get(k) : null;
  }

  setItem(k, v) {
    this.map.set(k, String(v));
  }

  removeItem(k) {
    this.map.delete(k);
  }
}

/** Lets pending promise callbacks run. */
export const settle = () => new Promise((resolve) => setImmediate(resolve));

const URLS = { ingestUrl: 'http://ingest.test', pushUrl: 'http://push.test' };

/**
 * A RelayClient for user bob on device d1 over fake transports, with a manual clock and a backoff
 * that always waits its ceiling; `states` and `messages` record what it emitted.
 */
export function fakeClient(options = {}) {
  const WebSocket = fakeWebSocket();
  const EventSource = fakeEventSource();
  const timers = options.timers ?? new ManualTimers();
  const relay = new RelayClient({
    ...URLS, token: token('bob'), device: 'd1', storage: new MemoryStorage(), WebSocket, EventSource, timers,
    backoff: new Backoff({ random: () => 1 }), ...options,
  });
  const states = [];
  const messages = [];
  relay.on('state', (s) => states.push(`${s.state}:${s.transport}`));
  relay.on('message', (m) => messages.push(m.id));
  return { relay, WebSocket, EventSource, timers, states, messages };
}

export const hello = (recovered = true) => ({ type: 'hello', uid: 'bob', connectionId: 'c', heartbeatSec: 25, recovered });
