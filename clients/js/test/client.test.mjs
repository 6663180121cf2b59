// Fast tests of RelayClient against fake transports: sending, resume, de-duplication, acks,
// reconnect and fallback decisions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fakeClient as client, hello, instantTimers, ManualTimers, MemoryStorage, scriptedFetch, settle, token,
} from './fakes.mjs';

const msg = (n) => ({ type: 'message', seq: `100-${n}`, id: `m${n}`, from: 'alice', to: 'bob', body: { text: `t${n}` }, ts: 1 });

test('send posts once with a clientMsgId and resolves id and ts', async () => {
  const fetch = scriptedFetch([{ status: 201, body: { id: 'm1', ts: 42 } }]);
  const { relay } = client({ fetch, timers: instantTimers });
  const result = await relay.send({ to: 'alice', body: { text: 'hi' } });
  assert.equal(result.id, 'm1');
  assert.equal(result.ts, 42);
  assert.equal(fetch.calls[0].url, 'http://ingest.test/v1/messages');
  assert.match(fetch.calls[0].init.headers.Authorization, /^Bearer /);
  assert.deepEqual(Object.keys(fetch.calls[0].body).sort(), ['body', 'clientMsgId', 'to']);
});

test('send retries network failures and 503 with the same clientMsgId', async () => {
  const fetch = scriptedFetch([
    { networkError: true },
    { status: 503, body: { error: { code: 'unavailable', message: 'redis down' } } },
    { status: 200, body: { id: 'm1', duplicate: true } },
  ]);
  const { relay } = client({ fetch, timers: instantTimers });
  const result = await relay.send({ room: 'r1', body: 'hello' });
  assert.equal(result.id, 'm1');
  const ids = new Set(fetch.calls.map((c) => c.body.clientMsgId));
  assert.equal(fetch.calls.length, 3);
  assert.equal(ids.size, 1, 'one clientMsgId across retries');
  assert.equal(fetch.calls[0].body.room, 'r1');
});

test('send rejects with the documented error (docs/protocol.md#errors) on 4xx, without retrying', async () => {
  const fetch = scriptedFetch([{ status: 403, body: { error: { code: 'not_member', message: 'not in room' } } }]);
  const { relay } = client({ fetch, timers: instantTimers });
  await assert.rejects(relay.send({ room: 'r9', body: 1 }), (e) => e.status === 403 && e.code === 'not_member');
  assert.equal(fetch.calls.length, 1);
});

test('send gives up after the last attempt and says why', async () => {
  const fetch = scriptedFetch(Array.from({ length: 3 }, () => ({ networkError: true })));
  const { relay } = client({ fetch, timers: instantTimers, sendAttempts: 3 });
  await assert.rejects(relay.send({ to: 'a', body: 1 }), (e) => e.code === 'network');
});

test('connect opens a WebSocket with token and device, and is open after hello', async () => {
  const { relay, WebSocket, states } = client();
  relay.connect();
  await settle();
  const ws = WebSocket.all[0];
  assert.match(ws.url, /^ws:\/\/push\.test\/v1\/ws\?token=[^&]+&device=d1$/);
  ws.serverOpen();
  ws.serverFrame(hello());
  assert.deepEqual(states, ['connecting:ws', 'open:ws']);
});

test('messages are de-duplicated by id and by seq, and the cursor is kept per user and device', async () => {
  const storage = new MemoryStorage();
  const { relay, WebSocket, messages } = client({ storage });
  relay.connect();
  await settle();
  const ws = WebSocket.all[0];
  ws.serverOpen();
  ws.serverFrame(hello());
  ws.serverFrame(msg(1));
  ws.serverFrame(msg(2));
  ws.serverFrame(msg(2));
  ws.serverFrame({ ...msg(3), id: 'm1' }); // same message through another log position
  assert.deepEqual(messages, ['m1', 'm2']);
  assert.equal(storage.getItem('relay:cursor:bob:d1'), '100-3');
});

test('a reconnect resumes from the last seq', async () => {
  const { relay, WebSocket, timers } = client();
  relay.connect();
  await settle();
  WebSocket.all[0].serverOpen();
  WebSocket.all[0].serverFrame(hello());
  WebSocket.all[0].serverFrame(msg(4));
  WebSocket.all[0].serverClose(1006);
  timers.advance(500);
  await settle();
  assert.match(WebSocket.all[1].url, /since=100-4/);
});

test('acks are cumulative and batched on the WebSocket', async () => {
  const { relay, WebSocket, timers } = client({ ackIntervalMs: 1000, ackEvery: 50 });
  relay.connect();
  await settle();
  const ws = WebSocket.all[0];
  ws.serverOpen();
  ws.serverFrame(hello());
  [1, 2, 3].forEach((n) => ws.serverFrame(msg(n)));
  assert.deepEqual(ws.sent, []);
  timers.advance(1000);
  assert.deepEqual(ws.sent, [{ type: 'ack', seq: '100-3' }]);
});

test('a hello with recovered false is reported as a gap', async () => {
  const { relay, WebSocket } = client();
  const gaps = [];
  relay.on('gap', (g) => gaps.push(g));
  relay.connect();
  await settle();
  WebSocket.all[0].serverOpen();
  WebSocket.all[0].serverFrame(hello(false));
  assert.equal(gaps.length, 1);
});

test('a WebSocket that cannot connect falls back to SSE at once', async () => {
  const { relay, WebSocket, EventSource, states } = client();
  relay.connect();
  await settle();
  WebSocket.all[0].serverClose(1006);
  await settle();
  const sse = EventSource.all[0];
  assert.match(sse.url, /^http:\/\/push\.test\/v1\/sse\?token=/);
  sse.serverOpen();
  sse.serverEvent('hello', hello());
  sse.serverEvent('message', msg(1), '100-1');
  assert.deepEqual(states, ['connecting:ws', 'connecting:sse', 'open:sse']);
  assert.equal(relay.read('m1'), false, 'no read receipts without a WebSocket');
});

