-- Stores one message in every log it belongs to and publishes it, atomically (one round trip).
-- Redis runs a script as a unit and writes its effects to the AOF as one MULTI/EXEC, so a crash
-- leaves either the whole message or none of it.
--
-- KEYS[1]       idempotency key (only read/written when ARGV[1] == '1')
-- KEYS[2..n+1]  the n logs (streams) to append to
-- KEYS[n+2..]   for each log, its "trimmed up to" marker (the last seq retention removed)
-- ARGV[1]       '1' when the sender gave a clientMsgId
-- ARGV[2]       the message id (remembered under the idempotency key)
-- ARGV[3]       idempotency window in seconds
-- ARGV[4]       retention: entries kept at least (count)
-- ARGV[5]       retention: entries younger than this are kept (milliseconds)
-- ARGV[6]       the message JSON without seq (an object: it starts with '{')
-- ARGV[7]       deadline (Unix ms): past it the sender has already been answered 503, so the
--               script must not store anything (a Redis that hung and resumed would otherwise
--               store a message whose sender was told it failed)
-- ARGV[8..]     one pub/sub channel per log, in the order of the logs
--
-- Returns {'late'}, {'dup', <earlier id>} or {'ok', <seq in KEYS[2]>, <seq in KEYS[3]>, ...}.

local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
if nowMs > tonumber(ARGV[7]) then
  return {'late'}
end

if ARGV[1] == '1' then
  local earlier = redis.call('GET', KEYS[1])
  if earlier then
    return {'dup', earlier}
  end
end

local keep = tonumber(ARGV[4])
local cutoff = nowMs - tonumber(ARGV[5])

-- Retention (§5): keep the last `keep` entries and every entry stored after `cutoff`, whichever is
-- more. Removes at most 100 expired entries per append, so the cost stays constant.
local function trim(log, marker)
  local excess = redis.call('XLEN', log) - keep
  if excess <= 0 then
    return
  end
  local oldest = redis.call('XRANGE', log, '-', '+', 'COUNT', 1)
  if tonumber(string.match(oldest[1][1], '^(%d+)')) > cutoff then
    return
  end
  local candidates = redis.call('XRANGE', log, '-', '+', 'COUNT', math.min(excess, 100))
  local expired = 0
  for _, entry in ipairs(candidates) do
    if tonumber(string.match(entry[1], '^(%d+)')) > cutoff then
      break
    end
    expired = expired + 1
  end
  if expired > 0 then
    redis.call('XTRIM', log, 'MAXLEN', redis.call('XLEN', log) - expired)
    redis.call('SET', marker, candidates[expired][1])
  end
end

local json = ARGV[6]
local logs = (#KEYS - 1) / 2
local result = {'ok'}
for i = 1, logs do
  local seq = redis.call('XADD', KEYS[1 + i], '*', 'm', json)
  trim(KEYS[1 + i], KEYS[1 + logs + i])
  result[1 + i] = seq
  redis.call('PUBLISH', ARGV[7 + i], '{"seq":"' .. seq .. '",' .. string.sub(json, 2))
end

if ARGV[1] == '1' then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))
end
return result
