-- Deletes a room: its meta, member set, history and history index, atomically. Members' logs
-- keep the copies of its messages they received. Only the owner or a backend may do it.
-- KEYS[1] the room's meta hash; KEYS[2] its member set; KEYS[3] its history stream;
-- KEYS[4] the history's message index hash
-- ARGV[1] the caller's uid ('' for a backend); ARGV[2] deadline (Unix ms): past it nothing is
-- deleted (see is_late in log-append.lua, prepended)
-- Returns {'late'}, {'no_room'}, {'forbidden'} or {'ok', <members it had>}.

if is_late(ARGV[2]) then
  return {'late'}
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'no_room'}
end
if ARGV[1] ~= '' and redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then
  return {'forbidden'}
end
local members = redis.call('SCARD', KEYS[2])
-- UNLINK frees a long history in the background instead of inside this script.
redis.call('UNLINK', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
return {'ok', members}
