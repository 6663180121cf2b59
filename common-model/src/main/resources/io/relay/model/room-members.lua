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
local adding = ARGV[1] == 'add'
local wait = 0
local refused = change_membership(KEYS[1], KEYS[2], adding, ARGV[2], ARGV[3], ARGV[4], function()
  wait = take_token(KEYS[3], ARGV[9], ARGV[10])
  return wait > 0 and 'rate_limited' or nil
end)
if refused == 'rate_limited' then
  return {'rate_limited', wait}
elseif refused then
  return {refused}
end
local targets = membership_targets(KEYS[2], adding, ARGV[2])

local keep = tonumber(ARGV[5])
local cutoff = retention_cutoff(tonumber(ARGV[6]))
local routes = new_routes()
-- per member affected: O(M) appends and bindings reads, one PUBLISH per node after
for _, uid in ipairs(targets) do
  store_and_route(routes, uid, ARGV[7], '', '', '', keep, cutoff)
end
publish_routes(routes, ARGV[7])
return {'ok', #targets}
