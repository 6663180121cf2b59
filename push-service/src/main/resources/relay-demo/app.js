// Relay demo (dev mode only): the SDK in use, with a conversation list (unread badges kept in step
// on every device), presence, a room, receipts, edits, recalls and typing, and a seat map kept in
// step across tabs by a channel.
import { RelayClient } from '/relay-client.js';

const DEMO_USERS = ['alice', 'bob', 'carol'];
const ROOM = 'lobby';
const PRESENCE_EVERY_MS = 3000;
const CONVERSATIONS_LISTED = 50;
const NAME = /^[A-Za-z0-9_.:@-]{1,64}$/;
// The seat map's channel: `show:<id>` with the id from `?show=` (default `demo`); the page's
// tokens may subscribe and publish to every `show:` channel.
const SHOW_CHANNEL = `show:${new URLSearchParams(location.search).get('show') ?? 'demo'}`;
const CHANNEL_RIGHTS = ['show:*'];
const SEAT_ROWS = ['A', 'B', 'C', 'D', 'E'];
const SEATS_PER_ROW = 8;
const SEAT_LOG_SHOWN = 6;

const $ = (id) => document.getElementById(id);
const state = {
  me: null, client: null, config: null, active: null,
  conversations: new Map(), // key ("u:bob" | "r:lobby") → [{el, msg}]
  byId: new Map(),          // message id → element
  readSent: new Set(),
  markedRead: new Map(),    // conversation → the upTo last asked for
  editing: null,            // id of our message being edited in the composer
  roomReady: false,
};

async function loadConfig() {
  const config = await (await fetch('/demo-config.json')).json();
  config.ingestUrl ??= `${location.protocol}//${location.hostname}:8080`;
  return config;
}

async function ingest(path, { method = 'GET', body, apiKey = true } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (apiKey) headers['X-Api-Key'] = state.config.apiKey;
  const response = await fetch(state.config.ingestUrl + path, { method, headers, body: body && JSON.stringify(body) });
  let json = null;
  try {
    json = await response.json();
  } catch { /* empty body */ }
  return { status: response.status, json };
}

// Dev shortcut: the page mints its own token with the dev API key (a backend does this in production).
async function mintToken() {
  const body = { uid: state.me, ttlSec: 3600, channels: CHANNEL_RIGHTS, publish: CHANNEL_RIGHTS };
  const { status, json } = await ingest('/v1/tokens', { method: 'POST', body });
  if (status !== 200) throw new Error(`token request answered ${status}`);
  return json.token;
}

function deviceId() {
  let id = localStorage.getItem('relay-demo-device');
  if (!id) {
    id = `web-${Math.random().toString(36).slice(2, 10)}`;
    localStorage.setItem('relay-demo-device', id);
  }
  return id;
}

// --- contacts and presence -----------------------------------------------------------------

function ensureContact(key, label) {
  if (state.conversations.has(key)) return;
  state.conversations.set(key, []);
  const li = document.createElement('li');
  li.dataset.key = key;
  const isRoom = key.startsWith('r:');
  if (isRoom) li.dataset.room = key.slice(2);
  else li.dataset.uid = key.slice(2);
  li.innerHTML = `<span class="dot ${isRoom ? 'room' : ''}"></span>`
    + '<span class="who"><span class="name"></span><span class="preview"></span></span><span class="unread"></span>';
  li.querySelector('.name').textContent = label;
  li.addEventListener('click', () => openConversation(key));
  $('contacts').append(li);
}

async function refreshPresence() {
  const uids = [...state.conversations.keys()].filter((k) => k.startsWith('u:')).map((k) => k.slice(2));
  if (uids.length === 0) return;
  let online = null;
  try {
    const { status, json } = await ingest(`/v1/presence?uids=${uids.map(encodeURIComponent).join(',')}`);
    if (status === 200) online = presenceMap(json);
    $('presence-note').textContent = status === 200 ? '' : `Presence is not available on this server (${status}): dots stay grey.`;
  } catch {
    $('presence-note').textContent = 'Presence could not be read: dots stay grey.';
  }
  for (const li of $('contacts').querySelectorAll('li[data-uid]')) {
    const dot = li.querySelector('.dot');
    const known = online && li.dataset.uid in online;
    dot.className = `dot ${known ? (online[li.dataset.uid] ? 'online' : 'offline') : ''}`;
    li.dataset.online = known ? String(online[li.dataset.uid]) : 'unknown';
  }
}

