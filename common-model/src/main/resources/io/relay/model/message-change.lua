-- Edits or recalls a stored message in every log that holds it, atomically: each such log gets
-- the edit/recall entry (published like any entry: the user's channel for a direct message,
-- per-node routing for room members) and the message's new state in its edits hash, so history
-- reads show the current body; a recalled message stops counting as unread.
-- KEYS[1] the message's locator (relay:{m:<id>}:at = '<from>\t<to>\t<room>\t<ts>[\tr]', 'r' once
-- recalled); KEYS[2] the caller's send budget (see take_token)
-- ARGV[1] 'edit' or 'recall'; ARGV[2] the message id; ARGV[3] the caller's uid ('' for a backend)
-- ARGV[4] the new state: 'e'<body JSON> or 'r'; ARGV[5] the entry JSON (without seq)
-- ARGV[6] deadline (Unix ms, see is_late); ARGV[7] the edit window (ms)
-- ARGV[8] retention count; ARGV[9] retention age (ms)
-- ARGV[10] send budget: tokens per second (<= 0: no limit); ARGV[11] its burst
-- The room's and the users' keys are built here from the locator (fine on one Redis; a cluster
-- would need one call per shard).
-- Returns {'late'}, {'not_found'} (unknown, expired or recalled), {'forbidden'}, {'too_late'},
-- {'rate_limited', <ms>} or {'ok', <logs written>}.

if is_late(ARGV[6]) then
  return {'late'}
end
local at = redis.call('GET', KEYS[1])
if not at then
  return {'not_found'}
end
local from, to, room, ts, recalled = string.match(at, '^([^\t]*)\t([^\t]*)\t([^\t]*)\t(%d+)(\t?r?)$')
if not ts or recalled ~= '' then
  return {'not_found'}
end
if ARGV[3] ~= '' and ARGV[3] ~= from then
  return {'forbidden'}
end
local recall = ARGV[1] == 'recall'
if not recall and now_ms() - tonumber(ts) > tonumber(ARGV[7]) then
  return {'too_late'}
end
local wait = take_token(KEYS[2], ARGV[10], ARGV[11])
if wait > 0 then
  return {'rate_limited', wait}
end
if recall then
  redis.call('SET', KEYS[1], at .. '\tr', 'KEEPTTL')
end

local id = ARGV[2]
local keep = tonumber(ARGV[8])
local cutoff = retention_cutoff(tonumber(ARGV[9]))

-- The message's new state in one user's log, if that log still holds it (O(1)).
local function change_in(uid)
  local prefix = user_key(uid, '')
  local _, _, conv = parse_index(redis.call('HGET', prefix .. 'ids', id))
  if not conv then
    return false
  end
  redis.call('HSET', prefix .. 'edits', id, ARGV[4])
  -- (a conversation's last message is read from the log with this state: nothing else to change)
  if recall and conv ~= '' then
    redis.call('ZREM', prefix .. 'unread:' .. conv, id)
  end
  return true
end

local written = 0
if room ~= '' then
  local history = 'relay:{r:' .. room .. '}:'
  if redis.call('HEXISTS', history .. 'ids', id) == 1 then
    redis.call('HSET', history .. 'edits', id, ARGV[4])
  end
  local routes = new_routes()
  -- per current member: O(1) and its bindings; one PUBLISH per node after
  for _, uid in ipairs(redis.call('SMEMBERS', history .. 'members')) do
    if change_in(uid) then
      store_and_route(routes, uid, ARGV[5], '', '', '', keep, cutoff)
      written = written + 1
    end
  end
  publish_routes(routes, ARGV[5])
else
  local users = {to}
  if from ~= '' and from ~= to then
    users[2] = from
  end
  for _, uid in ipairs(users) do
    if change_in(uid) then
      append_user(uid, ARGV[5], '', '', '', keep, cutoff)
      written = written + 1
    end
  end
end
return {'ok', written}
