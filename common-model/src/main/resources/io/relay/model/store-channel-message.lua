-- ---------------------------------------------------------------------------------------------
-- Stores one channel message in the channel's bounded history and publishes it once, atomically
-- (one round trip, every key in the channel's slot {c:<channel>}). Exact trimming keeps the last
-- `bound` entries; before it removes any, the trimmed marker remembers the newest offset removed,
-- so a reader can tell a `since` that has missed entries (recovered: false).
--
-- KEYS[1] the history (stream)       KEYS[2] its trimmed marker
-- KEYS[3] the once key (idempotency; only read/written when ARGV[1] == '1')
-- ARGV[1] '1' when KEYS[3] guards against a repeat    ARGV[2] the message id
-- ARGV[3] once-key lifetime in seconds                ARGV[4] history bound (entries kept)
-- ARGV[5] the message JSON without offset (an object) ARGV[6] deadline (Unix ms, see is_late)
-- ARGV[7] the channel's pub/sub channel
-- KEYS[4] the publisher's send budget (see take_token)  ARGV[8], ARGV[9] its rate per second, burst
--
-- Returns {'late'}, {'dup', <earlier id>}, {'rate_limited', <ms>} or {'ok', <offset>}.

if is_late(ARGV[6]) then
  return {'late'}
end

local earlier = earlier_send(ARGV[1], KEYS[3])
if earlier then
  return {'dup', earlier}
end

local wait = take_token(KEYS[4], ARGV[8], ARGV[9])
if wait > 0 then
  return {'rate_limited', wait}
end

local bound = tonumber(ARGV[4])
local excess = redis.call('XLEN', KEYS[1]) - bound + 1
if excess > 0 then
  local removed = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', excess)
  redis.call('SET', KEYS[2], removed[#removed][1])
end
local offset = redis.call('XADD', KEYS[1], 'MAXLEN', '=', bound, '*', 'm', ARGV[5], 'i', ARGV[2])
redis.call(PUBLISH, ARGV[7], '{"offset":"' .. offset .. '",' .. string.sub(ARGV[5], 2))

remember_send(ARGV[1], KEYS[3], ARGV[2], ARGV[3])
return {'ok', offset}
