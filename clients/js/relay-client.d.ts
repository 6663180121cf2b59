// Type declarations of relay-client.js (the Relay browser client). See README.md beside this file.
// test/types.test.mjs checks that every export and every method of the module is declared here.

/** Any JSON value: a message body. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A message in the user's log (direct or room), or a transient event (no `seq`, `transient: true`). */
export interface MessageFrame {
  type: 'message';
  /** Position in the user's log: increasing, opaque; absent on transient events. */
  seq?: string;
  /** The message's global id (the same in every log). */
  id: string;
  from: string | null;
  to?: string | null;
  room?: string | null;
  /** Absent on a recalled message. */
  body?: Json;
  ts: number;
  transient?: boolean;
  /** True once the sender changed the body (history and `last` show the current one). */
  edited?: boolean;
  /** True once the sender took the message back (history and `last` show it without its body). */
  recalled?: boolean;
}

/** A message's body was changed by its sender (in every log that holds it). */
export interface EditFrame {
  type: 'edit';
  seq: string;
  /** The message changed. */
  id: string;
  body: Json;
  by: string;
  ts?: number;
}

/** A message was taken back by its sender or the backend (in every log that holds it). */
export interface RecallFrame {
  type: 'recall';
  seq: string;
  id: string;
  by: string | null;
  ts?: number;
}

/** The user's read marker of a conversation moved (on this device or another). */
export interface ReadMarkerFrame {
  type: 'read_marker';
  seq: string;
  /** `u:<peer>` or `r:<room>`. */
  conversation: string;
  upTo: string;
  ts?: number;
}

/** A conversation as a chat list draws it. */
export interface Conversation {
  /** `u:<peer>` or `r:<room>`. */
  id: string;
  peer: string | null;
  room: string | null;
  /** The newest message (its current body, or `recalled: true`), or null. */
  last: MessageFrame | null;
  /** Messages from others after `readUpTo`. */
  unread: number;
  /** The id of the last message read, or null. */
  readUpTo: string | null;
}

/** A page of `listConversations`. */
export interface ConversationPage {
  conversations: Conversation[];
  /** The `before` of the next page, or null after the last. */
  next: string | null;
}

/** Someone started (`typing: true`, shown for `expiresInMs` unless another frame comes) or stopped typing. */
export interface TypingChange {
  /** `u:<peer>` (they type to the user) or `r:<room>`. */
  conversation: string;
  from: string;
  room: string | null;
  typing: boolean;
  expiresInMs?: number;
}

/** A read receipt for a message the user sent. */
export interface ReceiptFrame {
  type: 'receipt';
  seq: string;
  id: string;
  status: 'read';
  by: string;
  ts: number;
}

/** A room membership change. */
export interface MemberFrame {
  type: 'member';
  seq: string;
  id: string;
  room: string;
  uid: string;
  action: 'added' | 'removed' | string;
  by: string | null;
  ts: number;
}

/** The server's greeting once live delivery is armed (WebSocket and SSE). */
export interface HelloFrame {
  type: 'hello';
  uid: string;
  connectionId: string;
  heartbeatSec: number;
  recovered: boolean;
}

/** A message of a channel, as handed to a `subscribe` handler. */
export interface ChannelMessage {
  type: 'message';
  channel: string;
  /** Position in the channel's history: increasing, opaque; absent on transient messages. */
  offset?: string;
  id: string;
  /** The publishing user, or the backend's `from`, or null. */
  from: string | null;
  body: Json;
  ts: number;
}

/** Live delivery of a channel is armed; `offset` is its newest message then (null: none yet). */
export interface SubscribedFrame {
  type: 'subscribed';
  channel: string;
  offset: string | null;
  /** False when the history no longer held every message after the offset resumed from. */
  recovered: boolean;
}

export interface UnsubscribedFrame {
  type: 'unsubscribed';
  channel: string;
}

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';
export type TransportName = 'ws' | 'sse' | 'poll';

export interface StateChange {
  state: ConnectionState;
  transport: TransportName | null;
}

