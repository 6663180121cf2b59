-- Reads one page of a user's conversations, most recent first (read only, one round trip).
-- KEYS[1] the user's conversation set (relay:{u:<uid>}:convs); the per-conversation keys are
-- built from ARGV[1], the user's key prefix relay:{u:<uid>}: (the same slot)
-- ARGV[2] the score to read before ('' for the newest); ARGV[3] how many to read
-- Returns a flat list, 7 values per conversation: id, score, last JSON, last's edit state
-- ('' / 'r' / 'e'<body>), read marker id ('' for none), unread count, last message id.

local max = '+inf'
if ARGV[2] ~= '' then
  max = '(' .. ARGV[2]
end
local page = redis.call('ZREVRANGEBYSCORE', KEYS[1], max, '-inf', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for i = 1, #page, 2 do
  local conv = page[i]
  local state = redis.call('HMGET', ARGV[1] .. 'conv:' .. conv, 'last', 'ls', 'read', 'lastId')
  out[#out + 1] = conv
  out[#out + 1] = page[i + 1]
  out[#out + 1] = state[1] or ''
  out[#out + 1] = state[2] or ''
  out[#out + 1] = state[3] or ''
  out[#out + 1] = redis.call('ZCARD', ARGV[1] .. 'unread:' .. conv)
  out[#out + 1] = state[4] or ''
end
return out
