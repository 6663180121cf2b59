-- Redis Cluster: takes one token from a sender's send budget (its own slot) before a store whose
-- other keys are in other slots (room changes, channel publishes, edits and recalls).
-- KEYS[1] the budget (see take_token); ARGV[1] tokens per second (<= 0: no limit); ARGV[2] burst
-- Returns 0, or the milliseconds until a token will be there.

return take_token(KEYS[1], ARGV[1], ARGV[2])
