-- Redis Cluster: the room's part of a room message (every key in the room's slot): checks that the
-- room exists and the sender is a member, appends the message to the room's history unless it is
-- there already (a retry), and returns the members, whose logs the caller writes shard by shard
-- (cluster-log-append.lua).
--
-- KEYS[1] the room's meta hash; KEYS[2] its member set; KEYS[3] its history; KEYS[4] the history's
-- message index (id -> position); KEYS[5] its edit states
-- ARGV[1] deadline (Unix ms, see is_late); ARGV[2] the message id; ARGV[3] the message JSON
-- ARGV[4] the sender; ARGV[5] '1' when the sender must be a member
-- ARGV[6] retention count; ARGV[7] retention age (ms)
--
-- Returns {'late'}, {'no_room'}, {'not_member'} or {'ok', <member>…}.

if is_late(ARGV[1]) then
  return {'late'}
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'no_room'}
end
if ARGV[5] == '1' and redis.call('SISMEMBER', KEYS[2], ARGV[4]) == 0 then
  return {'not_member'}
end
if redis.call('HEXISTS', KEYS[4], ARGV[2]) == 0 then
  add_entry(KEYS[3], KEYS[4], ARGV[3], ARGV[2], nil)
  trim(KEYS[3], nil, KEYS[4], tonumber(ARGV[6]), retention_cutoff(tonumber(ARGV[7])), function(edits, id)
    redis.call('HDEL', edits, id)
  end, KEYS[5])
end
local result = {'ok'}
for _, uid in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  result[#result + 1] = uid
end
return result
