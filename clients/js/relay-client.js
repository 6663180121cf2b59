// Relay browser client: receive over WebSocket (falling back to SSE, then long-poll), send over
// HTTP, subscribe to channels. One ES module, no dependencies, no build step. See README.md beside
// this file; relay-client.d.ts declares its API.
//
// Wire contract: auth, sending, receiving and its fallbacks, channels and errors as the project's
// docs (docs/api.md) describe them.

const DEFAULT_TRANSPORTS = ['ws', 'sse', 'poll'];
const POLL_WAIT_SEC = 25;
const NAME = /^[A-Za-z0-9_.:@-]{1,64}$/;
const ENDS_LIKE_OFFSET = /:\d+-\d+$/;
const CHANNEL_RETRY_MS = 1000;
const TYPING_EVERY_MS = 2000;
const TYPING_SHOWN_MS = 5000;

/** Compares two seqs (`<millis>-<n>` or `<millis>`): negative, zero or positive. */
export function compareSeq(a, b) {
  const [am, ac = '0'] = String(a).split('-');
  const [bm, bc = '0'] = String(b).split('-');
  return Number(am) - Number(bm) || Number(ac) - Number(bc);
}

/** Exponential backoff with full jitter: attempt n waits random(0, min(max, base·2ⁿ)). */
export class Backoff {
  constructor({ baseMs = 500, maxMs = 30000, random = Math.random } = {}) {
    this.baseMs = baseMs;
    this.maxMs = maxMs;
    this.random = random;
    this.attempt = 0;
  }

  /** The ceiling of the next delay, before jitter. */
  ceiling() {
    return Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
  }

  /** The next delay in ms; each call raises the ceiling until it reaches maxMs. */
  next() {
    const delay = Math.floor(this.random() * this.ceiling());
    this.attempt++;
    return delay;
  }

  reset() {
    this.attempt = 0;
  }
}

/** Remembers the last `capacity` keys seen, so a message delivered twice is shown once. */
export class Deduper {
  constructor(capacity = 1000) {
    this.capacity = capacity;
    this.keys = new Set();
  }

  /** True when `key` was seen before; otherwise records it (evicting the oldest) and returns false. */
  seen(key) {
    if (key == null) return false;
    if (this.keys.has(key)) return true;
    this.keys.add(key);
    if (this.keys.size > this.capacity) {
      this.keys.delete(this.keys.values().next().value);
    }
    return false;
  }

  get size() {
    return this.keys.size;
  }
}

/**
 * Cumulative acks in batches: `delivered(seq)` records the highest seq; it is sent at most every
 * `intervalMs`, or at once when `maxPending` deliveries are waiting.
 */
export class AckBatcher {
  constructor({ send, intervalMs = 1000, maxPending = 20, timers = globalThis } = {}) {
    this.send = send;
    this.intervalMs = intervalMs;
    this.maxPending = maxPending;
    this.timers = timers;
    this.highest = null;
    this.pending = 0;
    this.timer = null;
  }

  delivered(seq) {
    if (this.highest == null || compareSeq(seq, this.highest) > 0) this.highest = seq;
    this.pending++;
    if (this.pending >= this.maxPending) {
      this.flush();
    } else if (this.timer == null) {
      this.timer = this.timers.setTimeout(() => this.flush(), this.intervalMs);
    }
  }

  /** Sends the highest seq delivered since the last flush, if any. */
  flush() {
    this.cancelTimer();
    if (this.pending === 0) return;
    this.pending = 0;
    this.send(this.highest);
  }

  /** Forgets what is pending (the connection it belonged to is gone). */
  reset() {
    this.cancelTimer();
    this.pending = 0;
    this.highest = null;
  }

