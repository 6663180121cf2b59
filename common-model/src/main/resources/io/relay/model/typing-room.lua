-- Pushes a typing frame to the room's members online now but the sender (never stored), once per
-- push node holding any of them (see route_to_bindings): payload T\n<uid>\n<uid>...\n\n<frame>.
-- KEYS[1] the room's member set
-- ARGV[1] the sender; ARGV[2] the frame JSON
-- Returns {'not_member'} or {'ok'}.

if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then
  return {'not_member'}
end
local routes = new_routes()
-- per member: its bindings (a few); one PUBLISH per node after
for _, uid in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if uid ~= ARGV[1] then
    route_to_bindings(routes, uid, uid)
  end
end
publish_routes(routes, ARGV[2], 'T')
return {'ok'}
