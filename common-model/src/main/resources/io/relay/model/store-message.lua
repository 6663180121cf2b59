-- Stores one entry in every log it belongs to and publishes it, atomically (one round trip).
-- Redis runs a script as a unit and writes its effects to the AOF as one MULTI/EXEC, so a crash
-- leaves either the whole entry or none of it. Used for direct messages and receipts.
--
-- KEYS[1]          "once" key (idempotency; only read/written when ARGV[1] == '1')
-- KEYS[2]          the sender's send budget (see take_token; untouched when ARGV[10] <= 0)
-- KEYS[3]          the message's locator (relay:{m:<id>}:at; set when ARGV[12] is not '')
-- KEYS[4..n+3]     the n logs (streams) to append to
-- KEYS[n+4..2n+3]  for each log, its "trimmed up to" marker (the last seq retention removed)
-- KEYS[2n+4..3n+3] for each log, its message index hash
-- ARGV[1]          '1' when KEYS[1] guards against a repeat
-- ARGV[2]          the value remembered under the once key (the message id)
-- ARGV[3]          once-key lifetime in seconds
-- ARGV[4]          retention: entries kept at least (count)
-- ARGV[5]          retention: entries younger than this are kept (milliseconds)
-- ARGV[6]          the entry JSON without seq (an object: it starts with '{')
-- ARGV[7]          deadline (Unix ms): past it nothing is stored (see is_late)
-- ARGV[8]          the message id to index ('' for entries that are not messages)
-- ARGV[9]          the sender remembered in the index ('' for none)
-- ARGV[10]         send budget: tokens per second (<= 0: no limit)
-- ARGV[11]         send budget: burst
-- ARGV[12]         the locator value '<from>\t<to>\t<room>\t<ts>' ('' for entries that are not messages);
--                  it lives as long as the retention age (ARGV[5]), at least a day
-- ARGV[13..n+12]   one pub/sub channel per log, in the order of the logs
-- ARGV[n+13..2n+12] for each log, the message's conversation in it ('u:<peer>', or '' for none)
--
-- Returns {'late'}, {'dup', <earlier id>}, {'rate_limited', <ms until a token>} or
-- {'ok', <seq in KEYS[4]>, <seq in KEYS[5]>, ...}. A repeat neither stores nor spends budget.

if is_late(ARGV[7]) then
  return {'late'}
end

local earlier = earlier_send(ARGV[1], KEYS[1])
if earlier then
  return {'dup', earlier}
end

local wait = take_token(KEYS[2], ARGV[10], ARGV[11])
if wait > 0 then
  return {'rate_limited', wait}
end

local keep = tonumber(ARGV[4])
local cutoff = retention_cutoff(tonumber(ARGV[5]))
local logs = (#KEYS - 3) / 3
local result = {'ok'}
for i = 1, logs do
  result[1 + i] = append_log(KEYS[3 + i], KEYS[3 + logs + i], KEYS[3 + 2 * logs + i], ARGV[12 + i],
      ARGV[6], ARGV[8], ARGV[9], ARGV[12 + logs + i], keep, cutoff)
end
if ARGV[12] ~= '' then
  remember_locator(KEYS[3], ARGV[12], ARGV[5])
end

remember_send(ARGV[1], KEYS[1], ARGV[2], ARGV[3])
return result