/** What each event of `RelayClient.on` hands to its listener. */
export interface RelayEvents {
  message: MessageFrame;
  receipt: ReceiptFrame;
  member: MemberFrame;
  edit: EditFrame;
  recall: RecallFrame;
  read_marker: ReadMarkerFrame;
  /** A conversation of `client.conversations` changed (new message, read marker, edit, recall, `markRead`). */
  conversation: Conversation;
  typing: TypingChange;
  state: StateChange;
  /**
   * The user's log could not be resumed from the cursor (a `hello` with `recovered: false`, or
   * long-poll's `{type: 'gap'}`), or a channel from its offset (a `subscribed` frame, which names
   * the channel).
   */
  gap: HelloFrame | SubscribedFrame | { type: 'gap'; recovered: false };
  subscribed: SubscribedFrame;
  unsubscribed: UnsubscribedFrame;
  error: RelayError;
}

/** Storage with the localStorage interface (for the resume cursor). */
export interface CursorStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem?(key: string): void;
}

/** The timer functions the client uses (globalThis by default; tests pass a fake clock). */
export interface Timers {
  setTimeout(fn: () => void, ms?: number): unknown;
  clearTimeout(id: unknown): void;
  setInterval(fn: () => void, ms?: number): unknown;
  clearInterval(id: unknown): void;
}

export interface RelayClientOptions {
  /** Base URL of the ingest-service (`POST /v1/messages`, `/v1/channels/…`). */
  ingestUrl: string;
  /** Base URL of the push-service (`/v1/ws`, `/v1/sse`, `/v1/poll`); `ws(s)://` is derived from it. */
  pushUrl: string;
  /** A JWT; or give `getToken`. */
  token?: string;
  /** Returns a fresh JWT: called at the start, near `exp`, after a 4001 close and after a 401. */
  getToken?: () => Promise<string> | string;
  /** Device id (1–64 of `[A-Za-z0-9_.:@-]`): the resume cursor and acks are per user and device. Default `'default'`. */
  device?: string;
  /** The transports to try, in order. Default `['ws', 'sse', 'poll']`. */
  transports?: TransportName[];
  /** Reconnect backoff. Default: from 0.5 s doubling up to 30 s, full jitter. */
  backoff?: Backoff;
  /** Message ids remembered for de-duplication. Default 1000. */
  dedupeWindow?: number;
  /** Acks go out at most this often (ms)… Default 1000. */
  ackIntervalMs?: number;
  /** …or at once after this many deliveries. Default 20. */
  ackEvery?: number;
  /** Tries per `send()` / `publish()` before it rejects. Default 6. */
  sendAttempts?: number;
  /** Where the resume cursor is kept; default localStorage when usable; null keeps it in memory. */
  storage?: CursorStorage | null;
  /** Replacements for the browser's classes and functions (tests, or non-browser runtimes). */
  WebSocket?: typeof globalThis.WebSocket;
  EventSource?: unknown;
  fetch?: typeof globalThis.fetch;
  timers?: Timers;
  now?: () => number;
}

export interface SendResult {
  id: string;
  ts?: number;
  duplicate?: boolean;
  clientMsgId: string;
}

export interface PublishResult {
  id: string;
  offset?: string;
  ts?: number;
  duplicate?: boolean;
  clientMsgId: string;
}

export interface TransientPublishResult {
  delivered: number | null;
}

/** A connection to Relay for one user and device. */
export class RelayClient {
  constructor(options: RelayClientOptions);

