#pragma once

#include <QString>

#include <optional>

namespace gp {

// Where the limit the pacer paces a model by came from, strongest first when several apply.
enum class LimitSource {
    None, // nothing limits admission but concurrency (yet)
    Configured, // --rps / --rpm / --tpm or the settings
    Headers, // quota headers of the responses (remaining / reset)
    StatedByServer, // the limit written in a 429 body ("Requests per Second (actual/limit): 6/10")
    Learned, // the adaptive limiter, from 429s that state nothing
};

// Human, for the console and the batch summary: "configured", "headers", "stated by server",
// "learned", "none".
QString limitSourceName(LimitSource source);
// The source with how it is known: "stated by server (remembered, 2 h ago)" when a server stated it
// in an earlier run `rememberedAgoMs` ago, else limitSourceName().
QString limitSourceText(LimitSource source, std::optional<qint64> rememberedAgoMs);
// For a line as narrow as a headline tile: "remembered, 2 h ago" for a limit a server stated in an
// earlier run, else limitSourceName().
QString limitSourceBrief(LimitSource source, std::optional<qint64> rememberedAgoMs);
// "45 s ago", "12 min ago", "2 h ago".
QString agoText(qint64 ms);
// One line for people: "10 requests/s, 6000 tokens/min for grok-4-0709 (stated by server)";
// "no limit known" when nothing limits admission.
QString describeLimit(LimitSource source, const QString &model, std::optional<double> requestsPerSecond,
                      std::optional<double> tokensPerMinute,
                      std::optional<qint64> rememberedAgoMs = std::nullopt);

} // namespace gp