/** uid → online, from the batch presence answer (a list, or an object that holds one or is keyed by uid). */
function presenceMap(json) {
  const list = Array.isArray(json) ? json
    : Array.isArray(json?.presence) ? json.presence
      : Array.isArray(json?.users) ? json.users
        : json?.uid ? [json]
          : Object.entries(json ?? {}).map(([uid, v]) => ({ uid, ...(typeof v === 'object' ? v : { online: v }) }));
  return Object.fromEntries(list.map((p) => [p.uid, Boolean(p.online)]));
}

async function joinRoom() {
  const put = await ingest(`/v1/rooms/${ROOM}/members/${encodeURIComponent(state.me)}`, { method: 'PUT' });
  if (put.status < 300) return roomReady();
  const post = await ingest('/v1/rooms', { method: 'POST', body: { id: ROOM, members: [state.me] } });
  if (post.status < 300) return roomReady();
  const retry = await ingest(`/v1/rooms/${ROOM}/members/${encodeURIComponent(state.me)}`, { method: 'PUT' });
  if (retry.status < 300) return roomReady();
  $('room-note').textContent = `Rooms are not available on this server (${post.status}): the "${ROOM}" room is read-only here.`;
}

function roomReady() {
  state.roomReady = true;
  $('room-note').textContent = '';
}

// --- conversations -------------------------------------------------------------------------

function keyOf(msg) {
  if (msg.room) return `r:${msg.room}`;
  return `u:${msg.from === state.me ? msg.to : msg.from}`;
}

function contactItem(key) {
  return $('contacts').querySelector(`li[data-key="${CSS.escape(key)}"]`);
}

/** The list's entry of a conversation as the SDK keeps it: unread badge, last message, most recent first. */
function showConversation(conversation) {
  ensureContact(conversation.id, conversation.room != null ? `# ${conversation.room}` : conversation.id.slice(2));
  const li = contactItem(conversation.id);
  const unread = state.active === conversation.id ? 0 : conversation.unread;
  li.querySelector('.unread').textContent = unread > 0 ? String(unread) : '';
  li.dataset.unread = String(unread);
  const last = conversation.last;
  li.querySelector('.preview').textContent = last == null ? ''
    : `${last.from === state.me ? 'you: ' : ''}${last.recalled ? 'message recalled' : textOf(last.body)}`;
  li.dataset.ts = String(last?.ts ?? 0);
  const items = [...$('contacts').children];
  items.sort((a, b) => Number(b.dataset.ts ?? 0) - Number(a.dataset.ts ?? 0));
  if (items.some((item, i) => item !== $('contacts').children[i])) $('contacts').replaceChildren(...items);
  if (unread === 0 && conversation.unread > 0) markRead(); // the open one: read on screen
}

async function listConversations() {
  try {
    const { conversations } = await state.client.listConversations({ limit: CONVERSATIONS_LISTED });
    conversations.forEach(showConversation);
    $('conversations-note').textContent = '';
  } catch (e) {
    $('conversations-note').textContent = `No conversation list on this server (${e.status ?? ''} ${e.code ?? e.message}): badges count this page's messages only.`;
  }
}

function openConversation(key) {
  state.active = key;
  cancelEdit();
  for (const li of $('contacts').children) li.classList.toggle('active', li.dataset.key === key);
  contactItem(key).querySelector('.unread').textContent = '';
  $('peer').textContent = key.startsWith('r:') ? `Room ${key.slice(2)}` : `Chat with ${key.slice(2)}`;
  $('messages').replaceChildren(...state.conversations.get(key).map((m) => m.el));
  const canSend = key.startsWith('u:') || state.roomReady;
  $('text').disabled = $('send').disabled = !canSend;
  $('text').focus();
  markRead();
  showTyping();
  scrollDown();
}

function textOf(body) {
  return typeof body?.text === 'string' ? body.text : JSON.stringify(body);
}