  cancelTimer() {
    if (this.timer != null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}

/** The resume cursor per user and device, in localStorage when there is one, else in memory. */
export class CursorStore {
  constructor(storage = CursorStore.defaultStorage()) {
    this.storage = storage;
    this.memory = new Map();
  }

  static defaultStorage() {
    try {
      const probe = '__relay_probe__';
      globalThis.localStorage.setItem(probe, '1');
      globalThis.localStorage.removeItem(probe);
      return globalThis.localStorage;
    } catch {
      return null;
    }
  }

  static key(uid, device) {
    return `relay:cursor:${uid}:${device}`;
  }

  get(uid, device) {
    const key = CursorStore.key(uid, device);
    try {
      if (this.storage) return this.storage.getItem(key) ?? this.memory.get(key) ?? null;
    } catch { /* storage disabled: fall through */ }
    return this.memory.get(key) ?? null;
  }

  set(uid, device, seq) {
    const key = CursorStore.key(uid, device);
    this.memory.set(key, seq);
    try {
      if (this.storage) this.storage.setItem(key, seq);
    } catch { /* quota or privacy mode: memory keeps it */ }
  }
}

/**
 * The channels a client wants, each with its handlers and the offset of the last message handed to
 * them: what to (re)subscribe with after every reconnect, and which frames are repeats to drop.
 */
export class ChannelSet {
  constructor() {
    this.channels = new Map(); // name → {offset, handlers, resumed}
  }

  /** Adds a handler; `since` is the starting offset of a channel not wanted yet. True when the channel is new. */
  add(channel, handler, since = null) {
    const known = this.channels.get(channel);
    if (known) {
      known.handlers.add(handler);
      return false;
    }
    this.channels.set(channel, { offset: fullOffset(since), handlers: new Set([handler]), resumed: false });
    return true;
  }

  /** Removes a handler; true when it was the channel's last one and the channel is gone. */
  remove(channel, handler) {
    const state = this.channels.get(channel);
    if (!state?.handlers.delete(handler) || state.handlers.size > 0) return false;
    this.channels.delete(channel);
    return true;
  }

  /** Forgets a channel and all its handlers (the server refused it). */
  drop(channel) {
    return this.channels.delete(channel);
  }

  has(channel, handler) {
    const state = this.channels.get(channel);
    return state != null && (handler == null || state.handlers.has(handler));
  }

  names() {
    return [...this.channels.keys()];
  }

  get size() {
    return this.channels.size;
  }

  offset(channel) {
    return this.channels.get(channel)?.offset ?? null;
  }

  handlers(channel) {
    return [...(this.channels.get(channel)?.handlers ?? [])];
  }

  /**
   * Where `channel` starts on a new subscription: after its last offset, or (null) from now on.
   * Noted, so that `armed` knows whether a replay follows.
   */
  resumeFrom(channel) {
    const state = this.channels.get(channel);
    state.resumed = state.offset != null;
    return state.offset;
  }

  /** The WebSocket subscribe frame for `channel`, resuming after its last offset when there is one. */
  subscribeFrame(channel) {
    const since = this.resumeFrom(channel);
    return since != null ? { type: 'subscribe', channel, since } : { type: 'subscribe', channel };
  }

  /**
   * The server armed live delivery and says its newest offset then (null: none yet). Without a
   * `since` that is where a later resume starts (`0`, the start, for an empty channel); with one,
   * the replay that follows moves the cursor instead.
   */
  armed(channel, offset) {
    const state = this.channels.get(channel);
    if (state && !state.resumed) this.advance(channel, offset ?? '0-0');
  }

  /** Moves the channel's cursor forward to `offset` (never back). */
  advance(channel, offset) {
    const state = this.channels.get(channel);
    if (state && offset != null && (state.offset == null || compareSeq(offset, state.offset) > 0)) {
      state.offset = fullOffset(offset);
    }
  }

  /**
   * True for a message frame to hand to the channel's handlers, and moves the cursor to it; false
   * for a channel not wanted (any more) or a stored message at or before the cursor (a repeat).
   * Transient messages carry no offset and always pass.
   */
  accept(frame) {
    const state = this.channels.get(frame.channel);
    if (!state) return false;
    if (frame.offset == null) return true;
    if (state.offset != null && compareSeq(frame.offset, state.offset) <= 0) return false;
    state.offset = frame.offset;
    return true;
  }

  /**
   * The `channels` query parameter of SSE and long-poll: `name:<offset>` resumes after the offset,
   * a bare `name` starts from now on. The server reads a trailing `:<millis>-<n>` as the offset, so
   * a name that itself ends like one is always sent with an offset (`0-0`, from the start).
   */
  param() {
    return this.names().map((name) => {
      let since = this.resumeFrom(name);
      if (since == null && ENDS_LIKE_OFFSET.test(name)) {
        since = '0-0';
        this.channels.get(name).resumed = true;
      }
      return since != null ? `${name}:${since}` : name;
    }).join(',');
  }
}

/**
 * An offset in its full form `<millis>-<n>` (`'0'` → `'0-0'`): SSE and long-poll recognise only
 * that form after a channel name.
 */
function fullOffset(offset) {
  return offset != null && /^\d+$/.test(String(offset)) ? `${offset}-0` : offset;
}

/** Whether a token claim's patterns grant `channel`: an exact name, or a prefix ending in `*`. */
export function channelAllowed(patterns, channel) {
  return Array.isArray(patterns)
    && patterns.some((p) => (String(p).endsWith('*') ? channel.startsWith(String(p).slice(0, -1)) : p === channel));
}

/**
 * The conversation a frame belongs to: `r:<room>` for a room, `u:<peer>` for a direct message
 * (the other side, whichever way it went), or the frame's own `conversation`; null when unknown.
 */
export function conversationOf(frame, me) {
  if (frame.conversation != null) return frame.conversation;
  if (frame.room != null) return `r:${frame.room}`;
  const peer = frame.from === me ? frame.to : frame.from;
  return peer != null ? `u:${peer}` : null;
}

/** Message ids (ULIDs) sort in the order they were made; null is before every id. */
function idAfter(a, b) {
  return a != null && (b == null || String(a) > String(b));
}

/**
 * The user's conversations as a chat list draws them, kept in step by the entries of the user's
 * log: the server's list (`load`), then messages, `read_marker`, `edit` and `recall` entries.
 * Unread counts: the server's count for what it listed, plus messages from others seen since
 * after the read marker; a marker from another device clears the listed part when it reaches the
 * message the list showed last (`markRead` answers the exact count).
 */
export class Conversations {
  constructor() {
    this.byId = new Map(); // id → {id, peer, room, last, readUpTo, listed, listedUpTo, pending}
  }

  /** Takes conversations as `GET /v1/conversations` lists them (a later page adds to the first). */
  load(list) {
    for (const c of list ?? []) {
      this.byId.set(c.id, {
        id: c.id, peer: c.peer ?? null, room: c.room ?? null, last: c.last ?? null, readUpTo: c.readUpTo ?? null,
        listed: c.unread ?? 0, listedUpTo: c.last?.id ?? null, pending: [],
      });
    }
    return this.list();
  }

  /** A conversation as the app sees it, or null. */
  get(id) {
    const c = this.byId.get(id);
    return c ? view(c) : null;
  }

  /** Every conversation known, the most recent first. */
  list() {
    return [...this.byId.values()].sort((a, b) => (b.last?.ts ?? 0) - (a.last?.ts ?? 0)).map(view);
  }

  /** A message of the user's log (direct or room): the conversation's last, and unread when from someone else. */
  message(frame, me) {
    const id = conversationOf(frame, me);
    if (id == null) return null;
    const c = this.entry(id, frame);
    if (!c.last || (frame.ts ?? 0) >= (c.last.ts ?? 0)) c.last = frame;
    if (frame.from !== me && idAfter(frame.id, c.readUpTo) && idAfter(frame.id, c.listedUpTo) && !c.pending.includes(frame.id)) {
      c.pending.push(frame.id);
    }
    return view(c);
  }

  /** The user read `id` up to `upTo` (here or on another device); `unread` is the server's count when known. */
  read(id, upTo, unread = null) {
    const c = this.byId.get(id);
    if (!c) return null;
    if (idAfter(upTo, c.readUpTo)) c.readUpTo = upTo;
    c.pending = c.pending.filter((m) => idAfter(m, c.readUpTo));
    if (unread != null) {
      c.listed = unread;
      c.pending = [];
      c.listedUpTo = idAfter(c.last?.id, c.readUpTo) ? c.last.id : c.readUpTo;
    } else if (!idAfter(c.listedUpTo, c.readUpTo)) {
      c.listed = 0;
    }
    return view(c);
  }

  /** A message's body changed: the conversations showing it as their last change with it. */
  edit({ id, body }) {
    return this.replaceLast(id, (last) => ({ ...last, body, edited: true }));
  }

  /** A message was taken back: it no longer counts as unread, and a `last` showing it says so. */
  recall({ id }) {
    for (const c of this.byId.values()) c.pending = c.pending.filter((m) => m !== id);
    return this.replaceLast(id, ({ body, ...last }) => ({ ...last, recalled: true }));
  }

  replaceLast(messageId, change) {
    const changed = [];
    for (const c of this.byId.values()) {
      if (c.last?.id === messageId) {
        c.last = change(c.last);
        changed.push(view(c));
      }
    }
    return changed;
  }

  entry(id, frame) {
    let c = this.byId.get(id);
    if (!c) {
      c = {
        id, peer: id.startsWith('u:') ? id.slice(2) : null, room: frame.room ?? null, last: null, readUpTo: null,
        listed: 0, listedUpTo: null, pending: [],
      };
      this.byId.set(id, c);
    }
    return c;
  }
}

function view(c) {
  return { id: c.id, peer: c.peer, room: c.room, last: c.last, unread: c.listed + c.pending.length, readUpTo: c.readUpTo };
}

/**
 * Who is typing where: each `typing` frame shows its sender for `shownMs`, and another frame
 * within that time keeps them shown. `onChange` hears `{conversation, from, typing}` each time.
 */
export class TypingIndicators {
  constructor({ onChange, shownMs = TYPING_SHOWN_MS, timers = globalThis } = {}) {
    this.onChange = onChange;
    this.shownMs = shownMs;
    this.timers = timers;
    this.shown = new Map(); // "conversation from" → timer
  }

  /** A `typing` frame for the user `me`: shows its sender, for a while. */
  seen(frame, me) {
    const conversation = conversationOf(frame, me);
    if (conversation == null || frame.from == null) return;
    const key = `${conversation} ${frame.from}`;
    this.cancel(key);
    this.shown.set(key, this.timers.setTimeout(() => this.stop(conversation, frame.from), this.shownMs));
    this.onChange({ conversation, from: frame.from, room: frame.room ?? null, typing: true, expiresInMs: this.shownMs });
  }

  /** `from` stopped typing in `conversation` (time ran out, or their message came). */
  stop(conversation, from) {
    const key = `${conversation} ${from}`;
    if (!this.shown.has(key)) return;
    this.cancel(key);
    this.onChange({ conversation, from, room: conversation.startsWith('r:') ? conversation.slice(2) : null, typing: false });
  }

  /** Who is typing in `conversation` now. */
  typing(conversation) {
    return [...this.shown.keys()].filter((k) => k.startsWith(`${conversation} `)).map((k) => k.slice(conversation.length + 1));
  }

  /** Forgets everyone (the connection is gone), without events. */
  clear() {
    for (const key of [...this.shown.keys()]) this.cancel(key);
  }

  cancel(key) {
    if (this.shown.has(key)) this.timers.clearTimeout(this.shown.get(key));
    this.shown.delete(key);
  }
}

/** An error answered by the server (or a network failure, status 0); `channel` when it is about one. */
export class RelayError extends Error {
  constructor(status, code, message, channel = null) {
    super(message);
    this.name = 'RelayError';
    this.status = status;
    this.code = code;
    this.channel = channel;
  }
}

/** The `sub` of a JWT (the user id), or null when it cannot be read. */
export function tokenSubject(token) {
  return tokenClaims(token)?.sub ?? null;
}

function tokenClaims(token) {
  try {
    const part = String(token).split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part + '='.repeat((4 - (part.length % 4)) % 4)));
  } catch {
    return null;
  }
}

