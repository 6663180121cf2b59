-- Creates a room with its first members and puts an "added" member event in each member's log,
-- atomically. KEYS[1] the room's meta hash; KEYS[2] its member set; KEYS[3] the creator's send
-- budget (see take_token).
-- ARGV[1] owner ('' when a backend created it); ARGV[2] creation time (ms);
-- ARGV[3] retention count; ARGV[4] retention age (ms);
-- ARGV[5] deadline (Unix ms): past it nothing is stored (see is_late);
-- ARGV[6] send budget: tokens per second (<= 0: no limit); ARGV[7] its burst;
-- ARGV[8..] pairs: member uid, its event JSON (without seq).
-- Returns {'late'}, {'exists'}, {'rate_limited', <ms until a token>} or {'ok'}.

if is_late(ARGV[5]) then
  return {'late'}
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'exists'}
end
local wait = take_token(KEYS[3], ARGV[6], ARGV[7])
if wait > 0 then
  return {'rate_limited', wait}
end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'created', ARGV[2])
local keep = tonumber(ARGV[3])
local cutoff = retention_cutoff(tonumber(ARGV[4]))
for i = 8, #ARGV, 2 do
  redis.call('SADD', KEYS[2], ARGV[i])
  append_user(ARGV[i], ARGV[i + 1], '', '', '', keep, cutoff)
end
return {'ok'}
