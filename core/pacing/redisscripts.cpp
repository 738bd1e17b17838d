#include "core/pacing/redisscripts.h"

#include "core/pacing/cubicrule.h"

#include <QList>

#include <utility>

namespace gp::redisscripts {

namespace {

// The rule's steps (core/pacing/cubicrule.h) in Lua, with its constants put in by
// withConstants(). Shared by Admit, Success and Loss.
const char Rule[] = R"lua(
-- core/pacing/cubicrule.cpp, line by line
local function gp_num(x) return string.format('%.17g', x) end
local function gp_slow_start(elapsed)
  local doublings = math.max(0, elapsed) / ${SlowStartDoublingMs}
  return math.min(${MaxRps}, ${SlowStartRps} * 2 ^ math.min(doublings, ${MaxDoublings}))
end
local function gp_curve(l, elapsed, minRps)
  local t = math.max(0, elapsed) / 1000
  local rate = l.wmax + l.c * (t - l.k) ^ 3
  if l.d > 0 and t > l.k then rate = math.min(rate, l.wmax + (t - l.k) / (l.d * l.d)) end
  return math.min(${MaxRps}, math.max(minRps, rate))
end
local function gp_decrease(wmax, beta, growthC, d)
  local c = growthC * math.min(${MaxScale}, math.max(${MinScale}, (wmax / ${ScaleAtRps}) ^ 3))
  local k = (wmax * (1 - beta) / c) ^ (1 / 3)
  if k < ${CycleDelays} * d then
    k = ${CycleDelays} * d
    c = wmax * (1 - beta) / (k * k * k)
  end
  return c, k
end
local function gp_measured(count, e, first)
  if count <= 0 then return nil end
  local span = math.max(${MeasureFloorMs}, math.min(${MeasureMs} + e % ${MeasureSlotMs}, e - first))
  return count * 1000 / span
end
local function gp_window(admitted, now)
  local last = math.floor(admitted / ${MeasureSlotMs})
  local first = math.max(last - ${MeasureSlots}, math.floor(now / ${MeasureSlotMs}) - ${MemorySlots})
  return first, last, math.min(now, last * ${MeasureSlotMs} + ${MeasureSlotMs} - 1)
end
local function gp_loss_rate(atLoss, onCurve, measured, minRps)
  if not onCurve and not measured then return nil end
  local wmax = measured
  if atLoss and (not wmax or atLoss < wmax) then wmax = atLoss end
  if not wmax then return nil end
  return math.max(minRps, wmax)
end
local function gp_pause(rps, hint, minHold)
  local pause = minHold
  if rps then pause = math.min(minHold, math.floor(${PauseSendsMs} / math.max(rps, 1e-3))) end
  return math.max(math.max(0, hint), pause)
end
-- core/pacing/adaptivelimiter.cpp: its state in Redis
local function gp_learned(key)
  local h = redis.call('HMGET', key, 'wmax', 'epoch', 'until', 'k', 'c', 'd')
  local l = { epoch = tonumber(h[2] or '0'), hold = tonumber(h[3] or '0'), d = tonumber(h[6] or '0') }
  if h[1] then l.wmax = tonumber(h[1]); l.k = tonumber(h[4]); l.c = tonumber(h[5]) end
  return l
end
local function gp_rate(l, started, now, minRps)
  if l.wmax then return gp_curve(l, now - math.max(l.epoch, l.hold), minRps) end
  if started then return gp_slow_start(now - started) end
  return nil
end
-- AdaptiveLimiter::gotThroughRps: sent minus refused, by admission slot ('s<slot>', 'r<slot>')
local function gp_got_through(key, admitted, now)
  local first, last, e = gp_window(admitted, now)
  local fields = {}
  for s = first, last do
    fields[#fields + 1] = 's' .. s
    fields[#fields + 1] = 'r' .. s
  end
  fields[#fields + 1] = 'first'
  local h = redis.call('HMGET', key, unpack(fields))
  local count = 0
  for i = 1, #fields - 1, 2 do count = count + tonumber(h[i] or '0') - tonumber(h[i + 1] or '0') end
  return gp_measured(count, e, tonumber(h[#fields] or e))
end
)lua";

const char AdmitBody[] = R"lua(
local now = gp_now()
local learned = tonumber(redis.call('GET', KEYS[5]) or '0')
local rate = tonumber(ARGV[1])
local published = tonumber(redis.call('GET', KEYS[4]) or '0')
if published > 0 and (rate <= 0 or published < rate) then rate = published end
local learnedRate = 0
if rate <= 0 and ARGV[6] == '1' then
  local l = gp_learned(KEYS[6])
  if not l.wmax then redis.call('SET', KEYS[7], tostring(now), 'NX', 'PX', 600000) end
  rate = gp_rate(l, tonumber(redis.call('GET', KEYS[7])), now, tonumber(ARGV[7])) or 0
  learnedRate = rate
end
local hold = redis.call('PTTL', KEYS[3])
if hold > 0 then return {0, hold, math.floor(learned), gp_num(learnedRate)} end
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
if wait > 0 then return {0, math.ceil(wait), math.floor(learned), gp_num(learnedRate)} end
if rate > 0 then
  local nextTat = tat + 1000 / rate
  redis.call('SET', KEYS[1], tostring(nextTat), 'PX', math.ceil(nextTat - now) + 1000)
end
if tpm > 0 then
  redis.call('HSET', KEYS[2], 'level', tostring(level - tokens), 'ts', tostring(now))
  redis.call('PEXPIRE', KEYS[2], 120000)
end
return {1, 0, math.floor(learned), gp_num(learnedRate)}
)lua";

const char SettleBody[] = R"lua(
local now = gp_now()
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
)lua";

const char HeartbeatBody[] = R"lua(
local now = gp_now()
local ttl = tonumber(ARGV[2])
redis.call('SET', KEYS[2], '1', 'PX', ttl)
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
redis.call('PEXPIRE', KEYS[1], ttl * 10)
return redis.call('ZCARD', KEYS[1])
)lua";

const char LowerRateBody[] = R"lua(
local r = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local age = ttl - redis.call('PTTL', KEYS[1])
if cur <= 0 or r < cur or age > tonumber(ARGV[3]) then
  redis.call('SET', KEYS[1], tostring(r), 'PX', ttl)
  return 1
end
return 0
)lua";

const char RaiseBurstBody[] = R"lua(
local b = tonumber(ARGV[1])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if b > cur then redis.call('SET', KEYS[1], tostring(b), 'PX', tonumber(ARGV[2]))
else redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2])) end
return math.max(b, cur)
)lua";

