-- Redis Cluster: the room's part of adding or removing a member (every key in the room's slot):
-- the same checks as room-members.lua, then the change, and the members whose logs get the event
-- (after an add: all members; after a remove: the rest and the removed one), which the caller
-- stores shard by shard (cluster-log-append.lua). A removed member is out before any later room
-- message reads the member set.
-- KEYS[1] the room's meta hash; KEYS[2] its member set
-- ARGV[1] 'add' or 'remove'; ARGV[2] the member; ARGV[3] the caller ('' for a backend);
-- ARGV[4] the most members a room may have; ARGV[5] deadline (Unix ms, see is_late)
-- Returns {'late'}, {'no_room'}, {'forbidden'}, {'full'}, {'noop'} or {'ok', <member>…}.

if is_late(ARGV[5]) then
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
if adding then
  redis.call('SADD', KEYS[2], ARGV[2])
else
  redis.call('SREM', KEYS[2], ARGV[2])
end
local result = {'ok'}
for _, uid in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  result[#result + 1] = uid
end
if not adding then
  result[#result + 1] = ARGV[2]
end
return result
