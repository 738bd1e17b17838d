// Retry hints, x-should-retry, durations and header lookup (declared in ratelimitheaders.h).
#include "core/wire/httpdate.h"
#include "core/wire/ratelimitheaders.h"
#include "core/wire/wirenumber.h"

#include <algorithm>
#include <array>

namespace gp {

namespace {

constexpr qint64 NsPerMs = 1'000'000;

bool isNumberChar(char c)
{
    return (c >= '0' && c <= '9') || c == '.';
}

struct DurationUnit
{
    const char *name;
    qint64 scale; // the number is parsed in units of 1/scale (10^9: nanoseconds of seconds)
    qint64 multiplier; // then multiplied to nanoseconds
};

// Go's time.Duration units, as OpenAI-style reset headers use them.
constexpr std::array<DurationUnit, 8> DurationUnits { {
    { "h", 1'000'000'000, 3600 },
    { "m", 1'000'000'000, 60 },
    { "s", 1'000'000'000, 1 },
    { "ms", 1'000'000, 1 },
    { "us", 1'000, 1 },
    { "\xC2\xB5s", 1'000, 1 }, // micro sign
    { "\xCE\xBCs", 1'000, 1 }, // Greek mu
    { "ns", 1, 1 },
} };

// One "<number><unit>" component in nanoseconds.
std::optional<qint64> componentNs(QByteArrayView number, QByteArrayView unit)
{
    for (const DurationUnit &u : DurationUnits) {
        if (unit != QByteArrayView(u.name))
            continue;
        const std::optional<qint64> scaled = parseUnsignedDecimalScaled(number, u.scale);
        return scaled ? checkedMul(*scaled, u.multiplier) : std::nullopt;
    }
    return std::nullopt;
}

std::optional<qint64> retryAfterMs(QByteArrayView value, qint64 nowEpochMs)
{
    value = trimmedView(value);
    if (value.isEmpty())
        return std::nullopt;
    if (isNumberChar(value.front()))
        return parseUnsignedDecimalScaled(value, 1000);
    const std::optional<qint64> date = parseHttpDateMs(value);
    if (!date)
        return std::nullopt;
    const std::optional<qint64> delay = checkedSub(*date, nowEpochMs);
    if (!delay)
        return std::nullopt;
    return qMax<qint64>(0, *delay); // a date in the past: retry now
}

} // namespace

std::optional<QByteArray> headerValue(const HeaderList &headers, QByteArrayView name)
{
    for (const auto &[key, value] : headers) {
        // Lengths first: most names differ in length, and the case-blind compare is dearer.
        if (key.size() == name.size() && QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
            return trimmedView(value).toByteArray();
    }
    return std::nullopt;
}

std::optional<qint64> parseDurationMs(QByteArrayView text)
{
    text = trimmedView(text);
    if (text.isEmpty() || text.size() > 64)
        return std::nullopt;
    if (std::all_of(text.begin(), text.end(), isNumberChar))
        return parseUnsignedDecimalScaled(text, 1000); // a bare number of seconds
    qint64 totalNs = 0;
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype numberStart = i;
        while (i < text.size() && isNumberChar(text[i]))
            ++i;
        const qsizetype unitStart = i;
        while (i < text.size() && !isNumberChar(text[i]))
            ++i;
        const QByteArrayView number = text.sliced(numberStart, unitStart - numberStart);
        if (number.isEmpty())
            return std::nullopt;
        const std::optional<qint64> ns = componentNs(number, text.sliced(unitStart, i - unitStart));
        const std::optional<qint64> sum = ns ? checkedAdd(totalNs, *ns) : std::nullopt;
        if (!sum)
            return std::nullopt;
        totalNs = *sum;
    }
    return totalNs / NsPerMs + (totalNs % NsPerMs != 0 ? 1 : 0); // round up: never wait too little
}

RetryHint parseRetryHint(const HeaderList &headers, qint64 nowEpochMs, qint64 maxHintMs)
{
    // An unusable retry-after-ms falls through to Retry-After, which may still help.
    if (const std::optional<QByteArray> value = headerValue(headers, "retry-after-ms")) {
        const std::optional<qint64> ms = parseUnsignedDecimalScaled(*value, 1);
        if (ms && *ms <= maxHintMs)
            return RetryHint { *ms, RetryHintSource::RetryAfterMs };
    }
    if (const std::optional<QByteArray> value = headerValue(headers, "retry-after")) {
        const std::optional<qint64> ms = retryAfterMs(*value, nowEpochMs);
        if (ms && *ms <= maxHintMs)
            return RetryHint { *ms, RetryHintSource::RetryAfter };
    }
    return {};
}

std::optional<bool> parseShouldRetry(const HeaderList &headers)
{
    const std::optional<QByteArray> value = headerValue(headers, "x-should-retry");
    if (!value)
        return std::nullopt;
    if (value->compare("true", Qt::CaseInsensitive) == 0)
        return true;
    if (value->compare("false", Qt::CaseInsensitive) == 0)
        return false;
    return std::nullopt;
}

} // namespace gp
