-- Redis Cluster, first step of an edit or recall (the locator's slot): the same checks as
-- message-change.lua, writing nothing; the logs are changed shard by shard after it
-- (cluster-change-log.lua) and a recall is marked on the locator last (cluster-set.lua), so a
-- retry after a 503 finds the message still changeable and completes the change.
-- KEYS[1] the message's locator (relay:{m:<id>}:at = '<from>\t<to>\t<room>\t<ts>[\tr]')
-- ARGV[1] 'edit' or 'recall'; ARGV[2] the caller's uid ('' for a backend); ARGV[3] deadline (Unix
-- ms, see is_late); ARGV[4] the edit window (ms)
-- Returns {'late'}, {'not_found'} (unknown, expired or recalled), {'forbidden'}, {'too_late'} or
-- {'ok', <locator value>, <from>, <to>, <room>}.

if is_late(ARGV[3]) then
  return {'late'}
end
local at = redis.call('GET', KEYS[1])
if not at then
  return {'not_found'}
end
local from, to, room, ts, recalled = string.match(at, '^([^\t]*)\t([^\t]*)\t([^\t]*)\t(%d+)(\t?r?)$')
if not ts or recalled ~= '' then
  return {'not_found'}
end
if ARGV[2] ~= '' and ARGV[2] ~= from then
  return {'forbidden'}
end
if ARGV[1] ~= 'recall' and now_ms() - tonumber(ts) > tonumber(ARGV[4]) then
  return {'too_late'}
end
return {'ok', at, from, to, room}
