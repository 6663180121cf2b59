-- Moves a user's read marker in one conversation forward (never back) and, when it moved, puts a
-- read_marker entry in the user's log (so the user's other devices follow), atomically.
-- KEYS[1] the user's log; KEYS[2] its "trimmed up to" marker; KEYS[3] its message index;
-- KEYS[4] its live channel (published, not a key written); KEYS[5] the conversation hash
-- (relay:{u:<uid>}:conv:<conversation>); KEYS[6] its unread set; the user's conversation set
-- (relay:{u:<uid>}:convs) is built from KEYS[1] (the same slot)
-- ARGV[1] the conversation id; ARGV[2] the message id to mark read up to (inclusive)
-- ARGV[3] the read_marker entry JSON (without seq); ARGV[4] retention count; ARGV[5] retention
-- age (ms); ARGV[6] deadline (Unix ms, see is_late)
-- Returns {'late'}, {'no_conversation'}, {'no_message'} (not in the log, or of another
-- conversation) or {'ok', <unread now>, <'1' when the marker moved, else '0'>}.

if is_late(ARGV[6]) then
  return {'late'}
end
-- The conversation exists once it has a message (its hash may not: it holds the marker).
if not redis.call('ZSCORE', user_prefix(KEYS[1]) .. 'convs', ARGV[1]) then
  return {'no_conversation'}
end
local _, seq, conv = parse_index(redis.call('HGET', KEYS[3], ARGV[2]))
if not seq or conv ~= ARGV[1] then
  return {'no_message'}
end
local score = seq_score(seq)
local marker = tonumber(redis.call('HGET', KEYS[5], 'rs'))
local moved = '0'
if not marker or score > marker then
  redis.call('HSET', KEYS[5], 'read', ARGV[2], 'rs', score)
  redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', score)
  append_log(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[3], '', '', '', tonumber(ARGV[4]),
      retention_cutoff(tonumber(ARGV[5])))
  moved = '1'
end
return {'ok', redis.call('ZCARD', KEYS[6]), moved}
