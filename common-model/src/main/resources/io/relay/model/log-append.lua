-- Prelude shared by every script that appends to user logs (LuaScript prepends it): retention,
-- the per-log message index and the publish, so every log entry is written the same way.
--
-- A log entry is a stream entry with field m = the JSON without seq, and for a message also
-- field i = its id. The index hash (relay:{u:<uid>}:ids, relay:{r:<room>}:ids) maps the id of
-- every message still in the stream to a value (user log: the sender, '' for none; room history:
-- the entry's position). Retention removes index fields together with their entries.

local function now_ms()
  local now = redis.call('TIME')
  return tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
end

-- True past `deadline` (Unix ms): the caller has then already been answered 503, so the script
-- must not store anything (a Redis that hung and resumed would otherwise store what the caller
-- was told failed). Every storing script checks it first and returns {'late'}.
local function is_late(deadline)
  return now_ms() > tonumber(deadline)
end

-- The id an earlier send with the same idempotency key stored, or nil; `guarded` is '1' when the
-- caller gave a key (clientMsgId) at all.
local function earlier_send(guarded, key)
  if guarded ~= '1' then
    return nil
  end
  local earlier = redis.call('GET', key)
  return earlier or nil
end

-- Remembers `id` under the idempotency key for `seconds`, when the caller gave one.
local function remember_send(guarded, key, id, seconds)
  if guarded == '1' then
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

-- Retention (§5): keep the last `keep` entries and every entry stored after `cutoff`, whichever is
-- more. Removes at most 100 expired entries per append, so the cost stays constant. `marker`
-- (optional) remembers the last removed seq; `ids` (optional) loses the removed messages' ids.
local function trim(stream, marker, ids, keep, cutoff)
  local excess = redis.call('XLEN', stream) - keep
  if excess <= 0 then
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

-- Appends to one user's log (keys given) and trims it; returns the seq.
local function store_log(log, marker, ids, json, id, sender, keep, cutoff)
  local seq = add_entry(log, ids, json, id, sender)
  trim(log, marker, ids, keep, cutoff)
  return seq
end

-- The same, then publishes the frame on the user's own live channel; returns the seq.
local function append_log(log, marker, ids, channel, json, id, sender, keep, cutoff)
  local seq = store_log(log, marker, ids, json, id, sender, keep, cutoff)
  redis.call('PUBLISH', channel, '{"seq":"' .. seq .. '",' .. string.sub(json, 2))
  return seq
end

-- The same for a user named by id. Room scripts read their member lists inside the script, so
-- they build the user's keys here (the layout of RedisKeys): fine on one Redis; a Redis Cluster
-- would need one call per shard instead.
local function user_key(uid, suffix)
  return 'relay:{u:' .. uid .. '}:' .. suffix
end

local function append_user(uid, json, id, sender, keep, cutoff)
  return append_log(user_key(uid, 'log'), user_key(uid, 'trimmed'), user_key(uid, 'ids'), user_key(uid, 'live'),
      json, id, sender, keep, cutoff)
end

-- Room entries cross pub/sub once per push node, not once per member. A room script stores the
-- entry in each member's log without publishing, and notes (uid, seq) under every node that
-- holds a live binding of that member (relay:{u:<uid>}:conns -> relay:{u:<uid>}:conn:<id>, whose
-- JSON starts with "node"); a member with no binding is offline and reads its log later. Then
-- one PUBLISH per node on relay:{n:<node>}:live carries all its pairs and the JSON once:
--   R\n<uid> <seq>\n<uid> <seq>\n...\n\n<entry json without seq>
-- (push-service: io.relay.push.live.NodePayload parses it).
local function new_routes()
  return {}
end

local function store_and_route(routes, uid, json, id, sender, keep, cutoff)
  local seq = store_log(user_key(uid, 'log'), user_key(uid, 'trimmed'), user_key(uid, 'ids'), json, id, sender,
      keep, cutoff)
  local noted = {}
  for _, conn in ipairs(redis.call('SMEMBERS', user_key(uid, 'conns'))) do
    local binding = redis.call('GET', user_key(uid, 'conn:' .. conn))
    local node = binding and string.match(binding, '"node":"([^"]+)"')
    if node and not noted[node] then
      noted[node] = true
      local lines = routes[node]
      if not lines then
        lines = {}
        routes[node] = lines
      end
      lines[#lines + 1] = uid .. ' ' .. seq
    end
  end
  return seq
end

local function publish_routes(routes, json)
  for node, lines in pairs(routes) do
    redis.call('PUBLISH', 'relay:{n:' .. node .. '}:live', 'R\n' .. table.concat(lines, '\n') .. '\n\n' .. json)
  end
end

-- ---------------------------------------------------------------------------------------------