  /** Adds a listener; returns a function that removes it. */
  on<E extends keyof RelayEvents>(event: E, fn: (data: RelayEvents[E]) => void): () => void;
  /** Starts receiving; reconnects by itself until `close()`. */
  connect(): void;
  /** Stops receiving, flushes pending acks, reconnects no more. Channels stay wanted for a later `connect()`. */
  close(): void;
  /** Sends a direct (`to`) or room (`room`) message; retries safely with one clientMsgId. */
  send(message: { to: string; body: Json; clientMsgId?: string } | { room: string; body: Json; clientMsgId?: string }): Promise<SendResult>;
  /** Publishes to a channel (needs a `publish` claim that grants it). */
  publish(channel: string, body: Json, options?: { transient?: false; clientMsgId?: string }): Promise<PublishResult>;
  publish(channel: string, body: Json, options: { transient: true }): Promise<TransientPublishResult>;
  /**
   * Hands every message of `channel` to `handler`, once each and in order, across reconnects
   * (resubscribing after the last offset delivered). `since` starts a channel not subscribed yet
   * after that offset (`'0'`: from the oldest message the history keeps).
   */
  subscribe(channel: string, handler: (message: ChannelMessage) => void, options?: { since?: string | null }): Subscription;
  /** Sends a read receipt; false when the transport in use cannot carry it (only WebSocket can). */
  read(id: string): boolean;
  /** The user's conversations, kept in step by the log from the first `listConversations` on. */
  readonly conversations: Conversations;
  /** Who is typing where now (`typers.typing('u:bob')`). */
  readonly typers: TypingIndicators;
  /** One page of the user's conversations, the most recent first; it joins `conversations`. */
  listConversations(options?: { limit?: number; before?: string | null }): Promise<ConversationPage>;
  /** Moves a conversation's read marker forward to message `upTo`; resolves the server's unread count after it. */
  markRead(conversationId: string, upTo: string): Promise<{ unread: number }>;
  /** Changes the body of a message the user sent (`403` for someone else's, `404` for an unknown id). */
  edit(messageId: string, body: Json): Promise<{ id: string; edited: true }>;
  /** Takes back a message the user sent. */
  recall(messageId: string): Promise<{ id: string; recalled: true }>;
  /**
   * Says the user is typing to `to` or in `room`: at most one frame per conversation every 2 s (call it
   * on every key press). False when nothing went out: too soon, or not on a WebSocket.
   */
  typing(target: { to: string } | { room: string }): boolean;
  /** The transport in use now, or null. */
  readonly transportName: TransportName | null;

  private emit;
  private removeChannelHandler;
  private channelsChanged;
  private reopenForChannels;
  private request;
  private keepConversations;
  private openNext;
  private openParams;
  private dropForbiddenChannels;
  private refuseChannel;
  private sinkFor;
  private onOpened;
  private markOpen;
  private onFrame;
  private onError;
  private resubscribe;
  private deliverToChannel;
  private deliver;
  private onClosed;
  private scheduleReconnect;
  private startWatchdog;
  private reconnectNow;
  private dropTransport;
  private clearTimers;
  private setState;
  private watchNetwork;
  private sendAck;
  private currentToken;
  private refreshToken;
  private sleep;
}

/** One handler's interest in a channel (made by `RelayClient.subscribe`). */
export class Subscription {
  private constructor();
  private client;
  private handler;
  readonly channel: string;
  /** The offset of the channel's last message handed to the handlers, or null. */
  readonly offset: string | null;
  /** False once unsubscribed, or when the server refused the channel (see the `error` event). */
  readonly active: boolean;
  /** Stops this handler; the last handler of a channel unsubscribes it on the server. */
  unsubscribe(): void;
}

/** An error answered by the server, or a network failure (status 0); `channel` when it is about one. */
export class RelayError extends Error {
  constructor(status: number, code: string, message: string, channel?: string | null);
  readonly name: 'RelayError';
  /** HTTP status (0 for WebSocket error frames and network failures). */
  status: number;
  /** `invalid_field`, `forbidden`, `not_member`, `rate_limited`, `network`, … */
  code: string;
  channel: string | null;
}

// --- The client's parts, exported for tests and for clients built on them --------------------

/** Compares two seqs or offsets (`<millis>-<n>` or `<millis>`): negative, zero or positive. */
export function compareSeq(a: string, b: string): number;

/** The `sub` of a JWT (the user id), or null when it cannot be read. No signature check. */
export function tokenSubject(token: string): string | null;

/** Whether a token claim's patterns grant `channel`: an exact name, or a prefix ending in `*`. */
export function channelAllowed(patterns: readonly string[] | null | undefined, channel: string): boolean;