function render(msg, { pending = false } = {}) {
  const mine = msg.from === state.me;
  const el = document.createElement('div');
  el.className = `msg${mine ? ' mine' : ''}`;
  el.dataset.from = msg.from;
  if (msg.id) el.dataset.id = msg.id;
  el.innerHTML = '<div class="from"></div><div class="text"></div>';
  el.querySelector('.from').textContent = mine ? 'you' : msg.from;
  el.querySelector('.text').textContent = textOf(msg.body);
  if (mine) {
    const status = document.createElement('div');
    status.className = 'status';
    status.textContent = pending ? 'sending…' : '✓ sent';
    const actions = document.createElement('span');
    actions.className = 'actions';
    actions.innerHTML = '<button type="button" class="edit">edit</button><button type="button" class="recall">recall</button>';
    actions.querySelector('.edit').addEventListener('click', () => startEdit(el));
    actions.querySelector('.recall').addEventListener('click', () => recall(el));
    el.append(actions, status);
  }
  return el;
}

function append(key, msg, el) {
  ensureContact(key, key.slice(2));
  state.conversations.get(key).push({ el, msg });
  if (state.active === key) {
    $('messages').append(el);
    scrollDown();
    markRead();
  }
}

function onMessage(msg) {
  if (state.byId.has(msg.id)) return; // our own message, already shown when send() resolved
  const el = render(msg);
  state.byId.set(msg.id, el);
  append(keyOf(msg), msg, el);
}

/**
 * The open conversation is read: its read marker moves to its last message (the user's other
 * devices clear their badge), and the peer's direct messages on screen get read receipts
 * (WebSocket only, see the SDK README).
 */
function markRead() {
  if (!state.active || document.visibilityState !== 'visible') return;
  moveReadMarker(state.active);
  if (!state.active.startsWith('u:')) return;
  for (const { msg } of state.conversations.get(state.active)) {
    if (msg.from !== state.me && msg.id && !state.readSent.has(msg.id) && state.client.read(msg.id)) {
      state.readSent.add(msg.id);
    }
  }
}

function moveReadMarker(key) {
  const conversation = state.client.conversations.get(key);
  const upTo = conversation?.last?.id;
  if (!conversation?.unread || !upTo || state.markedRead.get(key) === upTo) return;
  state.markedRead.set(key, upTo);
  state.client.markRead(key, upTo).catch((e) => {
    state.markedRead.delete(key);
    console.warn('relay: markRead failed', e.code, e.message);
  });
}

// --- edits, recalls and typing: applied when their entries arrive, in every tab alike --------

function startEdit(el) {
  if (!el.dataset.id || el.dataset.recalled === 'true') return;
  state.editing = el.dataset.id;
  $('composer').dataset.editing = el.dataset.id;
  $('text').value = el.querySelector('.text').textContent;
  $('send').textContent = 'Save';
  $('text').focus();
}

function cancelEdit() {
  state.editing = null;
  delete $('composer').dataset.editing;
  $('send').textContent = 'Send';
}

async function saveEdit(id, text) {
  cancelEdit();
  try {
    await state.client.edit(id, { text });
  } catch (e) {
    notice(`Could not edit: ${e.code ?? ''} ${e.message}`);
  }
}

async function recall(el) {
  if (!el.dataset.id) return;
  try {
    await state.client.recall(el.dataset.id);
  } catch (e) {
    notice(`Could not recall: ${e.code ?? ''} ${e.message}`);
  }
}

function onEdit({ id, body }) {
  const el = state.byId.get(id);
  if (!el || el.dataset.recalled === 'true') return;
  el.querySelector('.text').textContent = textOf(body);
  el.dataset.edited = 'true';
}

function onRecall({ id }) {
  const el = state.byId.get(id);
  if (!el) return;
  el.querySelector('.text').textContent = 'message recalled';
  el.dataset.recalled = 'true';
  el.querySelector('.actions')?.remove();
  if (state.editing === id) cancelEdit();
}

function sendTyping() {
  if (!state.active || state.editing || !$('text').value) return;
  state.client.typing(state.active.startsWith('r:') ? { room: state.active.slice(2) } : { to: state.active.slice(2) });
}

/** "alice is typing…" under the open conversation; the SDK hides a sender 5 s after their last frame. */
function showTyping() {
  const names = state.active ? state.client.typers.typing(state.active) : [];
  $('typing').textContent = names.length ? `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} typing…` : '';
  $('typing').dataset.who = names.join(',');
}

