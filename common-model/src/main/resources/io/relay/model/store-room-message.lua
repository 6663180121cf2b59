-- Stores one room message in the room's history and in the log of every member, and publishes it
-- once per push node holding members (see store_and_route), atomically (one round trip). The member list is read here, inside the same
-- script, so a member removed by an earlier call gets nothing and a non-member cannot post.
--
-- KEYS[1] once key (idempotency; only read/written when ARGV[1] == '1')
-- KEYS[2] the room's meta hash (exists when the room does)
-- KEYS[3] the room's member set
-- KEYS[4] the room's history stream
-- KEYS[5] the room history's message index hash (id -> position)
-- KEYS[6] the sender's send budget (see take_token)
-- KEYS[7] the message's locator (relay:{m:<id>}:at, see store-message.lua)
-- KEYS[8] the room history's edit states (relay:{r:<room>}:edits)
-- ARGV[1] '1' when the sender gave a clientMsgId
-- ARGV[2] the message id
-- ARGV[3] idempotency window in seconds
-- ARGV[4] retention: entries kept at least (count)
-- ARGV[5] retention: entries younger than this are kept (milliseconds)
-- ARGV[6] the message JSON without seq
-- ARGV[7] the sender ('' for a backend message without from)
-- ARGV[8] '1' when the sender must be a member (a user posting)
-- ARGV[9] deadline (Unix ms): past it nothing is stored (see is_late)
-- ARGV[10] send budget: tokens per second (<= 0: no limit); ARGV[11] its burst
-- ARGV[12] the conversation 'r:<room>'; ARGV[13] the locator value
--
-- Returns {'late'}, {'no_room'}, {'not_member'}, {'dup', <earlier id>},
-- {'rate_limited', <ms until a token>} or {'ok', <member logs written>}.

if is_late(ARGV[9]) then
  return {'late'}
end
if redis.call('EXISTS', KEYS[2]) == 0 then
  return {'no_room'}
end
if ARGV[8] == '1' and redis.call('SISMEMBER', KEYS[3], ARGV[7]) == 0 then
  return {'not_member'}
end
local earlier = earlier_send(ARGV[1], KEYS[1])
if earlier then
  return {'dup', earlier}
end
local wait = take_token(KEYS[6], ARGV[10], ARGV[11])
if wait > 0 then
  return {'rate_limited', wait}
end

local keep = tonumber(ARGV[4])
local cutoff = retention_cutoff(tonumber(ARGV[5]))
add_entry(KEYS[4], KEYS[5], ARGV[6], ARGV[2], nil)
trim(KEYS[4], nil, KEYS[5], keep, cutoff, function(edits, id)
  redis.call('HDEL', edits, id)
end, KEYS[8])
local members = redis.call('SMEMBERS', KEYS[3])
local routes = new_routes()
-- per member: O(M) appends and bindings reads, one PUBLISH per node after
for _, uid in ipairs(members) do
  store_and_route(routes, uid, ARGV[6], ARGV[2], ARGV[7], ARGV[12], keep, cutoff)
end
publish_routes(routes, ARGV[6])
remember_locator(KEYS[7], ARGV[13], ARGV[5])

remember_send(ARGV[1], KEYS[1], ARGV[2], ARGV[3])
return {'ok', #members}
