-- Moves a device's acked cursor forward, never back (acks are cumulative and may arrive late).
-- KEYS[1] the user's cursor hash; ARGV[1] device; ARGV[2] seq; ARGV[3] hash lifetime in ms
-- (cursors older than the log's retention point at nothing, so the hash expires with it).
-- Returns 1 when the cursor moved.
local function parse(seq)
  local ms, n = string.match(seq, '^(%d+)-(%d+)$')
  if not ms then
    return tonumber(seq), 0
  end
  return tonumber(ms), tonumber(n)
end

local current = redis.call('HGET', KEYS[1], ARGV[1])
local moved = 0
if current then
  local cm, cn = parse(current)
  local nm, nn = parse(ARGV[2])
  if nm > cm or (nm == cm and nn > cn) then
    moved = 1
  end
else
  moved = 1
end
if moved == 1 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return moved