function onReceipt(receipt) {
  const el = state.byId.get(receipt.id);
  const status = el?.querySelector('.status');
  if (status && receipt.status === 'read') {
    status.textContent = `✓✓ read by ${receipt.by}`;
    status.classList.add('read');
    el.dataset.read = 'true';
  }
}

async function sendCurrent(event) {
  event.preventDefault();
  const text = $('text').value.trim();
  if (!text || !state.active) return;
  $('text').value = '';
  if (state.editing) return saveEdit(state.editing, text);
  const key = state.active;
  const target = key.startsWith('r:') ? { room: key.slice(2) } : { to: key.slice(2) };
  const msg = { from: state.me, ...target, body: { text } };
  const el = render(msg, { pending: true });
  append(key, msg, el);
  try {
    const { id } = await state.client.send({ ...target, body: { text } });
    const echoed = state.byId.get(id);
    if (echoed && echoed !== el) {
      el.remove(); // the echo from our own log got here first
      const list = state.conversations.get(key);
      list.splice(list.findIndex((m) => m.el === el), 1);
      return;
    }
    msg.id = el.dataset.id = id;
    state.byId.set(id, el);
    if (el.dataset.read !== 'true') el.querySelector('.status').textContent = '✓ sent';
  } catch (e) {
    el.querySelector('.status').textContent = `not sent: ${e.code ?? ''} ${e.message}`;
    el.classList.add('failed');
  }
}

function scrollDown() {
  $('messages').scrollTop = $('messages').scrollHeight;
}

function showState({ state: s, transport }) {
  const banner = $('banner');
  banner.dataset.state = s;
  banner.dataset.transport = transport ?? '';
  banner.textContent = transport ? `${s} · ${transport}` : s;
}

function notice(text) {
  $('notice').hidden = false;
  $('notice').textContent = text;
}

// --- seat map: one channel, every tab applies the same messages in the same order ------------

const show = {
  holders: new Map(), // seat → uid holding it
  log: [],            // one line per channel message applied, oldest first
};

function drawSeatMap() {
  $('show-channel').textContent = SHOW_CHANNEL;
  const cells = [];
  for (const row of SEAT_ROWS) {
    const name = document.createElement('span');
    name.className = 'row-name';
    name.textContent = row;
    cells.push(name);
    for (let n = 1; n <= SEATS_PER_ROW; n++) {
      const seat = document.createElement('button');
      seat.type = 'button';
      seat.className = 'seat';
      seat.dataset.seat = `${row}${n}`;
      seat.textContent = String(n);
      seat.addEventListener('click', () => clickSeat(seat.dataset.seat));
      cells.push(seat);
    }
  }
  $('seats').replaceChildren(...cells);
  for (const seat of $('seats').querySelectorAll('.seat')) renderSeat(seat.dataset.seat);
}

function seatButton(seat) {
  return $('seats').querySelector(`.seat[data-seat="${CSS.escape(String(seat))}"]`);
}

function renderSeat(seat, { pending = false } = {}) {
  const button = seatButton(seat);
  if (!button) return;
  const holder = show.holders.get(seat);
  button.dataset.state = pending ? 'pending' : holder ? 'taken' : 'free';
  button.dataset.mine = String(holder === state.me);
  button.dataset.by = holder ?? '';
  button.disabled = Boolean(holder) && holder !== state.me;
  button.title = holder ? `${seat}: taken by ${holder === state.me ? 'you' : holder}` : `${seat}: free`;
}

/** A channel message: the first `take` of a free seat wins, only its holder can `release` it. */
function applySeatMessage(msg) {
  const { seat, action } = msg.body ?? {};
  if (!seatButton(seat)) return;
  const holder = show.holders.get(seat);
  let line;
  if (action === 'take' && !holder) {
    show.holders.set(seat, msg.from);
    line = `${msg.from} took ${seat}`;
  } else if (action === 'release' && holder === msg.from) {
    show.holders.delete(seat);
    line = `${msg.from} freed ${seat}`;
  } else {
    line = `${msg.from} could not ${action} ${seat}${holder ? ` (${holder} has it)` : ''}`;
  }
  show.log.push(line);
  renderSeat(seat);
  const item = document.createElement('li');
  item.textContent = line;
  $('seat-log').prepend(item);
  while ($('seat-log').children.length > SEAT_LOG_SHOWN) $('seat-log').lastElementChild.remove();
}

