// Fast tests of channel subscriptions against fake transports: subscribe frames, resume with
// `since` after a reconnect without repeats, refusals, the SSE and long-poll forms, publishing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeClient as client, hello, instantTimers, scriptedFetch, settle, token } from './fakes.mjs';

/** A token whose `channels` claim grants every `show:` channel. */
const showToken = () => token('bob', undefined, { channels: ['show:*'] });

const seat = (n, seatName = `A${n}`) => ({
  type: 'message', channel: 'show:1', offset: `200-${n}`, id: `c${n}`, from: 'alice', body: { seat: seatName }, ts: 1,
});

/** A client whose WebSocket is open (hello received); `got` collects what the handler was given. */
async function openOnWebSocket(options) {
  const parts = client(options);
  parts.relay.connect();
  await settle();
  const ws = parts.WebSocket.all[0];
  ws.serverOpen();
  return { ...parts, ws };
}

test('channels wanted before connecting are subscribed after hello, and their messages reach the handler only', async () => {
  const { relay, WebSocket, messages } = client();
  const got = [];
  const events = [];
  const sub = relay.subscribe('show:1', (m) => got.push(m.id));
  relay.on('subscribed', (s) => events.push(s));
  relay.connect();
  await settle();
  const ws = WebSocket.all[0];
  ws.serverOpen();
  assert.deepEqual(ws.sent, [], 'nothing before hello');
  ws.serverFrame(hello());
  assert.deepEqual(ws.sent, [{ type: 'subscribe', channel: 'show:1' }]);
  ws.serverFrame({ type: 'subscribed', channel: 'show:1', offset: '200-0', recovered: true });
  ws.serverFrame(seat(1));
  ws.serverFrame(seat(2));
  assert.deepEqual(got, ['c1', 'c2']);
  assert.deepEqual(messages, [], 'channel messages are not user-log messages');
  assert.equal(events[0].offset, '200-0');
  assert.equal(sub.offset, '200-2');
  assert.ok(sub.active);
});

test('after a reconnect the client resubscribes after the last offset and drops what it already had', async () => {
  const { relay, WebSocket, timers, ws } = await openOnWebSocket();
  const got = [];
  relay.subscribe('show:1', (m) => got.push(m.id));
  ws.serverFrame(hello());
  ws.serverFrame({ type: 'subscribed', channel: 'show:1', offset: '200-0', recovered: true });
  ws.serverFrame(seat(1));
  ws.serverFrame(seat(2));
  ws.serverClose(1006);
  timers.advance(500);
  await settle();
  const again = WebSocket.all[1];
  again.serverOpen();
  again.serverFrame(hello());
  assert.deepEqual(again.sent, [{ type: 'subscribe', channel: 'show:1', since: '200-2' }]);
  again.serverFrame(seat(2)); // a server that replays one too many
  again.serverFrame(seat(3));
  again.serverFrame({ type: 'subscribed', channel: 'show:1', offset: '200-3', recovered: true });
  again.serverFrame(seat(4));
  assert.deepEqual(got, ['c1', 'c2', 'c3', 'c4']);
});

test('a channel with no message yet resumes from its start, so nothing published meanwhile is missed', async () => {
  const { relay, WebSocket, ws } = await openOnWebSocket();
  relay.subscribe('show:1', () => {});
  ws.serverFrame(hello());
  ws.serverFrame({ type: 'subscribed', channel: 'show:1', offset: null, recovered: true });
  ws.serverClose(1012);
  await settle();
  WebSocket.all[1].serverOpen();
  WebSocket.all[1].serverFrame(hello());
  assert.deepEqual(WebSocket.all[1].sent, [{ type: 'subscribe', channel: 'show:1', since: '0-0' }]);
});

test('subscribe with since asks for the entries after it, in the full offset form', async () => {
  const { relay, ws } = await openOnWebSocket();
  ws.serverFrame(hello());
  const got = [];
  relay.subscribe('show:1', (m) => got.push(m.offset), { since: '0' });
  assert.deepEqual(ws.sent, [{ type: 'subscribe', channel: 'show:1', since: '0-0' }]);
  ws.serverFrame(seat(1));
  ws.serverFrame({ type: 'subscribed', channel: 'show:1', offset: '200-1', recovered: true });
  assert.deepEqual(got, ['200-1']);
});

test('a second handler shares the subscription; the last one to leave unsubscribes', async () => {
  const { relay, ws } = await openOnWebSocket();
  ws.serverFrame(hello());
  const first = [];
  const second = [];
  const a = relay.subscribe('show:1', (m) => first.push(m.id));
  const b = relay.subscribe('show:1', (m) => second.push(m.id));
  ws.serverFrame(seat(1));
  a.unsubscribe();
  ws.serverFrame(seat(2));
  assert.equal(ws.sent.length, 1, 'one subscribe frame, no unsubscribe yet');
  b.unsubscribe();
  assert.deepEqual(ws.sent.at(-1), { type: 'unsubscribe', channel: 'show:1' });
  ws.serverFrame(seat(3));
  assert.deepEqual(first, ['c1']);
  assert.deepEqual(second, ['c1', 'c2']);
  assert.equal(b.active, false);
});

