-- The push nodes holding a live binding of one user, each once: what route_under in
-- log-append.lua reads, as a call of its own for a Redis Cluster, where it runs in the user's slot.
-- KEYS[1] the user's routes hash (relay:{u:<uid>}:routes: connection id -> node)
-- Returns the node ids.

local nodes = {}
local noted = {}
-- per connection of this user: a few (its devices)
for _, node in ipairs(redis.call('HVALS', KEYS[1])) do
  if not noted[node] then
    noted[node] = true
    nodes[#nodes + 1] = node
  end
end
return nodes