async function clickSeat(seat) {
  const holder = show.holders.get(seat);
  if (holder && holder !== state.me) return;
  const action = holder ? 'release' : 'take';
  renderSeat(seat, { pending: true }); // until the channel brings it back, to this tab too
  try {
    await state.client.publish(SHOW_CHANNEL, { seat, action });
  } catch (e) {
    $('seat-note').textContent = `Could not ${action} ${seat}: ${e.code ?? ''} ${e.message}`;
    renderSeat(seat);
  }
}

function watchSeatMap(client) {
  drawSeatMap();
  try {
    // From the oldest message the channel keeps, so a new tab draws every seat taken before it opened.
    client.subscribe(SHOW_CHANNEL, applySeatMessage, { since: '0' });
  } catch (e) {
    $('seat-note').textContent = `No seat map: ${e.message}`;
    return;
  }
  client.on('subscribed', (s) => {
    if (s.channel !== SHOW_CHANNEL) return;
    $('seat-note').textContent = '';
    $('show').dataset.live = 'true';
  });
  // Live: the WebSocket's `subscribed` came, or SSE / long-poll, which name the channel when they open.
  client.on('state', ({ state: s, transport }) => {
    $('show').dataset.live = String(s === 'open' && transport !== 'ws');
  });
  client.on('gap', (g) => {
    if (g.channel === SHOW_CHANNEL) $('seat-note').textContent = 'The channel history was trimmed: older seats may be missing.';
  });
  client.on('error', (e) => {
    if (e.channel === SHOW_CHANNEL) $('seat-note').textContent = `The seat map is not available: ${e.code} ${e.message}`;
  });
}

// --- start ---------------------------------------------------------------------------------

function join() {
  const name = $('user').value.trim();
  if (!NAME.test(name)) return;
  state.me = name;
  $('me').textContent = name;
  $('login').hidden = true;
  $('chat').hidden = false;
  for (const uid of DEMO_USERS.filter((u) => u !== name)) ensureContact(`u:${uid}`, uid);
  ensureContact(`r:${ROOM}`, `# ${ROOM}`);

  const client = new RelayClient({
    ingestUrl: state.config.ingestUrl, pushUrl: location.origin, getToken: mintToken, device: deviceId(),
  });
  state.client = client;
  window.relayDemo = Object.assign(state, { show });
  client.on('state', showState);
  client.on('message', onMessage);
  client.on('receipt', onReceipt);
  client.on('conversation', showConversation);
  client.on('edit', onEdit);
  client.on('recall', onRecall);
  client.on('typing', showTyping);
  client.on('member', (m) => notice(`${m.uid} ${{ added: 'joined', removed: 'left' }[m.action] ?? m.action} #${m.room}`));
  client.on('gap', (g) => g.channel == null && notice('Some older messages could not be replayed (they were trimmed from the log).'));
  client.on('error', (e) => console.warn('relay:', e.code, e.message, e.channel ?? ''));
  watchSeatMap(client);
  client.connect();
  listConversations();

  openConversation(`u:${DEMO_USERS.find((u) => u !== name)}`);
  joinRoom().then(() => state.active === `r:${ROOM}` && openConversation(state.active)).catch(() => {});
  refreshPresence();
  setInterval(refreshPresence, PRESENCE_EVERY_MS);
}

function addContact(event) {
  event.preventDefault();
  const uid = $('new-contact').value.trim();
  if (!NAME.test(uid) || uid === state.me) return;
  $('new-contact').value = '';
  ensureContact(`u:${uid}`, uid);
  openConversation(`u:${uid}`);
  refreshPresence();
}

const configReady = loadConfig().then((config) => { state.config = config; });
document.addEventListener('visibilitychange', markRead);
$('login').addEventListener('submit', (event) => {
  event.preventDefault();
  configReady.then(() => join());
});
$('composer').addEventListener('submit', sendCurrent);
$('text').addEventListener('input', sendTyping);
$('text').addEventListener('keydown', (event) => event.key === 'Escape' && state.editing && ($('text').value = '', cancelEdit()));
$('add-contact').addEventListener('submit', addContact);
