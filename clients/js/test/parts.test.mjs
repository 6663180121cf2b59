// Fast tests of the SDK's pieces that need no browser: backoff, de-duplication, acks, cursors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AckBatcher, Backoff, channelAllowed, ChannelSet, compareSeq, CursorStore, Deduper, tokenSubject,
} from '../relay-client.js';
import { ManualTimers, MemoryStorage, token } from './fakes.mjs';

test('backoff ceilings double from 0.5 s and stop at 30 s', () => {
  const backoff = new Backoff({ random: () => 1 });
  const delays = Array.from({ length: 10 }, () => backoff.next());
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
});

test('backoff uses full jitter: any delay from 0 up to the ceiling', () => {
  const backoff = new Backoff({ random: () => 0 });
  assert.equal(backoff.next(), 0);
  const half = new Backoff({ random: () => 0.5 });
  half.next();
  assert.equal(half.next(), 500);
});

test('backoff starts over after reset', () => {
  const backoff = new Backoff({ random: () => 1 });
  backoff.next();
  backoff.next();
  backoff.reset();
  assert.equal(backoff.next(), 500);
});

test('deduper reports a key seen before', () => {
  const dedupe = new Deduper(10);
  assert.equal(dedupe.seen('a'), false);
  assert.equal(dedupe.seen('b'), false);
  assert.equal(dedupe.seen('a'), true);
});

test('deduper window is bounded and forgets the oldest key first', () => {
  const dedupe = new Deduper(3);
  ['a', 'b', 'c', 'd'].forEach((k) => dedupe.seen(k));
  assert.equal(dedupe.size, 3);
  assert.equal(dedupe.seen('d'), true);
  assert.equal(dedupe.seen('a'), false, 'a fell out of the window');
});

test('acks are batched: one cumulative ack per interval with the highest seq', () => {
  const timers = new ManualTimers();
  const sent = [];
  const acks = new AckBatcher({ send: (s) => sent.push(s), intervalMs: 1000, maxPending: 100, timers });
  acks.delivered('100-0');
  acks.delivered('100-1');
  acks.delivered('101-0');
  assert.deepEqual(sent, []);
  timers.advance(999);
  assert.deepEqual(sent, []);
  timers.advance(1);
  assert.deepEqual(sent, ['101-0']);
  timers.advance(5000);
  assert.deepEqual(sent, ['101-0'], 'nothing new, nothing sent');
});

test('acks go out at once when maxPending deliveries wait', () => {
  const timers = new ManualTimers();
  const sent = [];
  const acks = new AckBatcher({ send: (s) => sent.push(s), intervalMs: 1000, maxPending: 3, timers });
  acks.delivered('1-0');
  acks.delivered('2-0');
  acks.delivered('3-0');
  assert.deepEqual(sent, ['3-0']);
  acks.delivered('4-0');
  timers.advance(1000);
  assert.deepEqual(sent, ['3-0', '4-0']);
});

test('reset drops a pending ack (it belonged to a closed connection)', () => {
  const timers = new ManualTimers();
  const sent = [];
  const acks = new AckBatcher({ send: (s) => sent.push(s), timers });
  acks.delivered('1-0');
  acks.reset();
  timers.advance(5000);
  assert.deepEqual(sent, []);
});

test('seqs compare by millis, then by counter', () => {
  assert.ok(compareSeq('1700000000000-2', '1700000000000-10') < 0);
  assert.ok(compareSeq('1700000000001-0', '1700000000000-99') > 0);
  assert.equal(compareSeq('5', '5-0'), 0);
});

test('cursor store keeps one cursor per user and device', () => {
  const storage = new MemoryStorage();
  const cursors = new CursorStore(storage);
  cursors.set('bob', 'phone', '10-0');
  cursors.set('bob', 'laptop', '12-0');
  assert.equal(new CursorStore(storage).get('bob', 'phone'), '10-0', 'survives a reload');
  assert.equal(cursors.get('bob', 'laptop'), '12-0');
  assert.equal(cursors.get('alice', 'phone'), null);
});

