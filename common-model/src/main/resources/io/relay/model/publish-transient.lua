-- Publishes a transient frame (never stored) on a user's live channel and counts the user's
-- connections online now: the members of its binding set whose binding key has not expired.
-- KEYS[1] the user's binding set; ARGV[1] the binding key prefix (relay:{u:<uid>}:conn:);
-- ARGV[2] the live channel; ARGV[3] the frame.
-- Returns the connection count at the moment of the publish.

local online = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  online = online + redis.call('EXISTS', ARGV[1] .. id)
end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return online
