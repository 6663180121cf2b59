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
local adding = ARGV[1] == 'add'
local refused = change_membership(KEYS[1], KEYS[2], adding, ARGV[2], ARGV[3], ARGV[4])
if refused then
  return {refused}
end
local result = {'ok'}
for _, uid in ipairs(membership_targets(KEYS[2], adding, ARGV[2])) do
  result[#result + 1] = uid
end
return result
