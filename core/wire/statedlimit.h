#pragma once

#include <QList>
#include <QStringView>
#include <QtGlobal>

namespace gp {

// One limit a server wrote into a 429 body, e.g. xAI's "Tokens per Minute (actual/limit):
// 65605/16000" or OpenAI's "on tokens per min (TPM): Limit 10000, Used 9990, Requested 200".
struct StatedLimit
{
    enum class Unit { Requests, Tokens };

    Unit unit = Unit::Requests;
    qint64 windowMs = 0; // 1000, 60000, 3600000 or 86400000
    qint64 limit = 0; // always > 0
    qint64 actual = -1; // the window's count with this request included; -1 when not stated
    qint64 requested = -1; // this request's own count when the server states it; -1 when not

    double perSecond() const { return double(limit) * 1000.0 / double(windowMs); }
    bool operator==(const StatedLimit &) const = default;
};

// Every limit stated in `message`, in order of appearance: xAI's "<Unit> per <Second|Minute|
// Hour|Day> (actual/limit): A/L" (any case, with or without the dash before it) and the
// OpenAI-compatible "on <unit> per <min|day|...> (TPM): Limit L, Used U, Requested R".
// A pair whose numbers overflow, or whose limit is 0, is dropped. Never fails.
QList<StatedLimit> parseStatedLimits(QStringView message);

// The stated limit of `unit` with the shortest window (the one that binds first), or nullptr.
const StatedLimit *tightestStatedLimit(const QList<StatedLimit> &limits, StatedLimit::Unit unit);

} // namespace gp