function checkChannel(channel) {
  if (typeof channel !== 'string' || !NAME.test(channel)) {
    throw new TypeError(`not a channel name (1-64 of A-Z a-z 0-9 _ . : @ -): ${channel}`);
  }
}

function newClientMsgId() {
  if (globalThis.crypto?.randomUUID) return `c-${globalThis.crypto.randomUUID()}`;
  return `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

function query(params) {
  const parts = Object.entries(params)
    .filter(([, v]) => v != null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** The JSON of an answer, or `{}` for an empty one. */
async function jsonOf(response) {
  const text = await response.text();
  return text ? JSON.parse(text) : {};
}

async function errorOf(response) {
  try {
    const body = await response.json();
    if (body?.error) return new RelayError(response.status, body.error.code, body.error.message);
  } catch { /* not JSON */ }
  return new RelayError(response.status, 'http_' + response.status, response.statusText || 'request failed');
}

// --- Transports: open(params) starts one connection; the client hears frames and one close. ----
//
// Each reports to its `sink`: frame(obj), opened() once the connection is usable, closed(info)
// exactly once with {code, reason, opened}. `sendFrame` exists on WebSocket only.

class WsTransport {
  constructor(env, sink) {
    this.env = env;
    this.sink = sink;
    this.name = 'ws';
  }

  open({ token, since, device }) {
    const url = this.env.pushUrl.replace(/^http/, 'ws') + '/v1/ws' + query({ token, since, device });
    const socket = new this.env.WebSocket(url);
    this.socket = socket;
    let opened = false;
    let done = false;
    socket.onopen = () => {
      opened = true;
      this.sink.opened();
    };
    socket.onmessage = (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      this.sink.frame(frame);
    };
    socket.onclose = (event) => {
      if (done) return;
      done = true;
      this.sink.closed({ code: event.code, reason: event.reason, opened });
    };
  }

  sendFrame(frame) {
    if (this.socket?.readyState !== 1) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  close() {
    const socket = this.socket;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    try {
      socket.close(1000, 'client closed');
    } catch { /* already closing */ }
  }
}

class SseTransport {
  constructor(env, sink) {
    this.env = env;
    this.sink = sink;
    this.name = 'sse';
  }

  open({ token, since, device, channels }) {
    const url = this.env.pushUrl + '/v1/sse' + query({ token, since, device, channels: channels?.param() });
    const source = new this.env.EventSource(url);
    this.source = source;
    let opened = false;
    const onEvent = (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (!frame.type) frame.type = event.type === 'channel' ? 'message' : event.type;
      // EventSource keeps the last id across events, so an id-less (transient) event must not inherit it.
      if (event.type === 'message' && frame.seq == null && !frame.transient && event.lastEventId) {
        frame.seq = event.lastEventId;
      }
      this.sink.frame(frame);
    };
    for (const type of ['hello', 'message', 'receipt', 'member', 'channel', 'subscribed', 'typing']) {
      source.addEventListener(type, onEvent);
    }
    source.addEventListener('error', (e) => e.data && onEvent(e));
    // The server ends a stream with `event: close` carrying the code a WebSocket would get.
    source.addEventListener('close', (e) => {
      let code = 1006;
      try {
        code = JSON.parse(e.data).code ?? code;
      } catch { /* keep 1006 */ }
      this.close();
      this.sink.closed({ code, reason: 'sse closed by server', opened: true });
    });
    source.onopen = () => {
      opened = true;
      this.sink.opened();
    };
    // EventSource would reconnect by itself without our cursor or backoff: close and report.
    source.onerror = (e) => {
      if (e?.data) return;
      this.close();
      this.sink.closed({ code: 1006, reason: 'sse error', opened });
    };
  }

  /** The channels changed: a stream's channels are fixed, so open a new one in its place. */
  reopen(params) {
    this.close();
    this.open(params);
  }

  close() {
    if (this.source) {
      this.source.onopen = this.source.onerror = null;
      this.source.close();
    }
  }
}

/**
 * Long-poll: one request at a time, each from the cursor the last one returned and with the
 * channels (and their offsets) wanted now. The token travels in the Authorization header.
 */
class PollTransport {
  constructor(env, sink) {
    this.env = env;
    this.sink = sink;
    this.name = 'poll';
  }

  open({ token, since, device, channels }) {
    this.abort = new AbortController();
    this.loop(token, since, device, channels, this.abort.signal);
  }

  async loop(token, since, device, channels, signal) {
    let opened = false;
    let cursor = since;
    while (!signal.aborted) {
      this.request = new AbortController();
      const request = this.request;
      const stop = () => request.abort();
      signal.addEventListener('abort', stop);
      const timeout = this.env.timers.setTimeout(stop, (POLL_WAIT_SEC + 15) * 1000);
      try {
        const params = { since: cursor, wait: POLL_WAIT_SEC, device, channels: channels?.param() };
        const response = await this.env.fetch(this.env.pushUrl + '/v1/poll' + query(params), {
          signal: request.signal, cache: 'no-store', headers: { Authorization: `Bearer ${token}` },
        });
        if (response.status === 401) return this.end({ code: 4001, reason: 'unauthorized', opened });
        if (!response.ok) {
          const error = await errorOf(response);
          this.sink.frame({ type: 'error', status: error.status, code: error.code, message: error.message });
          return this.end({ code: 1013, reason: `poll answered ${response.status}`, opened });
        }
        const body = await response.json();
        if (!opened) {
          opened = true;
          this.sink.opened();
          if (body.recovered === false) this.sink.frame({ type: 'gap', recovered: false });
        }
        if (signal.aborted) return;
        for (const frame of body.messages ?? []) this.sink.frame(frame.type ? frame : { ...frame, type: 'message' });
        for (const [channel, answer] of Object.entries(body.channels ?? {})) {
          for (const frame of answer.messages ?? []) this.sink.frame({ type: 'message', channel, ...frame });
          this.sink.frame({ type: 'channel-next', channel, next: answer.next ?? null });
        }
        if (body.next) cursor = body.next;
      } catch {
        if (request.refreshed && !signal.aborted) continue; // the channels changed: ask again at once
        return this.end({ code: 1006, reason: 'poll failed', opened });
      } finally {
        signal.removeEventListener('abort', stop);
        this.env.timers.clearTimeout(timeout);
      }
    }
  }

  /** The channels changed: give up the request held now and ask again with the new ones. */
  reopen() {
    if (!this.request) return;
    this.request.refreshed = true;
    this.request.abort();
  }

  end(info) {
    if (!this.closedByClient) this.sink.closed(info);
  }

  close() {
    this.closedByClient = true;
    this.abort?.abort();
  }
}

const TRANSPORTS = { ws: WsTransport, sse: SseTransport, poll: PollTransport };

// --- The client --------------------------------------------------------------------------------

/** One handler's interest in a channel, as `RelayClient.subscribe` returns it. */
export class Subscription {
  constructor(client, channel, handler) {
    this.client = client;
    this.channel = channel;
    this.handler = handler;
  }

  /** The offset of the channel's last message handed to the handlers (the resume point), or null. */
  get offset() {
    return this.client.channels.offset(this.channel);
  }

  /** False once unsubscribed, or when the server refused the channel (see the `error` event). */
  get active() {
    return this.client.channels.has(this.channel, this.handler);
  }

  /** Stops this handler; the last handler of a channel unsubscribes it on the server. */
  unsubscribe() {
    this.client.removeChannelHandler(this.channel, this.handler);
  }
}

/**
 * A Relay connection for one user and device. Events: `message`, `receipt`, `member`, `edit`,
 * `recall`, `read_marker`, `conversation` (one changed), `typing`, `state` ({state, transport}),
 * `gap` (the server could not resume from our cursor, or a channel from its offset), `subscribed`,
 * `unsubscribed`, `error`.
 */
export class RelayClient {
  constructor({
    ingestUrl, pushUrl, token, getToken, device = 'default', transports = DEFAULT_TRANSPORTS,
    backoff, dedupeWindow = 1000, ackIntervalMs = 1000, ackEvery = 20, sendAttempts = 6,
    storage, WebSocket: Ws, EventSource: Es, fetch: fetchFn, timers = globalThis, now = () => Date.now(),
  } = {}) {
    if (!ingestUrl || !pushUrl) throw new TypeError('ingestUrl and pushUrl are required');
    if (!token && !getToken) throw new TypeError('token or getToken is required');
    this.ingestUrl = ingestUrl.replace(/\/$/, '');
    this.token = token ?? null;
    this.getToken = getToken ?? null;
    this.device = device;
    this.transports = transports.filter((t) => TRANSPORTS[t]);
    this.sendAttempts = sendAttempts;
    this.now = now;
    this.env = {
      pushUrl: pushUrl.replace(/\/$/, ''),
      WebSocket: Ws ?? globalThis.WebSocket,
      EventSource: Es ?? globalThis.EventSource,
      fetch: fetchFn ?? ((...args) => globalThis.fetch(...args)),
      timers,
    };
    this.backoff = backoff ?? new Backoff();
    this.sendBackoff = { baseMs: 250, maxMs: 8000 };
    this.deduper = new Deduper(dedupeWindow);
    this.cursors = storage === undefined ? new CursorStore() : new CursorStore(storage);
    this.acks = new AckBatcher({ send: (seq) => this.sendAck(seq), intervalMs: ackIntervalMs, maxPending: ackEvery, timers });
    this.channels = new ChannelSet();
    this.conversations = new Conversations();
    this.typers = new TypingIndicators({ onChange: (change) => this.emit('typing', change), timers });
    this.typingSentAt = new Map(); // conversation → when our last typing frame went out
    this.listeners = new Map();
    this.state = 'closed';
    this.transport = null;
    this.transportIndex = 0;
    this.uid = null;
    this.lastSeq = null;
    this.heartbeatMs = 0;
    this.lastFrameAt = 0;
    this.stopped = true;
    this.attempts = 0;
    this.everOpened = false;
  }

  /** Adds a listener; returns a function that removes it. */
  on(event, fn) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event).add(fn);
    return () => this.listeners.get(event)?.delete(fn);
  }

  emit(event, data) {
    for (const fn of this.listeners.get(event) ?? []) {
      try {
        fn(data);
      } catch (e) {
        console.error(`relay: ${event} listener failed`, e);
      }
    }
  }

  /** Starts receiving; reconnects by itself until close(). */
  connect() {
    if (!this.stopped) return;
    this.stopped = false;
    this.transportIndex = 0;
    this.everOpened = false;
    this.watchNetwork(true);
    this.openNext();
  }

  /** Stops receiving, flushes pending acks, and reconnects no more. */
  close() {
    this.stopped = true;
    this.acks.flush();
    this.acks.reset();
    this.clearTimers();
    this.typers.clear();
    this.watchNetwork(false);
    this.dropTransport();
    this.setState('closed');
  }

  /**
   * Sends a message: `{to, body}` or `{room, body}`. Resolves `{id, ts}` (or `{id, duplicate}`);
   * retries network failures and 503 with the same clientMsgId, so a retry never duplicates;
   * rejects with a RelayError for 4xx.
   */
  async send({ to, room, body, clientMsgId = newClientMsgId() }) {
    const payload = room != null ? { room, body, clientMsgId } : { to, body, clientMsgId };
    // The message ends "typing" where it arrives, so the next key press must say so again at once.
    this.typingSentAt.delete(room != null ? `r:${room}` : `u:${to}`);
    return { ...(await this.request('POST', '/v1/messages', payload)), clientMsgId };
  }

  /**
   * One page of the user's conversations, the most recent first: `{conversations, next}`, where
   * `next` (or null) is the `before` of the following page. The page joins `client.conversations`,
   * which the log's entries keep in step from then on.
   */
  async listConversations({ limit, before } = {}) {
    const page = await this.request('GET', '/v1/conversations' + query({ limit, before }));
    this.conversations.load(page.conversations);
    return { conversations: (page.conversations ?? []).map((c) => this.conversations.get(c.id)), next: page.next ?? null };
  }

  /**
   * Moves the read marker of a conversation (`u:<peer>` or `r:<room>`) forward to message `upTo`;
   * the user's other devices hear a `read_marker`. Resolves `{unread}`, the server's count after it.
   */
  async markRead(conversationId, upTo) {
    if (typeof conversationId !== 'string' || !/^[ur]:/.test(conversationId) || !NAME.test(conversationId.slice(2))) {
      throw new TypeError(`not a conversation id (u:<user> or r:<room>): ${conversationId}`);
    }
    const { unread } = await this.request('POST', `/v1/conversations/${conversationId}/read`, { upTo });
    const conversation = this.conversations.read(conversationId, upTo, unread);
    if (conversation) this.emit('conversation', conversation);
    return { unread };
  }

  /** Changes the body of a message the user sent; every log holding it gets an `edit` entry. */
  edit(messageId, body) {
    return this.request('PATCH', `/v1/messages/${encodeURIComponent(messageId)}`, { body });
  }

  /** Takes back a message the user sent; every log holding it gets a `recall` entry. */
  recall(messageId) {
    return this.request('DELETE', `/v1/messages/${encodeURIComponent(messageId)}`);
  }

  /**
   * Tells `{to}` or the members of `{room}` that the user is typing (WebSocket only, like `read`).
   * At most one frame per conversation every 2 s, counted afresh after each `send` to it: call it
   * on every key press. False when nothing went out (too soon, or the transport cannot carry it).
   */
  typing({ to, room } = {}) {
    const conversation = room != null ? `r:${room}` : `u:${to}`;
    const now = this.now();
    if (now - (this.typingSentAt.get(conversation) ?? -Infinity) < TYPING_EVERY_MS) return false;
    const sent = this.transport?.sendFrame?.(room != null ? { type: 'typing', room } : { type: 'typing', to }) ?? false;
    if (!sent) return false;
    for (const [key, at] of this.typingSentAt) if (now - at >= TYPING_EVERY_MS) this.typingSentAt.delete(key);
    this.typingSentAt.set(conversation, now);
    return true;
  }

  /**
   * Publishes to a channel (the token needs a `publish` claim that grants it). Resolves
   * `{id, offset, ts}` once stored (or `{id, duplicate}`), with the same retries as `send`. A
   * transient message is not stored: `{delivered}`, and a network failure is not retried (it
   * could reach subscribers twice).
   */
  async publish(channel, body, { transient = false, clientMsgId = newClientMsgId() } = {}) {
    checkChannel(channel);
    const path = `/v1/channels/${channel}/messages`;
    if (transient) return this.request('POST', path, { body, transient: true }, { retryNetwork: false });
    return { ...(await this.request('POST', path, { body, clientMsgId })), clientMsgId };
  }

  /**
   * Hands every message of `channel` to `handler`, from now on (or after the offset `since`, for a
   * channel not subscribed yet), once each and in order, across reconnects: after each one the
   * client resubscribes from the last offset it delivered. Returns a Subscription.
   */
  subscribe(channel, handler, { since = null } = {}) {
    checkChannel(channel);
    if (typeof handler !== 'function') throw new TypeError('subscribe needs a handler function');
    const own = (message) => handler(message); // one entry per call, even for the same function twice
    if (this.channels.add(channel, own, since)) this.channelsChanged(channel, true);
    return new Subscription(this, channel, own);
  }

  removeChannelHandler(channel, handler) {
    if (this.channels.remove(channel, handler)) this.channelsChanged(channel, false);
  }

  /** Tells the server: a frame on a WebSocket; a new stream or request on SSE and long-poll. */
  channelsChanged(channel, wanted) {
    if (this.state !== 'open' || !this.transport) return; // the next connection carries the channels
    if (this.transport.sendFrame) {
      this.transport.sendFrame(wanted ? this.channels.subscribeFrame(channel) : { type: 'unsubscribe', channel });
      return;
    }
    if (this.reopenPending) return; // several changes in one turn: one new stream
    this.reopenPending = true;
    queueMicrotask(() => this.reopenForChannels());
  }

  async reopenForChannels() {
    this.reopenPending = false;
    const transport = this.transport;
    if (!transport?.reopen || this.stopped) return;
    const token = await this.currentToken().catch(() => this.token);
    if (transport !== this.transport) return;
    this.dropForbiddenChannels(token);
    transport.reopen(this.openParams(token));
  }

  /** Calls ingest (JSON in and out) with the retries `send` documents; resolves the answer's JSON. */
  async request(method, path, payload, { retryNetwork = true } = {}) {
    const json = payload === undefined ? undefined : JSON.stringify(payload);
    const backoff = new Backoff(this.sendBackoff);
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      let response;
      try {
        const headers = { Authorization: `Bearer ${await this.currentToken()}` };
        if (json !== undefined) headers['Content-Type'] = 'application/json';
        response = await this.env.fetch(this.ingestUrl + path, { method, headers, body: json });
      } catch (e) {
        if (!retryNetwork || attempt >= this.sendAttempts) {
          throw new RelayError(0, 'network', `send failed: ${e?.message ?? e}`);
        }
        await this.sleep(backoff.next());
        continue;
      }
      if (response.ok) return jsonOf(response);
      if (response.status === 401 && this.getToken && !refreshed) {
        refreshed = true;
        await this.refreshToken();
        continue;
      }
      if ((response.status === 503 || response.status === 429) && attempt < this.sendAttempts) {
        const retryAfter = Number(response.headers?.get?.('Retry-After'));
        await this.sleep(retryAfter > 0 ? retryAfter * 1000 : backoff.next());
        continue;
      }
      throw await errorOf(response);
    }
  }

  /**
   * Sends a read receipt for message `id` (docs/protocol.md#websocket `read` frame). Only a WebSocket has a
   * client → server channel: returns false when the current transport cannot carry it.
   */
  read(id) {
    return this.transport?.sendFrame?.({ type: 'read', id }) ?? false;
  }

  /** The transport in use now ('ws', 'sse', 'poll') or null. */
  get transportName() {
    return this.transport?.name ?? null;
  }

  // --- connection lifecycle --------------------------------------------------------------------

  async openNext() {
    this.clearTimers();
    this.dropTransport();
    const attempt = ++this.attempts;
    const name = this.transports[this.transportIndex];
    this.setState(this.everOpened ? 'reconnecting' : 'connecting', name);
    let token;
    try {
      token = await this.currentToken();
    } catch (e) {
      this.emit('error', new RelayError(0, 'token', `getToken failed: ${e?.message ?? e}`));
      return this.scheduleReconnect();
    }
    if (this.stopped || attempt !== this.attempts) return;
    this.uid = this.uid ?? tokenSubject(token);
    if (this.uid && this.lastSeq == null) this.lastSeq = this.cursors.get(this.uid, this.device);
    const sink = this.sinkFor();
    const transport = new TRANSPORTS[name](this.env, sink);
    this.transport = transport;
    this.acks.reset();
    if (!transport.sendFrame) this.dropForbiddenChannels(token);
    transport.open(this.openParams(token));
  }

  openParams(token) {
    return { token, since: this.lastSeq, device: this.device, channels: this.channels };
  }

  /**
   * SSE and long-poll name their channels in the request, and one the token does not grant fails
   * the whole request: refuse such channels here, as a WebSocket's server would (an `error` with
   * code `forbidden`). Tokens whose claims cannot be read are left to the server.
   */
  dropForbiddenChannels(token) {
    const claims = tokenClaims(token);
    if (!claims) return;
    for (const channel of this.channels.names()) {
      if (!channelAllowed(claims.channels, channel)) {
        this.refuseChannel(new RelayError(403, 'forbidden', `the token does not grant channel ${channel}`, channel));
      }
    }
  }

  refuseChannel(error) {
    this.channels.drop(error.channel);
    this.emit('error', error);
  }

  sinkFor() {
    let current = true;
    const isCurrent = () => current && !this.stopped;
    return {
      opened: () => isCurrent() && this.onOpened(),
      frame: (frame) => isCurrent() && this.onFrame(frame),
      closed: (info) => {
        if (!isCurrent()) return;
        current = false;
        this.onClosed(info);
      },
    };
  }

  onOpened() {
    this.lastFrameAt = this.now();
    // WebSocket and SSE say hello first; long-poll is usable once its first answer arrives.
    if (this.transport.name === 'poll') this.markOpen(0);
  }

  markOpen(heartbeatSec) {
    this.backoff.reset();
    this.everOpened = true;
    this.heartbeatMs = heartbeatSec * 1000;
    this.setState('open', this.transport.name);
    this.startWatchdog();
  }

  onFrame(frame) {
    this.lastFrameAt = this.now();
    switch (frame.type) {
      case 'hello':
        if (frame.uid && frame.uid !== this.uid) {
          this.uid = frame.uid;
          this.lastSeq = this.cursors.get(this.uid, this.device);
        }
        this.markOpen(frame.heartbeatSec ?? 0);
        if (frame.recovered === false) this.emit('gap', frame);
        if (this.transport.sendFrame) this.resubscribe();
        break;
      case 'gap': // long-poll's first answer said recovered: false
        this.emit('gap', frame);
        break;
      case 'message':
        if (frame.channel != null) this.deliverToChannel(frame);
        else this.deliver(frame);
        break;
      case 'receipt':
      case 'member':
      case 'edit':
      case 'recall':
      case 'read_marker':
        this.deliver(frame);
        break;
      case 'typing':
        this.typers.seen(frame, this.uid);
        break;
      case 'subscribed':
        this.channels.armed(frame.channel, frame.offset);
        if (this.channels.has(frame.channel)) {
          this.emit('subscribed', frame);
          if (frame.recovered === false) this.emit('gap', frame);
        }
        break;
      case 'unsubscribed':
        this.emit('unsubscribed', frame);
        break;
      case 'channel-next': // long-poll: where this channel's next request starts
        this.channels.advance(frame.channel, frame.next);
        break;
      case 'error':
        this.onError(new RelayError(frame.status ?? 0, frame.code, frame.message, frame.channel ?? null));
        break;
      default: // ping, pong: only signs of life
    }
  }

  /**
   * A server error: about a channel we want, `unavailable` (Redis did not confirm in time) asks
   * again a little later, anything else (`forbidden`, `invalid_field`, `rate_limited`) ends the
   * channel's subscription.
   */
  onError(error) {
    if (error.channel == null || !this.channels.has(error.channel)) return this.emit('error', error);
    if (error.code !== 'unavailable') return this.refuseChannel(error);
    this.emit('error', error);
    const transport = this.transport;
    this.env.timers.setTimeout(() => {
      if (transport === this.transport && this.channels.has(error.channel)) {
        transport.sendFrame?.(this.channels.subscribeFrame(error.channel));
      }
    }, CHANNEL_RETRY_MS);
  }

  /** Sends a subscribe frame per channel, each resuming after its last offset (WebSocket). */
  resubscribe() {
    for (const channel of this.channels.names()) this.transport.sendFrame(this.channels.subscribeFrame(channel));
  }

  deliverToChannel(frame) {
    if (!this.channels.accept(frame)) return;
    for (const handler of this.channels.handlers(frame.channel)) {
      try {
        handler(frame);
      } catch (e) {
        console.error(`relay: handler of channel ${frame.channel} failed`, e);
      }
    }
  }

  deliver(frame) {
    if (frame.seq != null && this.lastSeq != null && compareSeq(frame.seq, this.lastSeq) <= 0) return;
    const key = frame.type === 'message' ? frame.id : `${frame.type}:${frame.seq ?? JSON.stringify(frame)}`;
    if (!this.deduper.seen(key)) {
      this.keepConversations(frame);
      this.emit(frame.type, frame);
    }
    if (frame.seq != null) {
      this.lastSeq = frame.seq;
      if (this.uid) this.cursors.set(this.uid, this.device, frame.seq);
      this.acks.delivered(frame.seq);
    }
  }

  /** Applies a log entry to `conversations`, and tells the app which conversations changed. */
  keepConversations(frame) {
    let changed;
    switch (frame.type) {
      case 'message':
        this.typers.stop(conversationOf(frame, this.uid), frame.from);
        changed = this.conversations.message(frame, this.uid);
        break;
      case 'read_marker':
        changed = this.conversations.read(frame.conversation, frame.upTo);
        break;
      case 'edit':
        changed = this.conversations.edit(frame);
        break;
      case 'recall':
        changed = this.conversations.recall(frame);
        break;
      default:
        return;
    }
    for (const conversation of [changed ?? []].flat()) this.emit('conversation', conversation);
  }

  onClosed({ code, opened }) {
    this.clearTimers();
    this.transport = null;
    this.acks.reset();
    if (this.stopped) return;
    if (code === 4001) {
      if (!this.getToken) {
        this.emit('error', new RelayError(401, 'unauthorized', 'token rejected (4001) and no getToken to renew it'));
        this.stopped = true;
        this.watchNetwork(false);
        return this.setState('closed', null);
      }
      this.token = null;
      this.transportIndex = 0;
      return this.scheduleReconnect();
    }
    if (!opened && this.transportIndex + 1 < this.transports.length) {
      this.transportIndex++; // this transport cannot connect here: fall back at once
      return this.openNext();
    }
    this.transportIndex = 0;
    if (code === 1012) {
      this.backoff.reset(); // node shutting down: another node takes us now
      return this.openNext();
    }
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    if (this.stopped) return;
    this.setState(this.everOpened ? 'reconnecting' : 'connecting', this.transports[this.transportIndex]);
    this.reconnectTimer = this.env.timers.setTimeout(() => {
      this.reconnectTimer = null;
      this.openNext();
    }, this.backoff.next());
  }

  /**
   * No frame for 2×heartbeatSec means the connection is dead even if the socket says otherwise.
   * WebSocket only: SSE heartbeats are comment lines that EventSource never shows us, and a poll
   * has its own request timeout.
   */
  startWatchdog() {
    if (!this.heartbeatMs || this.transport?.name !== 'ws') return;
    const limit = 2 * this.heartbeatMs;
    this.watchdog = this.env.timers.setInterval(() => {
      if (this.now() - this.lastFrameAt > limit) this.reconnectNow('heartbeat timeout');
    }, Math.max(250, this.heartbeatMs / 4));
  }

  reconnectNow(reason) {
    const transport = this.transport;
    if (!transport || this.stopped) return;
    this.dropTransport();
    this.onClosed({ code: 1006, reason, opened: true });
  }

  dropTransport() {
    const transport = this.transport;
    this.transport = null;
    transport?.close();
  }

  clearTimers() {
    if (this.reconnectTimer != null) this.env.timers.clearTimeout(this.reconnectTimer);
    if (this.watchdog != null) this.env.timers.clearInterval(this.watchdog);
    this.reconnectTimer = this.watchdog = null;
  }

  setState(state, transport = this.transportName) {
    if (this.state === state && this.stateTransport === transport) return;
    this.state = state;
    this.stateTransport = transport;
    this.emit('state', { state, transport });
  }

  /** The browser says the network went away or came back: drop at once, or retry at once. */
  watchNetwork(on) {
    const win = globalThis.window;
    if (!win?.addEventListener) return;
    if (on && !this.networkHandlers) {
      this.networkHandlers = {
        offline: () => this.reconnectNow('offline'),
        online: () => {
          if (this.stopped || this.transport) return;
          this.backoff.reset();
          this.transportIndex = 0;
          this.openNext();
        },
      };
      win.addEventListener('offline', this.networkHandlers.offline);
      win.addEventListener('online', this.networkHandlers.online);
    } else if (!on && this.networkHandlers) {
      win.removeEventListener('offline', this.networkHandlers.offline);
      win.removeEventListener('online', this.networkHandlers.online);
      this.networkHandlers = null;
    }
  }

  // --- acks and tokens -------------------------------------------------------------------------

  sendAck(seq) {
    if (!this.transport) return;
    if (this.transport.sendFrame) {
      this.transport.sendFrame({ type: 'ack', seq });
      return;
    }
    this.currentToken()
      .then((token) => this.env.fetch(this.env.pushUrl + '/v1/ack', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ seq, device: this.device }),
      }))
      .catch(() => { /* the next ack carries it; resume uses our own cursor anyway */ });
  }

  async currentToken() {
    if (this.token) {
      const exp = tokenClaims(this.token)?.exp;
      if (!this.getToken || !exp || exp * 1000 - Date.now() > 10_000) return this.token;
    }
    return this.refreshToken();
  }

  async refreshToken() {
    if (!this.getToken) return this.token;
    this.token = await this.getToken();
    return this.token;
  }

  sleep(ms) {
    return new Promise((resolve) => this.env.timers.setTimeout(resolve, ms));
  }
}
