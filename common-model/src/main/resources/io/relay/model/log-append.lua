-- Prelude shared by every script that appends to user logs (LuaScript prepends it): retention,
-- the per-log message index and the publish, so every log entry is written the same way.
--
-- A log entry is a stream entry with field m = the JSON without seq, and for a message also
-- field i = its id. The index hash (relay:{u:<uid>}:ids, relay:{r:<room>}:ids) maps the id of
-- every message still in the stream to a value (user log: the sender, '' for none; room history:
-- the entry's position). Retention removes index fields together with their entries.

-- The publish command: PUBLISH on one Redis; on a Redis Cluster the services load every script
-- with this line saying SPUBLISH (sharded pub/sub, LuaScript.in), and a script then publishes only
-- on channels in the slot of its keys (a user's relay:{u:<uid>}:live is in that user's slot).
local PUBLISH = 'PUBLISH'

-- Redis's clock in ms, read once per script run: a script runs as a unit, so one reading serves
-- every check in it (the deadline, retention, the send budget), and each `redis.call` costs.
local clock_ms
local function now_ms()
  if not clock_ms then
    local now = redis.call('TIME')
    clock_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  end
  return clock_ms
end

-- True past `deadline` (Unix ms on Redis's clock, as the node estimates it): the caller may then
-- have been answered 503 already, so the script must not store anything (a Redis that hung and
-- resumed would otherwise store what the caller was told failed). Every storing script checks it
-- first and returns {'late'}.
local function is_late(deadline)
  return now_ms() > tonumber(deadline)
end

-- Send limit: one sender's budget, a token bucket shared by every node because it lives here.
--   key      the sender's bucket (relay:{u:<uid>}:rate or relay:{k:<keyTag>}:rate): a hash with
--            t = tokens left and at = ms of the last update
--   per_sec  tokens added per second (string or number); <= 0 means no limit, key untouched
--   burst    most tokens the bucket holds (a full bucket allows `burst` sends at once)
-- Takes one token and returns 0, or takes nothing and returns the milliseconds until a token will
-- be there (>= 1). Call it once per request, after the checks that store nothing (late, duplicate,
-- no such room, not a member) and before the first write; when it returns more than 0, return
-- {'rate_limited', <that>} without writing (LogWriter.refuseLateOrLimited answers 429 with
-- Retry-After). One line: local wait = take_token(KEYS[x], ARGV[y], ARGV[z]).
local function take_token(key, per_sec, burst)
  local rate = tonumber(per_sec)
  if rate <= 0 then
    return 0
  end
  local cap = tonumber(burst)
  local now = now_ms()
  local state = redis.call('HMGET', key, 't', 'at')
  local tokens = tonumber(state[1]) or cap
  local at = tonumber(state[2]) or now
  if now > at then
    tokens = math.min(cap, tokens + (now - at) * rate / 1000)
    at = now
  end
  if tokens < 1 then
    return math.max(1, math.ceil((1 - tokens) * 1000 / rate))
  end
  redis.call('HSET', key, 't', tostring(tokens - 1), 'at', tostring(at))
  -- Gone once it would be full again: an idle sender costs no memory.
  redis.call('PEXPIRE', key, math.ceil(cap * 1000 / rate) + 1000)
  return 0
end

-- The id an earlier send with the same idempotency key stored, or nil. `guarded`: '1' when the
-- caller gave a key (clientMsgId); '2' when the server chose it for a message id it has just
-- drawn (srv-<id>), so nothing can be stored under it yet and it is only remembered; '0': none.
local function earlier_send(guarded, key)
  if guarded ~= '1' then
    return nil
  end
  local earlier = redis.call('GET', key)
  return earlier or nil
end

-- Remembers `id` under the idempotency key for `seconds`, when there is one.
local function remember_send(guarded, key, id, seconds)
  if guarded == '1' or guarded == '2' then
    redis.call('SET', key, id, 'EX', tonumber(seconds))
  end
end

-- Milliseconds now, minus the retention age: entries stored up to this may be trimmed.
local function retention_cutoff(retention_ms)
  return now_ms() - retention_ms
end

local function field(fields, name)
  for f = 1, #fields, 2 do
    if fields[f] == name then
      return fields[f + 1]
    end
  end
  return nil
end

-- Retention (docs/reliability.md): keep the last `keep` entries and every entry stored after `cutoff`, whichever is
-- more. Removes at most 100 expired entries per append, so the cost stays constant. A log more
-- than 16 entries past `keep` holds that many entries younger than the cutoff (older ones would
-- have gone), so it is looked at on every 16th append only: reading its oldest entry is the
-- costliest call of an append, and entries age by days. `marker`
-- (optional) remembers the last removed seq; `ids` (optional) loses the removed messages' ids;
-- `removed` (optional) is called with (`context`, message id, its index value, its JSON) for each
-- removed message before its index field goes, so state kept beside the log (conversations) stays
-- exact.
local function trim(stream, marker, ids, keep, cutoff, removed, context)
  local excess = redis.call('XLEN', stream) - keep
  if excess <= 0 or (excess > 16 and excess % 16 ~= 0) then
    return
  end
  local oldest = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)
  if tonumber(string.match(oldest[1][1], '^(%d+)')) > cutoff then
    return
  end
  local candidates = redis.call('XRANGE', stream, '-', '+', 'COUNT', math.min(excess, 100))
  local expired = 0
  for _, entry in ipairs(candidates) do
    if tonumber(string.match(entry[1], '^(%d+)')) > cutoff then
      break
    end
    expired = expired + 1
    local id = ids and field(entry[2], 'i')
    if id then
      if removed then
        removed(context, id, redis.call('HGET', ids, id), field(entry[2], 'm'))
      end
      redis.call('HDEL', ids, id)
    end
  end
  if expired > 0 then
    redis.call('XTRIM', stream, 'MAXLEN', redis.call('XLEN', stream) - expired)
    if marker then
      redis.call('SET', marker, candidates[expired][1])
    end
  end
end

-- Conversations (docs/conversations.md). Every message entry of a user log belongs to one
-- conversation of that user: 'u:<peer>' (direct) or 'r:<room>' ('' for a backend message without
-- a sender: none). The index value of a message in a user log is '<sender> <seq> <conversation>'.
-- Beside the log, under the user's prefix relay:{u:<uid>}: (built from the log's key, the same
-- slot):
--   convs               sorted set: conversation -> score of its last message (see seq_score);
--                       that message is read from the log at that score (conversations-page.lua),
--                       so a store writes no copy of it
--   conv:<conversation> hash: read (the read marker's message id), rs (its score); and last
--                       (message JSON), lastId, ls (its edit state) only once retention removed
--                       the conversation's last message from the log (see keep_last_copy)
--   unread:<conversation> sorted set: message id -> score, exactly the unread messages: from
--                       others, after the marker, not recalled, still in the log
--   edits               hash: message id -> 'r' (recalled) or 'e' .. <body JSON> (edited)

-- Remembers where a message lives (relay:{m:<id>}:at, for edits and recalls) for the retention
-- age, at least a day.
local function remember_locator(key, value, retention_ms)
  redis.call('SET', key, value, 'PX', math.max(tonumber(retention_ms), 86400000))
end

-- A seq as one number that keeps log order: ms * 1000 + sequence (capped at 999).
local function seq_score(seq)
  local ms, n = string.match(seq, '^(%d+)-(%d+)$')
  return tonumber(ms) * 1000 + math.min(tonumber(n), 999)
end

-- seq_score as decimal text, for ZADD: a Lua number argument costs Redis a "%.17g" formatting,
-- about as much as the ZADD itself when a batch passes many.
local function seq_score_text(seq)
  local ms, n = string.match(seq, '^(%d+)-(%d+)$')
  n = tonumber(n)
  if n > 999 then
    n = 999
  end
  return ms .. (n < 10 and '00' or n < 100 and '0' or '') .. n
end

-- '<sender> <seq> <conversation>' -> sender, seq, conversation (nil for any other value).
local function parse_index(value)
  if not value then
    return nil
  end
  return string.match(value, '^([^ ]*) ([^ ]+) ([^ ]*)$')
end

local function user_prefix(log)
  return string.sub(log, 1, #log - 3) -- 'relay:{u:<uid>}:log' without 'log'
end

-- A conversation's last message is read from the log (at its score in convs); when retention
-- removes that very message, its JSON and edit state are copied into the conversation's hash
-- first, so the conversation keeps showing it. One read per removed message, a write only then.
local function keep_last_copy(prefix, conv, id, seq, json)
  if tonumber(redis.call('ZSCORE', prefix .. 'convs', conv)) == seq_score(seq) then
    redis.call('HSET', prefix .. 'conv:' .. conv, 'last', json, 'lastId', id,
        'ls', redis.call('HGET', prefix .. 'edits', id) or '')
  end
end

-- Called by trim for each message removed from the user log under `prefix`: it is unread no
-- more, the conversation keeps a copy if it was its last, and its edit state goes with it.
local function forget_removed(prefix, id, value, json)
  local _, seq, conv = parse_index(value)
  if conv and conv ~= '' then
    redis.call('ZREM', prefix .. 'unread:' .. conv, id)
    if json then
      keep_last_copy(prefix, conv, id, seq, json)
    end
  end
  redis.call('HDEL', prefix .. 'edits', id)
end

-- The conversation upkeep of one stored message (O(1) commands, O(log n) each): last activity
-- (which also locates the last message in the log) and one more unread when someone else sent it.
local function note_conversation(prefix, owner, conv, seq, id, sender)
  if conv == '' then
    return
  end
  local score = seq_score_text(seq)
  redis.call('ZADD', prefix .. 'convs', score, conv)
  if sender ~= owner then
    redis.call('ZADD', prefix .. 'unread:' .. conv, score, id)
  end
end

-- Appends `json` to a stream; when `id` is not '' indexes it under `ids` with `value` (nil: the
-- new entry's seq). Returns the seq.
local function add_entry(stream, ids, json, id, value)
  if id == '' then
    return redis.call('XADD', stream, '*', 'm', json)
  end
  local seq = redis.call('XADD', stream, '*', 'm', json, 'i', id)
  redis.call('HSET', ids, id, value or seq)
  return seq
end

-- store_log with the owner's key prefix and uid given (room scripts know them: no parsing).
local function store_under(prefix, owner, log, marker, ids, json, id, sender, conv, keep, cutoff)
  local seq
  if id == '' then
    seq = redis.call('XADD', log, '*', 'm', json)
  else
    seq = redis.call('XADD', log, '*', 'm', json, 'i', id)
    redis.call('HSET', ids, id, sender .. ' ' .. seq .. ' ' .. conv)
    note_conversation(prefix, owner, conv, seq, id, sender)
  end
  trim(log, marker, ids, keep, cutoff, forget_removed, prefix)
  return seq
end

-- Appends to one user's log (keys given) and trims it; a message (id not '') is indexed and noted
-- in conversation `conv` of the log's owner. Returns the seq.
local function store_log(log, marker, ids, json, id, sender, conv, keep, cutoff)
  local prefix = user_prefix(log)
  return store_under(prefix, string.match(prefix, '^relay:{u:(.*)}:$'), log, marker, ids, json, id, sender, conv,
      keep, cutoff)
end

-- The same, then publishes the frame on the user's own live channel; returns the seq.
local function append_log(log, marker, ids, channel, json, id, sender, conv, keep, cutoff)
  local seq = store_log(log, marker, ids, json, id, sender, conv, keep, cutoff)
  redis.call(PUBLISH, channel, '{"seq":"' .. seq .. '",' .. string.sub(json, 2))
  return seq
end

-- The same for a user named by id. Room scripts read their member lists inside the script, so
-- they build the user's keys here (the layout of RedisKeys): fine on one Redis; a Redis Cluster
-- would need one call per shard instead.
local function user_key(uid, suffix)
  return 'relay:{u:' .. uid .. '}:' .. suffix
end

local function append_user(uid, json, id, sender, conv, keep, cutoff)
  return append_log(user_key(uid, 'log'), user_key(uid, 'trimmed'), user_key(uid, 'ids'), user_key(uid, 'live'),
      json, id, sender, conv, keep, cutoff)
end

-- Room entries cross pub/sub once per push node, not once per member. A room script stores the
-- entry in each member's log without publishing, and notes (uid, seq) under every node that
-- holds a binding of that member (relay:{u:<uid>}:routes, connection id -> node, kept by the push
-- nodes beside the bindings: one read per member); a member with no binding is offline and reads
-- its log later. Then one PUBLISH per node on relay:{n:<node>}:live carries all its pairs and the
-- JSON once:
--   R\n<uid> <seq>\n<uid> <seq>\n...\n\n<entry json without seq>
-- (push-service: io.relay.push.live.NodePayload parses it).
local function new_routes()
  return {}
end

-- Notes `line` under every node holding a binding of the user whose keys start with `prefix`
-- (once per node). A route whose connection ended without its unbind landing lasts until the
-- user's next bind or the routes' TTL: that node then drops the line (it holds no such user).
local function route_under(routes, prefix, line)
  local nodes = redis.call('HVALS', prefix .. 'routes')
  local count = #nodes
  local noted = count > 1 and {} or nil -- one connection (the usual case) needs no dedup
  -- per connection of this member: a few (its devices)
  for c = 1, count do
    local node = nodes[c]
    if not (noted and noted[node]) then
      if noted then
        noted[node] = true
      end
      local lines = routes[node]
      if not lines then
        lines = {}
        routes[node] = lines
      end
      lines[#lines + 1] = line
    end
  end
end

-- Notes `line` under every node holding a live binding of `uid` (once per node).
local function route_to_bindings(routes, uid, line)
  route_under(routes, user_key(uid, ''), line)
end

-- Per member of a room script: the member's keys are built once (the loop runs M times).
local function store_and_route(routes, uid, json, id, sender, conv, keep, cutoff)
  local prefix = 'relay:{u:' .. uid .. '}:'
  local seq = store_under(prefix, uid, prefix .. 'log', prefix .. 'trimmed', prefix .. 'ids', json, id, sender, conv,
      keep, cutoff)
  route_under(routes, prefix, uid .. ' ' .. seq)
  return seq
end

-- Routes of a batch of room messages (store-room-message.lua): one routes table per message.
local function new_batch_routes(count)
  local routes = {}
  for j = 1, count do
    routes[j] = new_routes()
  end
  return routes
end

-- Per member of a room message batch (`stored`: {id, json, sender} in order, all of conversation
-- `conv`): one XADD per message, then for all of them together one HSET of the index, one ZADD of
-- the conversation's activity (its last message), one ZADD of the unread ones (not the member's
-- own), one trim check and one routing read, noting '<uid> <seq>' under routes[j] per message.
-- The same entries and index values as store_under gives each message in turn.
local function store_batch_and_route(routes, uid, stored, conv, keep, cutoff)
  local prefix = 'relay:{u:' .. uid .. '}:'
  local log = prefix .. 'log'
  local index = {}
  local unread = {}
  local seqs = {}
  local score
  -- per message of the batch: a few (the posts that waited together)
  for j = 1, #stored do
    local message = stored[j]
    local seq = redis.call('XADD', log, '*', 'm', message.json, 'i', message.id)
    seqs[j] = seq
    score = seq_score_text(seq)
    index[#index + 1] = message.id
    index[#index + 1] = message.sender .. ' ' .. seq .. ' ' .. conv
    if message.sender ~= uid then
      unread[#unread + 1] = score
      unread[#unread + 1] = message.id
    end
  end
  redis.call('HSET', prefix .. 'ids', unpack(index))
  redis.call('ZADD', prefix .. 'convs', score, conv)
  if #unread > 0 then
    redis.call('ZADD', prefix .. 'unread:' .. conv, unpack(unread))
  end
  trim(log, prefix .. 'trimmed', prefix .. 'ids', keep, cutoff, forget_removed, prefix)
  local nodes = redis.call('HVALS', prefix .. 'routes')
  local noted = #nodes > 1 and {} or nil -- one connection (the usual case) needs no dedup
  -- per connection of this member: a few (its devices)
  for c = 1, #nodes do
    local node = nodes[c]
    if not (noted and noted[node]) then
      if noted then
        noted[node] = true
      end
      for j = 1, #seqs do
        local lines = routes[j][node]
        if not lines then
          lines = {}
          routes[j][node] = lines
        end
        lines[#lines + 1] = uid .. ' ' .. seqs[j]
      end
    end
  end
end

-- `head` is 'R' for log entries (lines '<uid> <seq>'), 'T' for transient frames (lines '<uid>').
local function publish_routes(routes, json, head)
  -- per push node holding members: at most N, however many members
  for node, lines in pairs(routes) do
    redis.call(PUBLISH, 'relay:{n:' .. node .. '}:live',
        (head or 'R') .. '\n' .. table.concat(lines, '\n') .. '\n\n' .. json)
  end
end

-- ---------------------------------------------------------------------------------------------

-- Rooms (docs/rooms-presence.md). The checks and the change of adding or removing `member` of the
-- room whose meta hash and member set are given, by `caller` ('' for a backend, which may do
-- anything; otherwise the owner, or a member leaving): returns a refusal ('no_room', 'forbidden',
-- 'full', 'noop' when there is nothing to change), or nil after `before_change()` (a check that
-- may refuse too, e.g. the send budget) when the change is made.
local function change_membership(meta, members, adding, member, caller, max_members, before_change)
  if redis.call('EXISTS', meta) == 0 then
    return 'no_room'
  end
  if caller ~= '' then
    local leaving = (not adding) and caller == member
    if caller ~= redis.call('HGET', meta, 'owner') and not leaving then
      return 'forbidden'
    end
  end
  if adding == (redis.call('SISMEMBER', members, member) == 1) then
    return 'noop'
  end
  if adding and redis.call('SCARD', members) >= tonumber(max_members) then
    return 'full'
  end
  local refused = before_change and before_change()
  if refused then
    return refused
  end
  redis.call(adding and 'SADD' or 'SREM', members, member)
  return nil
end

-- Whose logs get a member event after that change: after an add all members, after a remove the
-- rest and the removed member.
local function membership_targets(members, adding, member)
  local targets = redis.call('SMEMBERS', members)
  if not adding then
    targets[#targets + 1] = member
  end
  return targets
end

-- Edits and recalls (docs/conversations.md). Reads the locator of a message and checks that
-- `caller` ('' for a backend) may change it now: returns nil and the refusal ('not_found' for an
-- unknown, expired or recalled message, 'forbidden', 'too_late' for an edit past `window_ms`), or
-- the locator value and its from, to and room.
local function changeable(locator, recall, caller, window_ms)
  local at = redis.call('GET', locator)
  if not at then
    return nil, 'not_found'
  end
  local from, to, room, ts, recalled = string.match(at, '^([^\t]*)\t([^\t]*)\t([^\t]*)\t(%d+)(\t?r?)$')
  if not ts or recalled ~= '' then
    return nil, 'not_found'
  end
  if caller ~= '' and caller ~= from then
    return nil, 'forbidden'
  end
  if not recall and now_ms() - tonumber(ts) > tonumber(window_ms) then
    return nil, 'too_late'
  end
  return at, from, to, room
end
