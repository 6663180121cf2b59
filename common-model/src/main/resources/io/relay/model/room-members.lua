-- Adds or removes one member, checking who may do it, and puts the member event in the log of
-- every member affected (after an add: all members; after a remove: the rest and the removed
-- one), atomically, and publishes it once per push node holding any of them (see
-- store_and_route). A removed member is out before any later room message is stored.
--
-- KEYS[1] the room's meta hash; KEYS[2] its member set; KEYS[3] the caller's send budget
-- (see take_token)
-- ARGV[1] 'add' or 'remove'
-- ARGV[2] the member added or removed
-- ARGV[3] the caller's uid ('' for a backend, which may do anything)
-- ARGV[4] the most members a room may have
-- ARGV[5] retention count; ARGV[6] retention age (ms)
-- ARGV[7] the event JSON (without seq)
-- ARGV[8] deadline (Unix ms): past it nothing is stored (see is_late)
-- ARGV[9] send budget: tokens per second (<= 0: no limit); ARGV[10] its burst
--
-- Returns {'late'}, {'no_room'}, {'forbidden'}, {'full'}, {'noop'} (nothing to change),
-- {'rate_limited', <ms until a token>} or {'ok', <logs>}.

if is_late(ARGV[8]) then
  return {'late'}
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'no_room'}
end
local adding = ARGV[1] == 'add'
local caller = ARGV[3]
if caller ~= '' then
  local owner = redis.call('HGET', KEYS[1], 'owner')
  local leaving = (not adding) and caller == ARGV[2]
  if caller ~= owner and not leaving then
    return {'forbidden'}
  end
end

local is_member = redis.call('SISMEMBER', KEYS[2], ARGV[2]) == 1
if adding == is_member then
  return {'noop'}
end
if adding and redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[4]) then
  return {'full'}
end
local wait = take_token(KEYS[3], ARGV[9], ARGV[10])
if wait > 0 then
  return {'rate_limited', wait}
end

local targets
if adding then
  redis.call('SADD', KEYS[2], ARGV[2])
  targets = redis.call('SMEMBERS', KEYS[2])
else
  redis.call('SREM', KEYS[2], ARGV[2])
  targets = redis.call('SMEMBERS', KEYS[2])
  table.insert(targets, ARGV[2])
end

local keep = tonumber(ARGV[5])
local cutoff = retention_cutoff(tonumber(ARGV[6]))
local routes = new_routes()
-- per member affected: O(M) appends and bindings reads, one PUBLISH per node after
for _, uid in ipairs(targets) do
  store_and_route(routes, uid, ARGV[7], '', '', '', keep, cutoff)
end
publish_routes(routes, ARGV[7])
return {'ok', #targets}
