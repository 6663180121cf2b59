-- Redis Cluster: sets one key (its own slot) as one step of a store, so it travels in the same
-- pipeline (and WAIT) as the step's other scripts: a message's locator, or an idempotency key
-- settled to the message id once the message is in all its logs.
-- KEYS[1] the key; ARGV[1] the value; ARGV[2] lifetime in ms, or '' to keep the key's lifetime
-- (then only an existing key is set)
-- Returns 1 when set, 0 when not (ARGV[2] '' and no such key).

if ARGV[2] == '' then
  return redis.call('SET', KEYS[1], ARGV[1], 'XX', 'KEEPTTL') and 1 or 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))
return 1
