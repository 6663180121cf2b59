-- Redis Cluster: the room's part of an edit or recall (every key in the room's slot): the
-- message's new state in the history's edits hash when the history still holds it, and the
-- current members, whose logs the caller changes shard by shard (cluster-change-log.lua).
-- KEYS[1] the history's message index; KEYS[2] its edit states; KEYS[3] the member set
-- ARGV[1] deadline (Unix ms, see is_late); ARGV[2] the message id; ARGV[3] the new state
-- Returns {'late'} or {'ok', <member>…}.

if is_late(ARGV[1]) then
  return {'late'}
end
if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 1 then
  redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
end
local result = {'ok'}
for _, uid in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  result[#result + 1] = uid
end
return result