test('cursor store falls back to memory when storage throws', () => {
  const broken = { getItem() { throw new Error('denied'); }, setItem() { throw new Error('denied'); } };
  const cursors = new CursorStore(broken);
  cursors.set('bob', 'd', '7-0');
  assert.equal(cursors.get('bob', 'd'), '7-0');
  assert.equal(new CursorStore(null).get('bob', 'd'), null);
});

test('the user id is read from the token', () => {
  assert.equal(tokenSubject(token('alice')), 'alice');
  assert.equal(tokenSubject('not-a-jwt'), null);
});

test('a channel set drops stored frames at or before its cursor, and passes transient ones', () => {
  const channels = new ChannelSet();
  channels.add('show:1', () => {});
  const frame = (offset) => ({ type: 'message', channel: 'show:1', offset });
  assert.equal(channels.accept(frame('5-1')), true);
  assert.equal(channels.accept(frame('5-1')), false);
  assert.equal(channels.accept(frame('4-9')), false);
  assert.equal(channels.accept(frame('10-0')), true);
  assert.equal(channels.accept(frame(undefined)), true, 'transient');
  assert.equal(channels.accept({ type: 'message', channel: 'show:2', offset: '99-0' }), false, 'not wanted');
  assert.equal(channels.offset('show:1'), '10-0');
});

test('a subscribed offset starts the cursor of a fresh subscription, but not of a resumed one', () => {
  const channels = new ChannelSet();
  channels.add('fresh', () => {});
  channels.add('empty', () => {});
  channels.add('resumed', () => {}, '3-0');
  for (const name of channels.names()) channels.subscribeFrame(name);
  channels.armed('fresh', '7-0');
  channels.armed('empty', null);
  channels.armed('resumed', '9-0'); // the replay after 3-0 moves this one
  assert.deepEqual(channels.names().map((n) => channels.offset(n)), ['7-0', '0-0', '3-0']);
  assert.deepEqual(channels.subscribeFrame('fresh'), { type: 'subscribe', channel: 'fresh', since: '7-0' });
});

test('a channel is kept while any handler wants it', () => {
  const channels = new ChannelSet();
  const a = () => {};
  const b = () => {};
  assert.equal(channels.add('c', a), true);
  assert.equal(channels.add('c', b, '5-0'), false);
  assert.equal(channels.offset('c'), null, 'since only starts a new channel');
  assert.equal(channels.remove('c', a), false);
  assert.equal(channels.remove('c', a), false, 'twice is harmless');
  assert.equal(channels.remove('c', b), true);
  assert.equal(channels.size, 0);
});

test('the channels parameter names each channel, with its offset when it has one', () => {
  const channels = new ChannelSet();
  channels.add('show:1', () => {}, '5-2');
  channels.add('news', () => {});
  channels.add('game:12-3', () => {}); // would read as channel `game` at offset 12-3
  channels.add('all', () => {}, '0'); // `all:0` would read as a channel named so
  assert.equal(channels.param(), 'show:1:5-2,news,game:12-3:0-0,all:0-0');
  channels.armed('show:1', '9-0');
  channels.armed('news', '7-0');
  assert.deepEqual(channels.names().map((n) => channels.offset(n)), ['5-2', '7-0', null, '0-0'],
    'a channel resumed by the URL waits for its replay');
});

test('channel claims grant exact names and prefixes ending in *', () => {
  assert.equal(channelAllowed(['show:*'], 'show:42'), true);
  assert.equal(channelAllowed(['show:42'], 'show:42'), true);
  assert.equal(channelAllowed(['show:4'], 'show:42'), false);
  assert.equal(channelAllowed(['*'], 'anything'), true);
  assert.equal(channelAllowed(undefined, 'show:42'), false);
});
