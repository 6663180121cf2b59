-- Reads a page of a stream (a user log or a room history) with the current edit state of its
-- messages (read only, one round trip).
-- KEYS[1] the stream; KEYS[2] its edit states (hash: message id -> 'r' / 'e'<body JSON>)
-- ARGV[1] 'XRANGE' or 'XREVRANGE'; ARGV[2], ARGV[3] the range's ends; ARGV[4] count
-- Returns {entries (the XRANGE reply), states (one per entry, '' when unchanged)}.

local entries = redis.call(ARGV[1], KEYS[1], ARGV[2], ARGV[3], 'COUNT', tonumber(ARGV[4]))
local states = {}
local edited = redis.call('EXISTS', KEYS[2]) == 1
for n, entry in ipairs(entries) do
  local state = ''
  if edited then
    local fields = entry[2]
    for f = 1, #fields, 2 do
      if fields[f] == 'i' then
        state = redis.call('HGET', KEYS[2], fields[f + 1]) or ''
      end
    end
  end
  states[n] = state
end
return {entries, states}
