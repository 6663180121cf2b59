-- Reads one page of a user's conversations, most recent first (read only, one round trip).
-- KEYS[1] the user's conversation set (relay:{u:<uid>}:convs); the per-conversation keys, the
-- log, its message index and its edit states are built from ARGV[1], the user's key prefix
-- relay:{u:<uid>}: (the same slot)
-- ARGV[2] the score to read before ('' for the newest); ARGV[3] how many to read
-- Returns a flat list, 7 values per conversation: id, score, last JSON, last's edit state
-- ('' / 'r' / 'e'<body>), read marker id ('' for none), unread count, last message id.
--
-- A conversation's score is the position of its last message in the log (ms * 1000 + sequence,
-- see seq_score in log-append.lua), so that message is read there; only when retention removed
-- it does the conversation's hash hold a copy (last, ls, lastId; also in hashes written before
-- stores stopped copying it).

local prefix = ARGV[1]

-- The message of conversation `conv` at `score` in the log: its JSON, edit state and id, or nil.
local function last_in_log(conv, score)
  local ms = string.format('%.0f', math.floor(score / 1000))
  local n = score % 1000
  local entries
  if n < 999 then
    local seq = ms .. '-' .. string.format('%.0f', n)
    entries = redis.call('XRANGE', prefix .. 'log', seq, seq)
  else -- the sequence was capped: the message is among the later entries of that millisecond
    entries = redis.call('XREVRANGE', prefix .. 'log', ms .. '-18446744073709551615', ms .. '-999', 'COUNT', 100)
  end
  for _, entry in ipairs(entries) do
    local fields = entry[2]
    for f = 1, #fields, 2 do
      if fields[f] == 'i' then
        local id = fields[f + 1]
        local indexed = redis.call('HGET', prefix .. 'ids', id)
        if indexed and string.match(indexed, '^[^ ]* [^ ]+ ([^ ]*)$') == conv then
          for g = 1, #fields, 2 do
            if fields[g] == 'm' then
              return fields[g + 1], redis.call('HGET', prefix .. 'edits', id) or '', id
            end
          end
        end
      end
    end
  end
  return nil
end

local max = '+inf'
if ARGV[2] ~= '' then
  max = '(' .. ARGV[2]
end
local page = redis.call('ZREVRANGEBYSCORE', KEYS[1], max, '-inf', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for i = 1, #page, 2 do
  local conv = page[i]
  local state = redis.call('HMGET', prefix .. 'conv:' .. conv, 'last', 'ls', 'read', 'lastId')
  local last, edited, id = last_in_log(conv, tonumber(page[i + 1]))
  if not last then
    last, edited, id = state[1] or '', state[2] or '', state[4] or ''
  end
  out[#out + 1] = conv
  out[#out + 1] = page[i + 1]
  out[#out + 1] = last
  out[#out + 1] = edited
  out[#out + 1] = state[3] or ''
  out[#out + 1] = redis.call('ZCARD', prefix .. 'unread:' .. conv)
  out[#out + 1] = id
end
return out
