-- Binds one connection of a user, within the user's connection limit.
-- KEYS[1] the user's bindings set (relay:{u:<uid>}:conns); KEYS[2] this connection's binding key;
-- KEYS[3] the user's routes hash (relay:{u:<uid>}:routes: connection id -> node, what the room
-- scripts read to route entries to nodes, see route_under in log-append.lua).
-- ARGV[1] connection id; ARGV[2] binding JSON; ARGV[3] TTL in ms; ARGV[4] the most connections the
-- user may have (0: no limit, for a connection that is already open and binds again);
-- ARGV[5] the prefix of the user's binding keys (KEYS[2] without the id); ARGV[6] this node's id.
-- KEYS[4] the user's cursors hash (relay:{u:<uid>}:cursors); ARGV[7] a device whose cursor the
-- connection resumes from ('' for none): read in the same round trip as the bind.
-- Before counting, ids whose binding key is gone are dropped from the set and the routes: their
-- connection ended without its unbind landing, or its node died; connection ids are never reused,
-- so this is safe.
-- Returns {1} when bound ({1, cursor} with ARGV[7], the cursor nil when the device never acked),
-- {0} when the user already has the limit's number of connections (nothing written).
local limit = tonumber(ARGV[4])
if limit > 0 then
  local open = 0
  for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
    if id ~= ARGV[1] then
      if redis.call('EXISTS', ARGV[5] .. id) == 1 then
        open = open + 1
      else
        redis.call('SREM', KEYS[1], id)
        redis.call('HDEL', KEYS[3], id)
      end
    end
  end
  if open >= limit then
    return {0}
  end
end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[6])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
if ARGV[7] ~= '' then
  return {1, redis.call('HGET', KEYS[4], ARGV[7])}
end
return {1}
