-- The push nodes holding a live binding of one user, each once: what route_to_bindings in
-- log-append.lua reads, as a call of its own for a Redis Cluster, where it runs in the user's slot.
-- KEYS[1] the user's bindings set (relay:{u:<uid>}:conns)
-- ARGV[1] the prefix of the user's binding keys (relay:{u:<uid>}:conn:)
-- Returns the node ids.

local nodes = {}
local noted = {}
-- per connection of this user: a few (its devices)
for _, conn in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local binding = redis.call('GET', ARGV[1] .. conn)
  local node = binding and string.match(binding, '"node":"([^"]+)"')
  if node and not noted[node] then
    noted[node] = true
    nodes[#nodes + 1] = node
  end
end
return nodes
