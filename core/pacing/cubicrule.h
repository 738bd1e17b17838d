#pragma once

#include <QtGlobal>

#include <optional>

// The learning rule of the learned request limit (CUBIC-like), in one place: its constants and
// its pure steps. AdaptiveLimiter runs it for one process; the Redis limiter's Lua scripts
// (redisscripts.cpp) are a line-by-line transcription of these functions, built with these
// constants, for every instance together. tests/integration/pacing/tst_cubicrule runs one table
// through both. Times are steady milliseconds; rates are requests per second.
namespace gp::cubic {

inline constexpr double Beta = 0.85; // multiplicative decrease: the rate after a loss is beta x Wmax
inline constexpr double GrowthC = 0.4; // growth scale at ScaleAtRps, rps / s^3
inline constexpr double ScaleAtRps = 10.0; // the growth scales with (Wmax / this)^3...
inline constexpr double MinScale = 1e-4; // ...clamped to [MinScale, MaxScale]
inline constexpr double MaxScale = 1e4;
inline constexpr double CycleDelays = 4.0; // the climb back to wmax takes at least this many feedback delays
inline constexpr double MinRps = 0.2;
inline constexpr double MaxRps = 1e6;
inline constexpr qint64 MinHoldMs = 250; // pause after a loss when the server gave no Retry-After...
inline constexpr double PauseSendsMs = 2000.0; // ...but never more than two sends' worth (2 x 1000 / rps)
// What got through at a loss: attempts sent minus attempts refused, counted by the slot of their
// admission, over this long before the refused attempt's admission...
inline constexpr qint64 MeasureMs = 2000;
inline constexpr qint64 MeasureSlotMs = 250; // ...in slots of this many ms (the window: whole slots)...
inline constexpr qint64 MeasureFloorMs = 250; // ...over no less than this (not a burst's instant)
inline constexpr qint64 CountGapMs = 10000; // a gap this long between admissions starts a new count
inline constexpr qint64 CountMemoryMs = 30000; // slots older than this (before now) are not counted
inline constexpr double SlowStartRps = 4.0; // before the first loss: start here...
inline constexpr qint64 SlowStartDoublingMs = 500; // ...and double this often
inline constexpr double MaxDoublings = 40.0;
inline constexpr int StartWindow = 4; // before the first loss: at most this many in flight per model...
inline constexpr double WindowPerSuccess = 1.0; // ...plus this many per success (doubling per round trip)...
// ...sent at most this x window per smoothed round trip (0: not paced; Linux paces slow start at 2):
// a window that answers free all at once is not sent as one burst, whose tail a limiter that refuses
// at admission would refuse whole before its first 429 is back...
inline constexpr double WindowPacing = 1.0;
// ...and an attempt unanswered this many smoothed round trips after its admission no longer counts
// against the window: a limiter that refuses before any work has answered it by then, and the slow
// tail of answers (lognormal at LLM latency) does not hold the probe (0: every attempt counts).
inline constexpr double WindowHorizonRtts = 1.0;
// The smoothed round trip takes this share of each new sample (TCP's SRTT).
inline constexpr double RoundTripGain = 0.125;

// The curve after a loss: Wmax, its growth scale and the seconds to climb back to Wmax.
struct Curve
{
    double wmax = 0.0;
    double c = GrowthC;
    double k = 0.0;
    double delayS = 0.0; // the loss's feedback delay: its 429's admission to answer (0: not known)
};

// Before the first loss: SlowStartRps doubled every SlowStartDoublingMs since the start.
double slowStartRate(qint64 elapsedMs, double startRps = SlowStartRps,
                     qint64 doublingMs = SlowStartDoublingMs);
// Before the first loss, the requests one model may have in flight: `initial` plus `perSuccess`
// for every success so far (TCP's initial window and slow start). It ties the probe of an unknown
// limit to the answers that come back, so a long feedback delay slows the probe instead of letting
// the clock-driven slow start run ahead of it. `initial` <= 0: no window. Per instance (in flight is
// local), so the Redis transcription has no counterpart.
std::optional<int> startWindow(int successes, int initial = StartWindow,
                               double perSuccess = WindowPerSuccess);
// The window's pace: `pacing` x window per smoothed round trip, spreading the window's sends over
// the round trip instead of in bursts as answers return; 0 (no pace) before a round trip is known
// or with `pacing` <= 0.
double windowRate(int window, double roundTripMs, double pacing = WindowPacing);
// The window's horizon: attempts admitted longer ago than this count no more against the window;
// nullopt (every attempt counts) before a round trip is known or with `horizonRtts` <= 0.
std::optional<qint64> windowHorizonMs(double roundTripMs, double horizonRtts = WindowHorizonRtts);
// On the curve, `elapsedMs` after its start (the end of the hold: nothing was sent while holding).
// Above wmax the probe grows no faster than one request per feedback delay per feedback delay
// (Reno's one segment per round trip): a probe past the limit is refused for a whole feedback
// delay before the client can know, so its overshoot must not outgrow that delay.
double curveRate(const Curve &curve, qint64 elapsedMs, double minRps = MinRps);
// The curve after a loss at `wmax`; the growth scaled to the rate so a cycle spans a similar
// number of requests at any limit, and slowed so the climb back to wmax spans at least
// CycleDelays feedback delays (`delayS`): each probe then sees its own answer before the next.
Curve decrease(double wmax, double beta = Beta, double growthC = GrowthC, double delayS = 0.0);
// What got through, as a rate: `count` attempts sent and not refused in the window of whole slots
// that ends at `endMs`, the first admission of the current count at `firstMs`; nullopt when the
// count is not positive. Counted by admission, not by answer: at a long feedback delay the answers
// of a loss's moment are still on their way, and successes per second of answer measure the rate a
// delay ago (during a ramp, a fraction of the rate the server refused).
std::optional<double> measuredRate(int count, qint64 endMs, qint64 firstMs, qint64 measureMs = MeasureMs);
// The window of slots that measures a loss of an attempt admitted at `admittedMs`, at `nowMs`:
// the first and last slot counted, and the end of what they cover (nowMs within the last slot).
struct MeasureWindow
{
    qint64 firstSlot = 0;
    qint64 lastSlot = 0;
    qint64 endMs = 0;
};
MeasureWindow measureWindow(qint64 admittedMs, qint64 nowMs, qint64 measureMs = MeasureMs);
// Wmax of a loss: the rate meant when the refused attempt was sent (on the curve, or the slow
// start's), but no more than what got through. nullopt (nothing to learn from: the loss only
// holds) before the first loss with no success counted, since the slow start is a probe, not a
// rate the server accepted; or with neither known.
std::optional<double> lossRate(std::optional<double> rateAtLoss, bool onCurve, std::optional<double> measured,
                               double minRps = MinRps);
// The pause after a loss: the server's hint, else a short pause of at most two sends at `rps`.
qint64 pauseMs(std::optional<double> rps, qint64 hintMs, qint64 minHoldMs = MinHoldMs);

} // namespace gp::cubic
