-- Reads one page of a room's history, newest first, for a member or a backend (read only).
-- KEYS[1] the room's meta hash; KEYS[2] its member set; KEYS[3] its history stream;
-- KEYS[4] the history's message index hash (id -> position); KEYS[5] its edit states (message
-- id -> 'r' / 'e'<body JSON>, see message-change.lua)
-- ARGV[1] the caller's uid ('' for a backend); ARGV[2] the message id to read before ('' for the
-- newest); ARGV[3] page size
-- Returns {'no_room'}, {'not_member'}, {'bad_before'} or {'ok', <XREVRANGE reply>, <edit state per
-- entry, '' when unchanged>}.

if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'no_room'}
end
if ARGV[1] ~= '' and redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then
  return {'not_member'}
end
local from = '+'
if ARGV[2] ~= '' then
  local position = redis.call('HGET', KEYS[4], ARGV[2])
  if not position then
    return {'bad_before'}
  end
  from = '(' .. position
end
local entries = redis.call('XREVRANGE', KEYS[3], from, '-', 'COUNT', tonumber(ARGV[3]))
local states = {}
for n, entry in ipairs(entries) do
  states[n] = redis.call('HGET', KEYS[5], entry[2][4] or '') or ''
end
return {'ok', entries, states}
