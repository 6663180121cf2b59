-- Redis Cluster, first step of a send stored shard by shard (docs/architecture.md#redis-cluster):
-- reserves the sender's idempotency key for this message before any log is written, and takes
-- the send budget. Every key is in the sender's slot ({u:<uid>} or {k:<keyTag>}).
-- While the message is not in all its logs the key holds 'p\n<id>\n<locator>\n<entry JSON>' (the
-- first attempt's message), so a retry with the same clientMsgId finds it and completes exactly that
-- message; once it is in all of them the key holds '<id>' (cluster-set.lua), as on one Redis.
--
-- KEYS[1] the idempotency key; KEYS[2] the sender's send budget (see take_token)
-- ARGV[1] deadline (Unix ms, see is_late); ARGV[2] the pending value; ARGV[3] its lifetime (s)
-- ARGV[4] send budget: tokens per second (<= 0: no limit); ARGV[5] its burst
--
-- Returns {'late'}, {'earlier', <value>} (a repeat: pending or done), {'rate_limited', <ms>} or
-- {'ok'}. A repeat neither reserves nor spends budget.

if is_late(ARGV[1]) then
  return {'late'}
end
local earlier = redis.call('GET', KEYS[1])
if earlier then
  return {'earlier', earlier}
end
local wait = take_token(KEYS[2], ARGV[4], ARGV[5])
if wait > 0 then
  return {'rate_limited', wait}
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))
return {'ok'}