test('the same function subscribed twice is two subscriptions', async () => {
  const { relay, ws } = await openOnWebSocket();
  ws.serverFrame(hello());
  const got = [];
  const handler = (m) => got.push(m.id);
  const first = relay.subscribe('show:1', handler);
  relay.subscribe('show:1', handler);
  ws.serverFrame(seat(1));
  first.unsubscribe();
  ws.serverFrame(seat(2));
  assert.deepEqual(got, ['c1', 'c1', 'c2']);
  assert.equal(ws.sent.length, 1, 'still subscribed');
});

test('a refused channel is reported with its name, ends its subscription and is not asked for again', async () => {
  const { relay, WebSocket, timers, ws } = await openOnWebSocket();
  const errors = [];
  relay.on('error', (e) => errors.push(e));
  ws.serverFrame(hello());
  const sub = relay.subscribe('vip:1', () => assert.fail('no message expected'));
  ws.serverFrame({ type: 'error', code: 'forbidden', channel: 'vip:1', message: 'not in your channels claim' });
  assert.equal(errors[0].code, 'forbidden');
  assert.equal(errors[0].channel, 'vip:1');
  assert.equal(sub.active, false);
  ws.serverClose(1006);
  timers.advance(500);
  await settle();
  WebSocket.all[1].serverOpen();
  WebSocket.all[1].serverFrame(hello());
  assert.deepEqual(WebSocket.all[1].sent, []);
});

test('a subscription Redis could not confirm is asked for again, from where it was', async () => {
  const { relay, ws, timers } = await openOnWebSocket();
  const errors = [];
  relay.on('error', (e) => errors.push(e.code));
  ws.serverFrame(hello());
  const sub = relay.subscribe('show:1', () => {}, { since: '200-4' });
  ws.serverFrame({ type: 'error', code: 'unavailable', channel: 'show:1', message: 'redis did not confirm' });
  assert.equal(sub.active, true);
  timers.advance(1000);
  assert.deepEqual(ws.sent, [
    { type: 'subscribe', channel: 'show:1', since: '200-4' }, { type: 'subscribe', channel: 'show:1', since: '200-4' }]);
  assert.deepEqual(errors, ['unavailable']);
});

test('recovered false on a channel is a gap that names the channel', async () => {
  const { relay, ws } = await openOnWebSocket();
  const gaps = [];
  relay.on('gap', (g) => gaps.push(g));
  relay.subscribe('show:1', () => {}, { since: '1-0' });
  ws.serverFrame(hello());
  ws.serverFrame({ type: 'subscribed', channel: 'show:1', offset: '200-9', recovered: false });
  assert.deepEqual(gaps.map((g) => g.channel), ['show:1']);
});

test('SSE names the granted channels in its URL and hands `channel` events to the handler', async () => {
  const { relay, WebSocket, EventSource } = client({ token: showToken() });
  const got = [];
  const errors = [];
  relay.on('error', (e) => errors.push(`${e.code} ${e.channel}`));
  relay.subscribe('show:1', (m) => got.push(m));
  relay.subscribe('vip:1', () => assert.fail('not granted'));
  relay.connect();
  await settle();
  WebSocket.all[0].serverClose(1006);
  await settle();
  const sse = EventSource.all[0];
  assert.match(sse.url, /[?&]channels=show%3A1(&|$)/);
  assert.deepEqual(errors, ['forbidden vip:1']);
  sse.serverOpen();
  sse.serverEvent('hello', hello());
  sse.serverEvent('message', { type: 'message', seq: '100-1', id: 'm1', from: 'alice', to: 'bob', body: 1, ts: 1 }, '100-1');
  sse.serverEvent('channel', seat(1), '100-1'); // EventSource repeats the last id on an id-less event
  assert.equal(got.length, 1);
  assert.equal(got[0].seq, undefined, 'a channel message never takes a user-log seq');
  assert.equal(got[0].offset, '200-1');
});

test('an SSE stream opened again resumes each channel after its last offset', async () => {
  const { relay, WebSocket, EventSource, timers } = client({ token: showToken(), transports: ['sse'] });
  const got = [];
  relay.subscribe('show:1', (m) => got.push(m.id));
  relay.connect();
  await settle();
  const sse = EventSource.all[0];
  sse.serverOpen();
  sse.serverEvent('hello', hello());
  sse.serverEvent('subscribed', { type: 'subscribed', channel: 'show:1', offset: '200-0', recovered: true });
  sse.serverEvent('channel', seat(1));
  sse.serverError();
  timers.advance(500);
  await settle();
  const again = EventSource.all[1];
  assert.match(again.url, /channels=show%3A1%3A200-1(&|$)/);
  again.serverOpen();
  again.serverEvent('hello', hello());
  again.serverEvent('subscribed', { type: 'subscribed', channel: 'show:1', offset: '200-3', recovered: true });
  again.serverEvent('channel', seat(2)); // the replay after 200-1 follows `subscribed`
  again.serverEvent('channel', seat(3));
  assert.deepEqual(got, ['c1', 'c2', 'c3']);
  assert.equal(WebSocket.all.length, 0);
});