const char SentBody[] = R"lua(
local now = gp_now()
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '-1')
if last >= 0 and now - last > ${CountGapMs} then redis.call('DEL', KEYS[1]) end
local slot = math.floor(now / ${MeasureSlotMs})
redis.call('HINCRBY', KEYS[1], 's' .. slot, 1)
redis.call('HSETNX', KEYS[1], 'first', tostring(now))
redis.call('HSET', KEYS[1], 'last', tostring(now))
local old = slot - ${MemorySlots}
redis.call('HDEL', KEYS[1], 's' .. (old - 1), 'r' .. (old - 1), 's' .. (old - 2), 'r' .. (old - 2))
redis.call('PEXPIRE', KEYS[1], ${CountGapMs} + ${CountMemoryMs})
return 1
)lua";

const char LossBody[] = R"lua(
local now = gp_now()
local hint = tonumber(ARGV[2])
local minRps = tonumber(ARGV[5])
local minHold = tonumber(ARGV[6])
local l = gp_learned(KEYS[1])
-- Refused: it did not get through, whichever overload it belongs to.
local refusedSlot = math.floor((now - math.max(0, tonumber(ARGV[1]))) / ${MeasureSlotMs})
if refusedSlot >= math.floor(now / ${MeasureSlotMs}) - ${MemorySlots} then
  redis.call('HINCRBY', KEYS[3], 'r' .. refusedSlot, 1)
  redis.call('PEXPIRE', KEYS[3], ${CountGapMs} + ${CountMemoryMs})
