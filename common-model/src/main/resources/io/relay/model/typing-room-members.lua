-- The first step of a typing frame to a room on a Redis Cluster, where the room's members and
-- their bindings live in other slots (typing-room.lua does it all in one call on one Redis):
-- checks membership and lists the other members; the caller then asks each member's slot for the
-- nodes holding it (member-nodes.lua) and publishes once per node.
-- KEYS[1] the room's member set
-- ARGV[1] the sender
-- Returns {'not_member'} or {'ok', <uid>...} (every member but the sender).

if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then
  return {'not_member'}
end
local others = {'ok'}
for _, uid in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if uid ~= ARGV[1] then
    others[#others + 1] = uid
  end
end
return others
