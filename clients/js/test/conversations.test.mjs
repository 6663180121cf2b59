// Conversations, read markers, edits, recalls and typing in the SDK, against fake transports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Conversations, conversationOf, TypingIndicators } from '../relay-client.js';
import { fakeClient, hello, instantTimers, ManualTimers, scriptedFetch, settle } from './fakes.mjs';

const direct = (n, from = 'alice', extra = {}) => ({
  type: 'message', seq: `100-${n}`, id: `01M${n}`, from, to: from === 'bob' ? 'alice' : 'bob', room: null,
  body: { text: `t${n}` }, ts: 1000 + n, ...extra,
});
const listed = {
  id: 'u:alice', peer: 'alice', room: null, last: direct(3), unread: 2, readUpTo: '01M1',
};

/** bob's client, connected over a fake WebSocket, with the conversation events it emitted. */
async function connected(options = {}) {
  const made = fakeClient(options);
  const changes = [];
  made.relay.on('conversation', (c) => changes.push(c));
  made.relay.connect();
  await settle();
  const ws = made.WebSocket.all[0];
  ws.serverOpen();
  ws.serverFrame(hello());
  return { ...made, ws, changes };
}

test('conversationOf names the peer of a direct message either way, the room of a room message', () => {
  assert.equal(conversationOf(direct(1), 'bob'), 'u:alice');
  assert.equal(conversationOf(direct(1, 'bob'), 'bob'), 'u:alice');
  assert.equal(conversationOf({ from: 'carol', room: 'r1' }, 'bob'), 'r:r1');
  assert.equal(conversationOf({ conversation: 'u:dan', upTo: 'x' }, 'bob'), 'u:dan');
});

test('listConversations asks for a page and keeps it; next is the following page', async () => {
  const fetch = scriptedFetch([{ status: 200, body: { conversations: [listed], next: 'cursor-1' } }]);
  const { relay } = fakeClient({ fetch, timers: instantTimers });
  const page = await relay.listConversations({ limit: 20, before: 'cursor-0' });
  assert.equal(fetch.calls[0].url, 'http://ingest.test/v1/conversations?limit=20&before=cursor-0');
  assert.equal(fetch.calls[0].init.method, 'GET');
  assert.equal(page.next, 'cursor-1');
  assert.deepEqual(page.conversations, [{ id: 'u:alice', peer: 'alice', room: null, last: direct(3), unread: 2, readUpTo: '01M1' }]);
  assert.deepEqual(relay.conversations.get('u:alice').unread, 2);
});

test('a new message from the peer raises unread and becomes last; our own message does not raise it', async () => {
  const fetch = scriptedFetch([{ status: 200, body: { conversations: [listed], next: null } }]);
  const { relay, ws, changes } = await connected({ fetch });
  await relay.listConversations();
  ws.serverFrame(direct(3)); // the listed last, delivered again: not counted twice
  ws.serverFrame(direct(4));
  ws.serverFrame(direct(5, 'bob'));
  const c = relay.conversations.get('u:alice');
  assert.equal(c.unread, 3);
  assert.equal(c.last.id, '01M5');
  assert.deepEqual(changes.map((x) => [x.last.id, x.unread]), [['01M3', 2], ['01M4', 3], ['01M5', 3]]);
});

test('a message of an unlisted conversation starts it; rooms are r:<room>, most recent first', async () => {
  const { relay, ws } = await connected();
  ws.serverFrame(direct(1, 'carol'));
  ws.serverFrame({ type: 'message', seq: '100-9', id: '01M9', from: 'dan', room: 'r1', body: 'x', ts: 2000 });
  assert.deepEqual(relay.conversations.list().map((c) => [c.id, c.peer, c.room, c.unread]),
    [['r:r1', null, 'r1', 1], ['u:carol', 'carol', null, 1]]);
});