test('a transient message over SSE is delivered even though EventSource repeats the last event id', async () => {
  const { relay, WebSocket, EventSource, messages } = client();
  relay.connect();
  await settle();
  WebSocket.all[0].serverClose(1006);
  await settle();
  const sse = EventSource.all[0];
  sse.serverOpen();
  sse.serverEvent('hello', hello());
  sse.serverEvent('message', msg(1), '100-1');
  // A browser hands the previous id to an id-less event; the frame itself says it is transient.
  sse.serverEvent('message', { type: 'message', id: 'refresh-1', from: null, to: 'bob', body: {}, ts: 1, transient: true },
    '100-1');
  assert.deepEqual(messages, ['m1', 'refresh-1']);
});

test('an SSE close event with 4008 reconnects after the backoff, resuming from the last seq', async () => {
  const { relay, WebSocket, EventSource, timers, states } = client();
  relay.connect();
  await settle();
  WebSocket.all[0].serverClose(1006);
  await settle();
  const sse = EventSource.all[0];
  sse.serverOpen();
  sse.serverEvent('hello', hello());
  sse.serverEvent('message', msg(1), '100-1');
  sse.serverEvent('close', { type: 'close', code: 4008, reason: 'too slow' });
  assert.ok(sse.closed);
  assert.equal(states.at(-1), 'reconnecting:ws');
  timers.advance(60_000);
  await settle();
  assert.match(WebSocket.all[1].url, /since=100-1/);
});

test('when SSE fails too, long-poll delivers and acks over HTTP', async () => {
  const polls = scriptedFetch([{ status: 200, body: { messages: [msg(1), msg(2)], next: '100-2' } }, { hang: true }]);
  const acks = scriptedFetch([{ status: 204 }]);
  const fetch = (url, init) => (url.includes('/v1/ack') ? acks : polls)(url, init);
  const { relay, WebSocket, EventSource, messages, states, timers } = client({ fetch, ackEvery: 2 });
  relay.connect();
  await settle();
  WebSocket.all[0].serverClose(1006);
  await settle();
  EventSource.all[0].serverError();
  await settle();
  await settle();
  assert.deepEqual(messages, ['m1', 'm2']);
  assert.equal(states.at(-1), 'open:poll');
  assert.match(polls.calls[0].url, /\/v1\/poll\?wait=25&device=d1$/, 'no token in the URL');
  assert.match(polls.calls[0].init.headers.Authorization, /^Bearer ey/);
  assert.match(polls.calls[1].url, /since=100-2/);
  assert.deepEqual(acks.calls[0].body, { seq: '100-2', device: 'd1' });
  relay.close();
  timers.advance(0);
});

test('1012 reconnects at once; 4008 waits for the backoff', async () => {
  const { relay, WebSocket, timers } = client();
  relay.connect();
  await settle();
  WebSocket.all[0].serverOpen();
  WebSocket.all[0].serverFrame(hello());
  WebSocket.all[0].serverClose(1012);
  await settle();
  assert.equal(WebSocket.all.length, 2, 'reconnected without waiting');
  WebSocket.all[1].serverOpen();
  WebSocket.all[1].serverFrame(hello());
  WebSocket.all[1].serverClose(4008);
  await settle();
  assert.equal(WebSocket.all.length, 2);
  assert.equal(timers.pendingDelay(), 500);
  timers.advance(500);
  await settle();
  assert.equal(WebSocket.all.length, 3);
});

test('4001 asks getToken for a new token before reconnecting', async () => {
  let calls = 0;
  const getToken = async () => { calls++; return token('bob'); };
  const { relay, WebSocket, timers } = client({ token: undefined, getToken });
  relay.connect();
  await settle();
  assert.equal(calls, 1);
  WebSocket.all[0].serverOpen();
  WebSocket.all[0].serverClose(4001);
  timers.advance(500);
  await settle();
  assert.equal(calls, 2);
  assert.equal(WebSocket.all.length, 2);
});

test('4001 with a fixed token closes the client and reports an error', async () => {
  const { relay, WebSocket, states } = client();
  const errors = [];
  relay.on('error', (e) => errors.push(e.code));
  relay.connect();
  await settle();
  WebSocket.all[0].serverOpen();
  WebSocket.all[0].serverClose(4001);
  assert.deepEqual(errors, ['unauthorized']);
  assert.equal(states.at(-1), 'closed:null');
});

test('no frame for twice the heartbeat means reconnect', async () => {
  const timers = new ManualTimers();
  const { relay, WebSocket, states } = client({ timers, now: () => timers.now });
  relay.connect();
  await settle();
  WebSocket.all[0].serverOpen();
  WebSocket.all[0].serverFrame(hello());
  timers.advance(49_000);
  WebSocket.all[0].serverFrame({ type: 'ping' });
  timers.advance(49_000);
  assert.equal(states.at(-1), 'open:ws', 'a ping is a sign of life');
  timers.advance(2_000);
  assert.equal(states.at(-1), 'reconnecting:ws');
});

test('read sends a read frame over the WebSocket', async () => {
  const { relay, WebSocket } = client();
  relay.connect();
  await settle();
  WebSocket.all[0].serverOpen();
  assert.equal(relay.read('m7'), true);
  assert.deepEqual(WebSocket.all[0].sent, [{ type: 'read', id: 'm7' }]);
});
