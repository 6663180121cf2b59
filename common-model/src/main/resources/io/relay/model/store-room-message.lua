-- Stores one or more messages of one room (a batch: posts that waited together, in their order)
-- in the room's history and in the log of every member, and publishes each once per push node
-- holding members (see store_batch_and_route), atomically (one round trip). The member list is read
-- here, inside the same script, so a member removed by an earlier call gets nothing and a
-- non-member cannot post. Each message is checked on its own (membership, duplicate, send budget)
-- as if it were sent alone, in order; the stored ones then cost each member one XADD apiece and
-- one index, conversation, unread, trim and routing step for all of them together.
--
-- KEYS[1] the room's meta hash (exists when the room does)
-- KEYS[2] the room's member set
-- KEYS[3] the room's history stream
-- KEYS[4] the room history's message index hash (id -> position)
-- KEYS[5] the room history's edit states (relay:{r:<room>}:edits)
-- then per message j = 1..n, three keys from KEYS[6 + 3 * (j - 1)]:
--   its once key (idempotency; only read/written when its guard is '1'), the sender's send budget
--   (see take_token), the message's locator (relay:{m:<id>}:at, see store-message.lua)
-- ARGV[1] deadline (Unix ms): past it nothing is stored (see is_late)
-- ARGV[2] idempotency window in seconds
-- ARGV[3] retention: entries kept at least (count)
-- ARGV[4] retention: entries younger than this are kept (milliseconds)
-- ARGV[5] the conversation 'r:<room>'
-- ARGV[6] n, the number of messages
-- then per message j, eight arguments from ARGV[7 + 8 * (j - 1)]:
--   '1' when the sender gave a clientMsgId, the message id, the message JSON without seq, the
--   sender ('' for a backend message without from), '1' when the sender must be a member (a user
--   posting), send budget tokens per second (<= 0: no limit), its burst, the locator value
--
-- Returns {'late'} or {'no_room'} for all, else two items per message in order: 'ok' <member logs
-- written>, 'dup' <earlier id>, 'not_member' '' or 'rate_limited' <ms until a token>.

if is_late(ARGV[1]) then
  return {'late'}
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'no_room'}
end

local keep = tonumber(ARGV[3])
local cutoff = retention_cutoff(tonumber(ARGV[4]))
local count = tonumber(ARGV[6])
local members = redis.call('SMEMBERS', KEYS[2])
local result = {}
local stored = {}
-- per message: its checks, then the room's part (history, locator, idempotency key)
for j = 1, count do
  local k = 5 + 3 * (j - 1)
  local a = 6 + 8 * (j - 1)
  local guarded, id, json, sender = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
  local outcome, value
  if ARGV[a + 5] == '1' and redis.call('SISMEMBER', KEYS[2], sender) == 0 then
    outcome, value = 'not_member', ''
  else
    local earlier = earlier_send(guarded, KEYS[k + 1])
    if earlier then
      outcome, value = 'dup', earlier
    else
      local wait = take_token(KEYS[k + 2], ARGV[a + 6], ARGV[a + 7])
      if wait > 0 then
        outcome, value = 'rate_limited', wait
      else
        add_entry(KEYS[3], KEYS[4], json, id, nil)
        remember_locator(KEYS[k + 3], ARGV[a + 8], ARGV[4])
        remember_send(guarded, KEYS[k + 1], id, ARGV[2])
        stored[#stored + 1] = {id = id, json = json, sender = sender}
        outcome, value = 'ok', #members
      end
    end
  end
  result[#result + 1] = outcome
  result[#result + 1] = value
end
if #stored == 0 then
  return result
end

trim(KEYS[3], nil, KEYS[4], keep, cutoff, function(edits, id)
  redis.call('HDEL', edits, id)
end, KEYS[5])
local routes = new_batch_routes(#stored)
-- per member: O(M) appends and bindings reads, one PUBLISH per message and node after
for _, uid in ipairs(members) do
  store_batch_and_route(routes, uid, stored, ARGV[5], keep, cutoff)
end
for j = 1, #stored do
  publish_routes(routes[j], stored[j].json)
end
return result
