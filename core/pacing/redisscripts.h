#pragma once

#include <QByteArray>

namespace gp::redisscripts {

// Atomic admission. KEYS: request TAT, token bucket hash, hold flag, published rate.
// ARGV: requests/s (0 = none), burst, tokens/min (0 = none), token burst, tokens asked.
// The server's own clock (TIME) is the one clock every instance shares.
// Returns {1, 0} when admitted, {0, ms to wait} when not.
inline const QByteArray Admit = QByteArrayLiteral(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local hold = redis.call('PTTL', KEYS[3])
if hold > 0 then return {0, hold} end
local rate = tonumber(ARGV[1])
local published = tonumber(redis.call('GET', KEYS[4]) or '0')
if published > 0 and (rate <= 0 or published < rate) then rate = published end
local burst = math.max(1, tonumber(ARGV[2]))
local tpm = tonumber(ARGV[3])
local cap = tonumber(ARGV[4])
local tokens = tonumber(ARGV[5])
local wait = 0
local tat = now
if rate > 0 then
  local interval = 1000 / rate
  tat = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
  local allowAt = tat - (burst - 1) * interval
  if allowAt > now then wait = allowAt - now end
end
local level = cap
if tpm > 0 then
  local st = redis.call('HMGET', KEYS[2], 'level', 'ts')
  level = tonumber(st[1] or cap)
  local ts = tonumber(st[2] or now)
  level = math.min(cap, level + math.max(0, now - ts) * tpm / 60000)
  if level < tokens then wait = math.max(wait, (tokens - level) * 60000 / tpm) end
end
if wait > 0 then return {0, math.ceil(wait)} end
if rate > 0 then
  local nextTat = tat + 1000 / rate
  redis.call('SET', KEYS[1], tostring(nextTat), 'PX', math.ceil(nextTat - now) + 1000)
end
if tpm > 0 then
  redis.call('HSET', KEYS[2], 'level', tostring(level - tokens), 'ts', tostring(now))
  redis.call('PEXPIRE', KEYS[2], 120000)
end
return {1, 0}
)lua");

// Token settlement. KEYS: token bucket hash. ARGV: tokens/min, token burst, delta
// (positive charges, negative refunds). Returns the new level, floored.
inline const QByteArray Settle = QByteArrayLiteral(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tpm = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
if tpm <= 0 then return 0 end
local st = redis.call('HMGET', KEYS[1], 'level', 'ts')
local level = tonumber(st[1] or cap)
local ts = tonumber(st[2] or now)
level = math.min(cap, level + math.max(0, now - ts) * tpm / 60000)
level = math.min(cap, level - tonumber(ARGV[3]))
redis.call('HSET', KEYS[1], 'level', tostring(level), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], 120000)
return math.floor(level)
)lua");

// Heartbeat. KEYS: instance set, this instance's key. ARGV: instance id, TTL ms.
// Returns how many instances beat within the TTL.
inline const QByteArray Heartbeat = QByteArrayLiteral(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('SET', KEYS[2], '1', 'PX', ttl)
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
redis.call('PEXPIRE', KEYS[1], ttl * 10)
return redis.call('ZCARD', KEYS[1])
)lua");

} // namespace gp::redisscripts