test('a read_marker from another device clears unread up to it', async () => {
  const fetch = scriptedFetch([{ status: 200, body: { conversations: [listed], next: null } }]);
  const { relay, ws, changes } = await connected({ fetch });
  await relay.listConversations();
  ws.serverFrame(direct(4));
  ws.serverFrame(direct(5));
  ws.serverFrame({ type: 'read_marker', seq: '100-10', conversation: 'u:alice', upTo: '01M4' });
  assert.deepEqual(relay.conversations.get('u:alice'), { ...relay.conversations.get('u:alice'), unread: 1, readUpTo: '01M4' });
  ws.serverFrame({ type: 'read_marker', seq: '100-11', conversation: 'u:alice', upTo: '01M5' });
  assert.equal(relay.conversations.get('u:alice').unread, 0);
  ws.serverFrame({ type: 'read_marker', seq: '100-12', conversation: 'u:alice', upTo: '01M2' }); // never back
  assert.equal(relay.conversations.get('u:alice').readUpTo, '01M5');
  assert.equal(changes.at(-1).unread, 0);
});

test('a read_marker short of the listed last keeps the listed count; markRead takes the server count', async () => {
  const fetch = scriptedFetch([
    { status: 200, body: { conversations: [listed], next: null } },
    { status: 200, body: { unread: 1 } },
  ]);
  const { relay, ws } = await connected({ fetch });
  await relay.listConversations();
  ws.serverFrame({ type: 'read_marker', seq: '100-10', conversation: 'u:alice', upTo: '01M2' });
  assert.equal(relay.conversations.get('u:alice').unread, 2);
  assert.deepEqual(await relay.markRead('u:alice', '01M2'), { unread: 1 });
  assert.equal(fetch.calls[1].url, 'http://ingest.test/v1/conversations/u:alice/read');
  assert.deepEqual(fetch.calls[1].body, { upTo: '01M2' });
  assert.equal(relay.conversations.get('u:alice').unread, 1);
  ws.serverFrame(direct(4, 'alice', { seq: '100-11' }));
  assert.equal(relay.conversations.get('u:alice').unread, 2);
});

test('markRead refuses what is not a conversation id, before asking the server', async () => {
  const fetch = scriptedFetch([]);
  const { relay } = fakeClient({ fetch, timers: instantTimers });
  await assert.rejects(relay.markRead('alice', '01M1'), TypeError);
  await assert.rejects(relay.markRead('u:a/b', '01M1'), TypeError);
  assert.equal(fetch.calls.length, 0);
});

test('edit and recall call the server; their log entries change last and reach listeners', async () => {
  const fetch = scriptedFetch([
    { status: 200, body: { conversations: [listed], next: null } },
    { status: 200, body: {} },
    { status: 204 },
  ]);
  const { relay, ws, changes } = await connected({ fetch });
  const edits = [];
  const recalls = [];
  relay.on('edit', (e) => edits.push(e.id));
  relay.on('recall', (r) => recalls.push(r.id));
  await relay.listConversations();
  await relay.edit('01M3', { text: 'fixed' });
  await relay.recall('01M3');
  assert.deepEqual(fetch.calls.slice(1).map((c) => [c.init.method, c.url, c.body]), [
    ['PATCH', 'http://ingest.test/v1/messages/01M3', { body: { text: 'fixed' } }],
    ['DELETE', 'http://ingest.test/v1/messages/01M3', undefined],
  ]);
  ws.serverFrame({ type: 'edit', seq: '100-20', id: '01M3', body: { text: 'fixed' }, by: 'alice' });
  assert.deepEqual(relay.conversations.get('u:alice').last.body, { text: 'fixed' });
  assert.equal(relay.conversations.get('u:alice').last.edited, true);
  ws.serverFrame({ type: 'recall', seq: '100-21', id: '01M3', by: 'alice' });
  ws.serverFrame({ type: 'recall', seq: '100-21', id: '01M3', by: 'alice' }); // a repeat: dropped
  const last = relay.conversations.get('u:alice').last;
  assert.equal(last.recalled, true);
  assert.equal('body' in last, false);
  assert.deepEqual(edits, ['01M3']);
  assert.deepEqual(recalls, ['01M3']);
  assert.equal(changes.length, 2);
});

