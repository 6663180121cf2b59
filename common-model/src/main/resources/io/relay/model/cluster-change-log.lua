-- Redis Cluster: an edit or recall in ONE user's log (every key in that user's slot), as
-- message-change.lua does it for each log: the message's new state in the edits hash (so history
-- reads show it), no longer unread once recalled, and the change entry appended (the
-- conversation's last message is read from the log with this state: nothing else to change). A log already in that state (a retry) gets nothing.
-- KEYS[1] the log; KEYS[2] its trimmed marker; KEYS[3] its message index
-- ARGV[1] deadline (Unix ms, see is_late); ARGV[2] the message id; ARGV[3] the new state ('r' or
-- 'e'<body JSON>); ARGV[4] '1' for a recall; ARGV[5] the change entry JSON (without seq)
-- ARGV[6] retention count; ARGV[7] retention age (ms)
-- ARGV[8] the live channel to publish on ('' : return the nodes holding the owner's bindings)
-- Returns {'late'}, {'absent'} (the log does not hold the message), {'had'} or {'ok', <seq>, <node>…}.

if is_late(ARGV[1]) then
  return {'late'}
end
local id = ARGV[2]
local prefix = user_prefix(KEYS[1])
local _, _, conv = parse_index(redis.call('HGET', KEYS[3], id))
if not conv then
  return {'absent'}
end
if redis.call('HGET', prefix .. 'edits', id) == ARGV[3] then
  return {'had'}
end
redis.call('HSET', prefix .. 'edits', id, ARGV[3])
if conv ~= '' and ARGV[4] == '1' then
  redis.call('ZREM', prefix .. 'unread:' .. conv, id)
end
local keep = tonumber(ARGV[6])
local cutoff = retention_cutoff(tonumber(ARGV[7]))
if ARGV[8] ~= '' then
  return {'ok', append_log(KEYS[1], KEYS[2], KEYS[3], ARGV[8], ARGV[5], '', '', '', keep, cutoff)}
end
local result = {'ok', store_log(KEYS[1], KEYS[2], KEYS[3], ARGV[5], '', '', '', keep, cutoff)}
local routes = new_routes()
route_to_bindings(routes, string.match(KEYS[1], '^relay:{u:(.*)}:log$'), '')
for node in pairs(routes) do
  result[#result + 1] = node
end
return result
