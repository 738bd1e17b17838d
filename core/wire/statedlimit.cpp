#include "core/wire/statedlimit.h"

#include "core/wire/wirenumber.h"

#include <QRegularExpression>

#include <algorithm>

#include <optional>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

// Generous but finite: a quota above this is not a quota anyone paces by.
constexpr qint64 MaxStatedNumber = qint64(1) << 50;

std::optional<qint64> statedNumber(QStringView text)
{
    QString digits = text.toString();
    digits.remove(u',');
    const auto value = parseUnsignedInteger(digits.toLatin1());
    if (!value || *value > MaxStatedNumber)
        return std::nullopt;
    return value;
}

std::optional<StatedLimit::Unit> unitOf(QStringView word)
{
    if (word.startsWith(u"request", Qt::CaseInsensitive) || word.startsWith(u"quer", Qt::CaseInsensitive))
        return StatedLimit::Unit::Requests;
    if (word.startsWith(u"token", Qt::CaseInsensitive))
        return StatedLimit::Unit::Tokens;
    return std::nullopt;
}

qint64 windowOf(QStringView word)
{
    if (word.startsWith(u"s", Qt::CaseInsensitive))
        return 1000;
    if (word.startsWith(u"m", Qt::CaseInsensitive))
        return 60000;
    if (word.startsWith(u"h", Qt::CaseInsensitive))
        return 3600000;
    if (word.startsWith(u"d", Qt::CaseInsensitive))
        return 86400000;
    return 0;
}

const QString &numberPattern()
{
    static const QString pattern = u"(\\d{1,3}(?:,\\d{3})+|\\d+)"_s;
    return pattern;
}

} // namespace

QList<StatedLimit> parseStatedLimits(QStringView message)
{
    // "Requests per Second (actual/limit): 6/10"
    static const QRegularExpression xai(
        u"\\b(requests|request|queries|tokens)\\s+per\\s+(second|sec|minute|min|hour|day)\\s*"
        "\\(\\s*actual\\s*/\\s*limit\\s*\\)\\s*:?\\s*"_s
            + numberPattern() + u"\\s*/\\s*"_s + numberPattern(),
        QRegularExpression::CaseInsensitiveOption);
    // "on tokens per min (TPM): Limit 10000, Used 9990, Requested 200."
    static const QRegularExpression openai(u"\\b(requests|tokens)\\s+per\\s+(second|sec|minute|min|hour|day)"
                                           u"\\s*(?:\\(\\s*[a-z]{2,4}\\s*\\))?\\s*:\\s*"
                                           "limit\\s+"_s
                                               + numberPattern() + u"\\s*,\\s*used\\s+"_s + numberPattern()
                                               + u"\\s*,\\s*requested\\s+~?\\s*"_s + numberPattern(),
                                           QRegularExpression::CaseInsensitiveOption);

    QList<std::pair<qsizetype, StatedLimit>> found;
    auto add = [&found](const QRegularExpressionMatch &m, StatedLimit limit) {
        const auto unit = unitOf(m.capturedView(1));
        limit.windowMs = windowOf(m.capturedView(2));
        if (!unit || limit.windowMs == 0 || limit.limit <= 0)
            return;
        limit.unit = *unit;
        found.append({ m.capturedStart(0), limit });
    };
    for (auto it = xai.globalMatch(message); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        const auto actual = statedNumber(m.capturedView(3));
        const auto limit = statedNumber(m.capturedView(4));
        if (actual && limit)
            add(m, StatedLimit { StatedLimit::Unit::Requests, 0, *limit, *actual, -1 });
    }
    for (auto it = openai.globalMatch(message); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        const auto limit = statedNumber(m.capturedView(3));
        const auto used = statedNumber(m.capturedView(4));
        const auto requested = statedNumber(m.capturedView(5));
        if (limit && used && requested)
            add(m, StatedLimit { StatedLimit::Unit::Requests, 0, *limit, *used + *requested, *requested });
    }
    std::sort(found.begin(), found.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    QList<StatedLimit> limits;
    limits.reserve(found.size());
    for (const auto &[at, limit] : std::as_const(found))
        limits.append(limit);
    return limits;
}

const StatedLimit *tightestStatedLimit(const QList<StatedLimit> &limits, StatedLimit::Unit unit)
{
    const StatedLimit *best = nullptr;
    for (const StatedLimit &limit : limits) {
        if (limit.unit == unit && (!best || limit.windowMs < best->windowMs))
            best = &limit;
    }
    return best;
}

} // namespace gp