test('edit rejects with the server error (403 for someone else\'s message)', async () => {
  const fetch = scriptedFetch([{ status: 403, body: { error: { code: 'forbidden', message: 'not yours' } } }]);
  const { relay } = fakeClient({ fetch, timers: instantTimers });
  await assert.rejects(relay.edit('01M3', 'x'), (e) => e.status === 403 && e.code === 'forbidden');
});

test('a recalled unread message no longer counts as unread', async () => {
  const { relay, ws } = await connected();
  ws.serverFrame(direct(4));
  ws.serverFrame(direct(5));
  ws.serverFrame({ type: 'recall', seq: '100-21', id: '01M4', by: 'alice' });
  assert.equal(relay.conversations.get('u:alice').unread, 1);
});

test('typing sends at most one frame per conversation every 2 s', async () => {
  let now = 0;
  const { relay, ws } = await connected({ now: () => now });
  assert.equal(relay.typing({ to: 'alice' }), true);
  now = 1999;
  assert.equal(relay.typing({ to: 'alice' }), false);
  assert.equal(relay.typing({ room: 'r1' }), true, 'another conversation has its own budget');
  now = 2000;
  assert.equal(relay.typing({ to: 'alice' }), true);
  const typing = ws.sent.filter((f) => f.type === 'typing');
  assert.deepEqual(typing, [{ type: 'typing', to: 'alice' }, { type: 'typing', room: 'r1' }, { type: 'typing', to: 'alice' }]);
});

test('a message sent ends the typing budget of its conversation: the next key press says so again', async () => {
  let now = 0;
  const { relay, ws } = await connected({ now: () => now });
  assert.equal(relay.typing({ to: 'alice' }), true);
  now = 500;
  relay.send({ to: 'alice', body: 'hi' }).catch(() => {});
  assert.equal(relay.typing({ to: 'alice' }), true, 'alice cleared the indicator when "hi" came');
  assert.equal(relay.typing({ to: 'alice' }), false);
  assert.equal(ws.sent.filter((f) => f.type === 'typing').length, 2);
});

test('typing is not sent without a WebSocket, and a failed try does not spend the budget', async () => {
  const made = fakeClient();
  assert.equal(made.relay.typing({ to: 'alice' }), false);
  made.relay.connect();
  await settle();
  made.WebSocket.all[0].serverOpen();
  made.WebSocket.all[0].serverFrame(hello());
  assert.equal(made.relay.typing({ to: 'alice' }), true);
});

test('a typing frame shows its sender for 5 s; another one keeps them shown; their message hides them', async () => {
  const { relay, ws, timers } = await connected();
  const seen = [];
  relay.on('typing', (t) => seen.push(`${t.conversation} ${t.from} ${t.typing}`));
  ws.serverFrame({ type: 'typing', from: 'alice', to: 'bob' });
  timers.advance(4000);
  ws.serverFrame({ type: 'typing', from: 'alice', to: 'bob' });
  timers.advance(4000);
  assert.deepEqual(relay.typers.typing('u:alice'), ['alice']);
  timers.advance(1000);
  assert.deepEqual(relay.typers.typing('u:alice'), []);
  ws.serverFrame({ type: 'typing', from: 'carol', room: 'r1' });
  ws.serverFrame({ type: 'message', seq: '100-30', id: '01M30', from: 'carol', room: 'r1', body: 'hi', ts: 5 });
  assert.deepEqual(seen, ['u:alice alice true', 'u:alice alice true', 'u:alice alice false', 'r:r1 carol true', 'r:r1 carol false']);
});

test('TypingIndicators.clear releases every timer without events', () => {
  const timers = new ManualTimers();
  const changes = [];
  const typers = new TypingIndicators({ onChange: (c) => changes.push(c), timers });
  typers.seen({ from: 'alice', to: 'bob' }, 'bob');
  typers.clear();
  assert.equal(timers.pendingDelay(), null);
  assert.equal(changes.length, 1);
});

test('Conversations.load of a second page adds to the first', () => {
  const model = new Conversations();
  model.load([listed]);
  model.load([{ id: 'r:r1', peer: null, room: 'r1', last: { ...direct(1), room: 'r1' }, unread: 0, readUpTo: null }]);
  assert.deepEqual(model.list().map((c) => c.id), ['u:alice', 'r:r1']);
});
