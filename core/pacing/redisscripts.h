#pragma once

#include <QByteArray>
#include <QList>

// The Redis limiter's Lua scripts. Every one starts with ServerClock: the server's own clock
// (TIME) is the one clock every instance shares. The learned limit's rule is the Lua
// transcription of core/pacing/cubicrule.h, built with its constants (redisscripts.cpp).
namespace gp::redisscripts {

// The first line of every script; a test may swap it for a clock of its own.
inline constexpr char ServerClock[]
    = "local function gp_now() local t = redis.call('TIME') "
      "return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) end\n";

enum class Script {
    // Atomic admission. KEYS: request TAT, token bucket hash, hold flag, published rate,
    // learned burst, shared learned-limit hash, slow-start start time.
    // ARGV: requests/s (0 = none), burst (0 = unknown), tokens/min (0 = none), token burst,
    // tokens asked, adaptive (1: learn a limit when nothing else is known), min rps.
    // The request rate is the least of the configured and the published one; with neither, the
    // shared learned limit (the curve after a loss) or, before any loss, the slow start. The burst
    // is the least of the configured and the learned one, and 1 when neither is known.
    // Returns {1, 0, learned burst, learned rate} when admitted, {0, ms to wait, learned burst,
    // learned rate} when not; the learned rate is a string, "0" when it is not in force.
    Admit,
    // Token settlement. KEYS: token bucket hash. ARGV: tokens/min, token burst, delta
    // (positive charges, negative refunds). Returns the new level, floored.
    Settle,
    // Heartbeat. KEYS: instance set, this instance's key. ARGV: instance id, TTL ms.
    // Returns how many instances beat within the TTL.
    Heartbeat,
    // The request rate quota headers imply: keeps the least one published within the last
    // refresh period (each is an upper bound, and one taken from few samples is a loose one), then
    // takes the next as it comes so the rate can rise. KEYS: rate key. ARGV: rate, TTL ms, refresh ms.
    LowerRate,
    // A learned burst: keeps the largest one any instance published. KEYS: burst key. ARGV: burst, TTL ms.
    RaiseBurst,
    // One attempt sent, for the shared learned limit (AdaptiveLimiter::recordAdmission for every
    // instance together), counted per slot of the server's clock. KEYS: count hash ('s<slot>' sent,
    // 'r<slot>' refused, 'first' and 'last' admission ms).
    Sent,
    // A quota 429 for the shared learned limit (AdaptiveLimiter::recordRateLimited for every instance
    // together). KEYS: learned-limit hash, hold flag, count hash, slow-start start time. ARGV: ms
    // since the attempt was admitted, the server's hold ms (0 = none), beta, cubic C, min rps, min hold
    // ms. Returns {1 when the limit moved, Wmax x 1000 (0 = none)}.
    Loss,
};

const QByteArray &script(Script which);
// Every script, for SCRIPT LOAD.
QList<const QByteArray *> all();

} // namespace gp::redisscripts