end
local function hold_for(rps)
  l.hold = math.max(l.hold, now + gp_pause(rps, hint, minHold))
  redis.call('HSET', KEYS[1], 'until', gp_num(l.hold))
  redis.call('PEXPIRE', KEYS[1], 600000)
  local ms = l.hold - now
  if ms > 0 and redis.call('PTTL', KEYS[2]) < ms then redis.call('SET', KEYS[2], '1', 'PX', ms) end
end
if l.wmax and now - tonumber(ARGV[1]) <= l.epoch then
  if hint > 0 then hold_for(l.wmax) end
  return {0, math.floor(l.wmax * 1000)}
end
local started = tonumber(redis.call('GET', KEYS[4]) or '')
local sent = now - math.max(0, tonumber(ARGV[1]))
local wmax = gp_loss_rate(gp_rate(l, started, sent, minRps), l.wmax ~= nil, gp_got_through(KEYS[3], sent, now), minRps)
hold_for(wmax)
if not wmax then return {0, 0} end
local d = math.max(0, tonumber(ARGV[1]) / 1000)
local c, k = gp_decrease(wmax, tonumber(ARGV[3]), tonumber(ARGV[4]), d)
redis.call('HSET', KEYS[1], 'wmax', gp_num(wmax), 'epoch', gp_num(now), 'k', gp_num(k), 'c', gp_num(c), 'd', gp_num(d))
return {1, math.floor(wmax * 1000)}
)lua";

QByteArray withConstants(QByteArray lua)
{
    const std::pair<const char *, double> constants[] = {
        { "${SlowStartDoublingMs}", double(cubic::SlowStartDoublingMs) },
        { "${SlowStartRps}", cubic::SlowStartRps },
        { "${MaxDoublings}", cubic::MaxDoublings },
        { "${MaxRps}", cubic::MaxRps },
        { "${MaxScale}", cubic::MaxScale },
        { "${CycleDelays}", cubic::CycleDelays },
        { "${MinScale}", cubic::MinScale },
        { "${ScaleAtRps}", cubic::ScaleAtRps },
        { "${MeasureFloorMs}", double(cubic::MeasureFloorMs) },
        { "${MeasureMs}", double(cubic::MeasureMs) },
        { "${MeasureSlotMs}", double(cubic::MeasureSlotMs) },
        { "${MeasureSlots}", double(cubic::MeasureMs / cubic::MeasureSlotMs) },
        { "${MemorySlots}", double(cubic::CountMemoryMs / cubic::MeasureSlotMs) },
        { "${CountMemoryMs}", double(cubic::CountMemoryMs) },
        { "${PauseSendsMs}", cubic::PauseSendsMs },
        { "${CountGapMs}", double(cubic::CountGapMs) },
    };
    for (const auto &[name, value] : constants)
        lua.replace(name, QByteArray::number(value, 'g', 17));
    return lua;
}

QByteArray build(const char *body, bool withRule)
{
    return QByteArray(ServerClock) + (withRule ? withConstants(Rule) : QByteArray()) + withConstants(body);
}

} // namespace

const QByteArray &script(Script which)
{
    static const QByteArray scripts[] = {
        build(AdmitBody, true),      build(SettleBody, false),     build(HeartbeatBody, false),
        build(LowerRateBody, false), build(RaiseBurstBody, false), build(SentBody, false),
        build(LossBody, true),
    };
    return scripts[int(which)];
}

QList<const QByteArray *> all()
{
    QList<const QByteArray *> scripts;
    for (Script which : { Script::Admit, Script::Settle, Script::Heartbeat, Script::LowerRate,
                          Script::RaiseBurst, Script::Sent, Script::Loss })
        scripts.append(&script(which));
    return scripts;
}

} // namespace gp::redisscripts
