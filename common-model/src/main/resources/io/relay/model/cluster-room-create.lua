-- Redis Cluster: the room's part of creating a room (every key in the room's slot); the members'
-- "added" events are then stored shard by shard (cluster-log-append.lua).
-- KEYS[1] the room's meta hash; KEYS[2] its member set
-- ARGV[1] deadline (Unix ms, see is_late); ARGV[2] owner ('' for a backend); ARGV[3] creation time
-- (ms); ARGV[4..] the members
-- Returns {'late'}, {'exists'} or {'ok'}.

if is_late(ARGV[1]) then
  return {'late'}
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'exists'}
end
redis.call('HSET', KEYS[1], 'owner', ARGV[2], 'created', ARGV[3])
for i = 4, #ARGV do
  redis.call('SADD', KEYS[2], ARGV[i])
end
return {'ok'}