/** The conversation of a frame: `r:<room>`, `u:<the other side>`, or the frame's `conversation`; null when unknown. */
export function conversationOf(frame: { conversation?: string | null; room?: string | null; from?: string | null; to?: string | null }, me: string | null): string | null;

/** The user's conversations, kept in step by the log's entries (see README). */
export class Conversations {
  constructor();
  private byId;
  /** Takes conversations as `GET /v1/conversations` lists them; returns all known. */
  load(list: ReadonlyArray<{ id: string; peer?: string | null; room?: string | null; last?: MessageFrame | null; unread?: number; readUpTo?: string | null }> | null | undefined): Conversation[];
  get(id: string): Conversation | null;
  /** The most recent first. */
  list(): Conversation[];
  /** A message of the user's log; returns its conversation. */
  message(frame: MessageFrame, me: string | null): Conversation | null;
  /** The read marker moved; `unread` is the server's count when known. */
  read(id: string, upTo: string, unread?: number | null): Conversation | null;
  /** Returns the conversations whose `last` changed. */
  edit(frame: { id: string; body: Json }): Conversation[];
  recall(frame: { id: string }): Conversation[];
  private replaceLast;
  private entry;
}

/** Who is typing where, each shown for `shownMs` after their last `typing` frame. */
export class TypingIndicators {
  constructor(options: { onChange: (change: TypingChange) => void; shownMs?: number; timers?: Timers });
  seen(frame: { from: string; to?: string; room?: string | null }, me: string | null): void;
  stop(conversation: string, from: string): void;
  /** Who is typing in `conversation` now. */
  typing(conversation: string): string[];
  clear(): void;
  private cancel;
}

/** Exponential backoff with full jitter: attempt n waits random(0, min(maxMs, baseMs·2ⁿ)). */
export class Backoff {
  constructor(options?: { baseMs?: number; maxMs?: number; random?: () => number });
  /** The ceiling of the next delay, before jitter. */
  ceiling(): number;
  /** The next delay in ms. */
  next(): number;
  reset(): void;
}

/** Remembers the last `capacity` keys seen. */
export class Deduper {
  constructor(capacity?: number);
  /** True when `key` was seen before; otherwise records it. */
  seen(key: string | null | undefined): boolean;
  readonly size: number;
}

/** Cumulative acks in batches. */
export class AckBatcher {
  constructor(options: { send: (seq: string) => void; intervalMs?: number; maxPending?: number; timers?: Timers });
  delivered(seq: string): void;
  flush(): void;
  reset(): void;
  private cancelTimer;
}

/** The resume cursor per user and device. */
export class CursorStore {
  constructor(storage?: CursorStorage | null);
  static defaultStorage(): CursorStorage | null;
  static key(uid: string, device: string): string;
  get(uid: string, device: string): string | null;
  set(uid: string, device: string, seq: string): void;
}

/** The channels a client wants, with their handlers and last offsets. */
export class ChannelSet {
  constructor();
  /** True when the channel is new. */
  add(channel: string, handler: (message: ChannelMessage) => void, since?: string | null): boolean;
  /** True when it was the channel's last handler. */
  remove(channel: string, handler: (message: ChannelMessage) => void): boolean;
  drop(channel: string): boolean;
  has(channel: string, handler?: (message: ChannelMessage) => void): boolean;
  names(): string[];
  readonly size: number;
  offset(channel: string): string | null;
  handlers(channel: string): Array<(message: ChannelMessage) => void>;
  resumeFrom(channel: string): string | null;
  subscribeFrame(channel: string): { type: 'subscribe'; channel: string; since?: string };
  armed(channel: string, offset: string | null): void;
  advance(channel: string, offset: string | null): void;
  /** True for a frame to hand on (and moves the cursor); false for a repeat or an unwanted channel. */
  accept(frame: { channel: string; offset?: string | null }): boolean;
  /** `name:<offset>,name` for the `channels` query parameter of SSE and long-poll. */
  param(): string;
}
