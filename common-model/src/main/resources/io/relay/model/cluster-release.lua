-- Redis Cluster: gives back a reservation (cluster-reserve.lua) of a send that was refused after it
-- (no such room, not a member), so a later send with the same clientMsgId is not taken for a repeat.
-- KEYS[1] the idempotency key; ARGV[1] the pending value this send reserved
-- Returns 1 when removed, 0 when the key holds something else (another attempt's, or settled).

if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
