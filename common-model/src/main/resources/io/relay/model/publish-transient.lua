-- Publishes a transient frame (never stored) on a user's live channel and counts the connections
-- it reaches: the members of the user's binding set whose binding key has not expired, except
-- held long-polls (transport "poll"), which do not take transient frames.
-- KEYS[1] the user's binding set; ARGV[1] the binding key prefix (relay:{u:<uid>}:conn:);
-- ARGV[2] the live channel; ARGV[3] the frame.
-- Returns the connection count at the moment of the publish.

local PUBLISH = 'PUBLISH' -- SPUBLISH on a Redis Cluster (LuaScript.in)
local online = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local binding = redis.call('GET', ARGV[1] .. id)
  if binding and not string.find(binding, '"transport":"poll"', 1, true) then
    online = online + 1
  end
end
redis.call(PUBLISH, ARGV[2], ARGV[3])
return online
