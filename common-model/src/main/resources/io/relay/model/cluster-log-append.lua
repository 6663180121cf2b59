-- Redis Cluster: appends one entry to ONE user's log (every key in that user's slot), at most once
-- per message id: a retry of a message stored shard by shard finds it in the index and appends
-- nothing, so no log ever holds it twice. Publishes the entry on the user's live channel (direct
-- messages, receipts, member events of a new room), or returns the push nodes holding a live
-- binding of the user (room entries: the caller publishes once per node, see publish_routes).
--
-- KEYS[1] the log; KEYS[2] its trimmed marker; KEYS[3] its message index
-- ARGV[1] deadline (Unix ms, see is_late)
-- ARGV[2] the entry JSON without seq
-- ARGV[3] the message id ('' for entries that are not messages: always appended, never indexed)
-- ARGV[4] the sender remembered in the index ('' for none)
-- ARGV[5] the message's conversation in this log ('' for none)
-- ARGV[6] retention count; ARGV[7] retention age (ms)
-- ARGV[8] the live channel to publish on ('' for none)
-- ARGV[9] '1' to return the nodes holding the owner's live bindings
--
-- Returns {'late'}, {'had', <seq>} (already in this log: nothing written) or {'ok', <seq>, <node>…}.

if is_late(ARGV[1]) then
  return {'late'}
end
if ARGV[3] ~= '' then
  local _, had = parse_index(redis.call('HGET', KEYS[3], ARGV[3]))
  if had then
    return {'had', had}
  end
end
local keep = tonumber(ARGV[6])
local cutoff = retention_cutoff(tonumber(ARGV[7]))
local seq
if ARGV[8] ~= '' then
  seq = append_log(KEYS[1], KEYS[2], KEYS[3], ARGV[8], ARGV[2], ARGV[3], ARGV[4], ARGV[5], keep, cutoff)
else
  seq = store_log(KEYS[1], KEYS[2], KEYS[3], ARGV[2], ARGV[3], ARGV[4], ARGV[5], keep, cutoff)
end
local result = {'ok', seq}
if ARGV[9] == '1' then
  local routes = new_routes()
  route_to_bindings(routes, string.match(KEYS[1], '^relay:{u:(.*)}:log$'), '')
  for node in pairs(routes) do
    result[#result + 1] = node
  end
end
return result
