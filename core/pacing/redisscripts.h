#pragma once

#include <QByteArray>

namespace gp::redisscripts {

// Atomic admission. KEYS: request TAT, token bucket hash, hold flag, published rate,
// learned burst, shared learned-limit hash, slow-start start time.
// ARGV: requests/s (0 = none), burst (0 = unknown), tokens/min (0 = none), token burst,
// tokens asked, adaptive (1: learn a limit when nothing else is known), min rps.
// The request rate is the least of the configured and the published one; with neither, the
// shared learned limit (CUBIC, see Loss) or, before any loss, a slow start. The burst is the
// least of the configured and the learned one, and 1 when neither is known.
// The server's own clock (TIME) is the one clock every instance shares.
// Returns {1, 0, learned burst} when admitted, {0, ms to wait, learned burst} when not.
inline const QByteArray Admit = QByteArrayLiteral(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local learned = tonumber(redis.call('GET', KEYS[5]) or '0')
local hold = redis.call('PTTL', KEYS[3])
if hold > 0 then return {0, hold, math.floor(learned)} end
local rate = tonumber(ARGV[1])
local published = tonumber(redis.call('GET', KEYS[4]) or '0')
if published > 0 and (rate <= 0 or published < rate) then rate = published end
local minRps = tonumber(ARGV[7])
if rate <= 0 and ARGV[6] == '1' then
  local l = redis.call('HMGET', KEYS[6], 'wmax', 'start', 'k', 'c')
  if l[1] then
    local s = math.max(0, now - tonumber(l[2])) / 1000
    rate = math.max(minRps, tonumber(l[1]) + tonumber(l[4]) * (s - tonumber(l[3])) ^ 3)
  else
    redis.call('SET', KEYS[7], tostring(now), 'NX', 'PX', 600000)
    local s = math.max(0, now - tonumber(redis.call('GET', KEYS[7]) or now)) / 500
    rate = 4 * 2 ^ math.min(s, 20)
  end
end
local burst = tonumber(ARGV[2])
if learned > 0 and (burst <= 0 or learned < burst) then burst = learned end
burst = math.max(1, burst)
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
if wait > 0 then return {0, math.ceil(wait), math.floor(learned)} end
if rate > 0 then
  local nextTat = tat + 1000 / rate
  redis.call('SET', KEYS[1], tostring(nextTat), 'PX', math.ceil(nextTat - now) + 1000)
end
if tpm > 0 then
  redis.call('HSET', KEYS[2], 'level', tostring(level - tokens), 'ts', tostring(now))
  redis.call('PEXPIRE', KEYS[2], 120000)
end
return {1, 0, math.floor(learned)}
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

// The request rate quota headers imply: keeps the least one published within the last
// refresh period (each is an upper bound, and one taken from few samples is a loose one), then
// takes the next as it comes so the rate can rise. KEYS: rate key. ARGV: rate, TTL ms, refresh ms.
inline const QByteArray LowerRate = QByteArrayLiteral(R"lua(
local r = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local age = ttl - redis.call('PTTL', KEYS[1])
if cur <= 0 or r < cur or age > tonumber(ARGV[3]) then
  redis.call('SET', KEYS[1], tostring(r), 'PX', ttl)
  return 1
end
return 0
)lua");

// A learned burst: keeps the largest one any instance published. KEYS: burst key.
// ARGV: burst, TTL ms.
inline const QByteArray RaiseBurst = QByteArrayLiteral(R"lua(
local b = tonumber(ARGV[1])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if b > cur then redis.call('SET', KEYS[1], tostring(b), 'PX', tonumber(ARGV[2]))
else redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2])) end
return math.max(b, cur)
)lua");

// One success for the shared learned limit: counted per second of the server's clock.
// KEYS: success hash (fields: second -> count, 'first' -> first success ms).
inline const QByteArray Success = QByteArrayLiteral(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local sec = math.floor(now / 1000)
redis.call('HINCRBY', KEYS[1], tostring(sec), 1)
redis.call('HSETNX', KEYS[1], 'first', tostring(now))
redis.call('HDEL', KEYS[1], tostring(sec - 3), tostring(sec - 4))
redis.call('PEXPIRE', KEYS[1], 10000)
return 1
)lua");

// A quota 429 with no server rate known: the shared CUBIC limit drops to beta x the rate
// at the loss (no more than the measured success rate of every instance together) and a
// short hold starts. A loss of an attempt admitted before the last decrease (the same
// overload), or one with no rate to go by (no success measured, nothing learned), only holds. KEYS:
// learned-limit hash, hold flag, success hash. ARGV: ms since the attempt was admitted, hold ms, beta, cubic
// C, min rps. Returns {1 when the limit moved, learned rps x 1000}.
inline const QByteArray Loss = QByteArrayLiteral(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local hold = tonumber(ARGV[2])
local beta = tonumber(ARGV[3])
local minRps = tonumber(ARGV[5])
if hold > 0 and redis.call('PTTL', KEYS[2]) < hold then
  redis.call('SET', KEYS[2], '1', 'PX', hold)
end
local l = redis.call('HMGET', KEYS[1], 'wmax', 'epoch', 'start', 'k', 'c')
if l[1] and now - tonumber(ARGV[1]) <= tonumber(l[2]) then
  return {0, math.floor(tonumber(l[1]) * 1000)}
end
local sec = math.floor(now / 1000)
local s = redis.call('HMGET', KEYS[3], tostring(sec - 2), tostring(sec - 1), tostring(sec), 'first')
local count = tonumber(s[1] or '0') + tonumber(s[2] or '0') + tonumber(s[3] or '0')
local wmax = -1
if count > 0 then
  wmax = count * 1000 / math.max(250, math.min(2000 + now % 1000, now - tonumber(s[4] or now)))
end
if l[1] then
  local at = math.max(0, now - tonumber(l[3])) / 1000
  local atLoss = math.max(minRps, tonumber(l[1]) + tonumber(l[5]) * (at - tonumber(l[4])) ^ 3)
  if wmax < 0 or atLoss < wmax then wmax = atLoss end
end
if wmax < 0 then return {0, 0} end
wmax = math.max(minRps, wmax)
local c = tonumber(ARGV[4]) * math.min(1e4, math.max(1e-4, (wmax / 10) ^ 3))
local k = (wmax * (1 - beta) / c) ^ (1 / 3)
redis.call('HSET', KEYS[1], 'wmax', tostring(wmax), 'epoch', tostring(now), 'start',
  tostring(now + math.max(0, hold)), 'k', tostring(k), 'c', tostring(c))
redis.call('PEXPIRE', KEYS[1], 600000)
return {1, math.floor(wmax * 1000)}
)lua");

} // namespace gp::redisscripts