test('subscribing while on SSE opens a new stream with the new channel list, staying open', async () => {
  const { relay, WebSocket, EventSource, states } = client({ token: showToken() });
  relay.connect();
  await settle();
  WebSocket.all[0].serverClose(1006);
  await settle();
  EventSource.all[0].serverOpen();
  EventSource.all[0].serverEvent('hello', hello());
  EventSource.all[0].serverEvent('message', { type: 'message', seq: '100-7', id: 'm7', from: 'a', to: 'bob', body: 1, ts: 1 }, '100-7');
  relay.subscribe('show:1', () => {});
  relay.subscribe('show:2', () => {});
  await settle();
  assert.equal(EventSource.all.length, 2, 'one new stream for both changes');
  assert.ok(EventSource.all[0].closed);
  assert.match(EventSource.all[1].url, /since=100-7/);
  assert.match(EventSource.all[1].url, /channels=show%3A1%2Cshow%3A2/);
  assert.equal(states.at(-1), 'open:sse');
});

test('long-poll carries channels with their offsets and moves each to the next the server gives', async () => {
  const polls = scriptedFetch([
    { status: 200, body: { messages: [], next: '100-0', channels: { 'show:1': { messages: [seat(1), seat(2)], next: '200-2' } } } },
    { status: 200, body: { messages: [], next: '100-0', channels: { 'show:1': { messages: [seat(2), seat(3)], next: '200-3' } } } },
    { hang: true },
  ]);
  const { relay, WebSocket, EventSource, timers } = client({ fetch: polls, transports: ['poll'], token: showToken() });
  const got = [];
  relay.subscribe('show:1', (m) => got.push(m.id));
  relay.connect();
  for (let i = 0; i < 5; i++) await settle();
  assert.match(polls.calls[0].url, /[?&]channels=show%3A1(&|$)/);
  assert.match(polls.calls[1].url, /[?&]channels=show%3A1%3A200-2(&|$)/);
  assert.match(polls.calls[2].url, /[?&]channels=show%3A1%3A200-3(&|$)/);
  assert.deepEqual(got, ['c1', 'c2', 'c3'], 'the repeated c2 is dropped');
  assert.equal(WebSocket.all.length + EventSource.all.length, 0);
  relay.close();
  timers.advance(0);
});

test('subscribing during a held long-poll asks again at once with the new channel', async () => {
  const polls = scriptedFetch([{ status: 200, body: { messages: [], next: '100-0' } }, { hang: true }, { hang: true }]);
  const { relay, states } = client({ fetch: polls, transports: ['poll'], token: showToken() });
  relay.connect();
  for (let i = 0; i < 3; i++) await settle();
  assert.equal(polls.calls.length, 2);
  relay.subscribe('show:1', () => {});
  for (let i = 0; i < 3; i++) await settle();
  assert.equal(polls.calls.length, 3);
  assert.match(polls.calls[2].url, /channels=show%3A1/);
  assert.match(polls.calls[2].url, /since=100-0/);
  assert.equal(states.at(-1), 'open:poll');
  relay.close();
});

test('a long-poll refused with 403 reports the error', async () => {
  const polls = scriptedFetch([{ status: 403, body: { error: { code: 'forbidden', message: 'channel vip:1' } } }]);
  const { relay } = client({ fetch: polls, transports: ['poll'] });
  const errors = [];
  relay.on('error', (e) => errors.push(`${e.status} ${e.code}`));
  relay.connect();
  for (let i = 0; i < 3; i++) await settle();
  assert.deepEqual(errors, ['403 forbidden']);
  relay.close();
});

test('publish posts to the channel with a bearer token and a clientMsgId, retrying with the same one', async () => {
  const fetch = scriptedFetch([{ networkError: true }, { status: 201, body: { id: 'c1', offset: '200-1', ts: 5 } }]);
  const { relay } = client({ fetch, timers: instantTimers });
  const result = await relay.publish('show:1', { seat: 'A1' });
  assert.equal(result.offset, '200-1');
  assert.equal(fetch.calls[1].url, 'http://ingest.test/v1/channels/show:1/messages');
  assert.match(fetch.calls[1].init.headers.Authorization, /^Bearer /);
  assert.equal(fetch.calls[0].body.clientMsgId, fetch.calls[1].body.clientMsgId);
  assert.deepEqual(fetch.calls[1].body.body, { seat: 'A1' });
});

test('a transient publish is sent once: a network failure is not retried', async () => {
  const fetch = scriptedFetch([{ networkError: true }]);
  const { relay } = client({ fetch, timers: instantTimers });
  await assert.rejects(relay.publish('show:1', 'x', { transient: true }), (e) => e.code === 'network');
  assert.deepEqual(fetch.calls[0].body, { body: 'x', transient: true });
});

test('channel names are checked before anything is sent', () => {
  const { relay } = client();
  assert.throws(() => relay.subscribe('show 1', () => {}), TypeError);
  assert.throws(() => relay.subscribe('show:1'), TypeError);
  assert.rejects(relay.publish('x'.repeat(65), 1), TypeError);
});
