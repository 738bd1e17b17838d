// Header parsers: quota headers, retry hints, durations, dates and structured fields.
#include "tests/fuzz/fuzzentries.h"

#include "core/wire/httpdate.h"
#include "core/wire/ratelimitheaders.h"
#include "core/wire/structuredfield.h"

#include <limits>

namespace gp::fuzz {

namespace {

constexpr qint64 DefaultNowMs = 1'700'000'000'000; // 2023-11-14
constexpr qint64 DefaultMaxHintMs = 24LL * 3600 * 1000;
constexpr qint64 MaxResetMs = 31LL * 24 * 3600 * 1000;
constexpr qint64 Year10000Ms = 253'402'300'800'000; // 10000-01-01T00:00:00Z
constexpr qint64 MaxZoneOffsetMs = (23 * 60 + 59) * 60'000LL;
constexpr qsizetype MaxHeaders = 64;

// A signed decimal, saturating at the qint64 bounds so the parsers meet extreme clocks.
qint64 saturatingNumber(QByteArrayView text, qint64 fallback)
{
    const bool negative = text.startsWith('-');
    if (negative)
        text = text.sliced(1);
    if (text.isEmpty())
        return fallback;
    qint64 value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return fallback;
        if (__builtin_mul_overflow(value, 10, &value) || __builtin_add_overflow(value, c - '0', &value))
            return negative ? std::numeric_limits<qint64>::min() : std::numeric_limits<qint64>::max();
    }
    return negative ? -value : value;
}

struct HeaderInput
{
    HeaderList headers;
    qint64 nowMs = DefaultNowMs;
    qint64 maxHintMs = DefaultMaxHintMs;
};

// One header per line, "name:value" (the value keeps its spaces, so the parsers trim).
// An optional first line "@<now ms> <max hint ms>" sets the clock and the hint ceiling.
HeaderInput decodeHeaders(QByteArrayView data)
{
    HeaderInput input;
    qsizetype at = 0;
    while (at < data.size() && input.headers.size() < MaxHeaders) {
        qsizetype end = data.indexOf('\n', at);
        if (end < 0)
            end = data.size();
        QByteArrayView line = data.sliced(at, end - at);
        if (line.endsWith('\r'))
            line.chop(1);
        if (at == 0 && line.startsWith('@')) {
            const qsizetype space = line.indexOf(' ');
            input.nowMs
                = saturatingNumber(line.sliced(1, (space < 0 ? line.size() : space) - 1), DefaultNowMs);
            if (space >= 0)
                input.maxHintMs = saturatingNumber(line.sliced(space + 1), DefaultMaxHintMs);
        } else {
            const qsizetype colon = line.indexOf(':');
            input.headers.append({ (colon < 0 ? line : line.first(colon)).toByteArray(),
                                   colon < 0 ? QByteArray() : line.sliced(colon + 1).toByteArray() });
        }
        at = end + 1;
    }
    return input;
}

void checkWindow(const QuotaWindow &window)
{
    GP_FUZZ_CHECK(!window.limit || *window.limit >= 0);
    GP_FUZZ_CHECK(!window.remaining || *window.remaining >= 0);
    GP_FUZZ_CHECK(!window.resetInMs || (*window.resetInMs >= 0 && *window.resetInMs <= MaxResetMs));
    GP_FUZZ_CHECK(!window.windowMs || *window.windowMs >= 0);
}

bool isBlank(const QuotaWindow &window)
{
    return !window.limit && !window.remaining && !window.resetInMs && !window.windowMs;
}

} // namespace

void fuzzQuotaHeaders(QByteArrayView data)
{
    const HeaderInput input = decodeHeaders(data);
    const QuotaSnapshot snapshot = parseQuotaHeaders(input.headers, input.nowMs);
    checkWindow(snapshot.requests);
    checkWindow(snapshot.tokens);
    GP_FUZZ_CHECK((snapshot.style == QuotaHeaderStyle::None)
                  == (isBlank(snapshot.requests) && isBlank(snapshot.tokens)));
    GP_FUZZ_CHECK(parseQuotaHeaders(input.headers, input.nowMs) == snapshot);
    parseShouldRetry(input.headers);
    if (!input.headers.isEmpty()) {
        const std::optional<QByteArray> value = headerValue(input.headers, input.headers.constFirst().first);
        GP_FUZZ_CHECK(value.has_value());
    }
}

void fuzzRetryHint(QByteArrayView data)
{
    const HeaderInput input = decodeHeaders(data);
    const RetryHint hint = parseRetryHint(input.headers, input.nowMs, input.maxHintMs);
    if (hint.isValid())
        GP_FUZZ_CHECK(hint.delayMs >= 0 && hint.delayMs <= input.maxHintMs);
    else
        GP_FUZZ_CHECK(hint.delayMs == 0);
}

// Go durations; surrounding spaces and tabs must not change the answer.
void fuzzDuration(QByteArrayView data)
{
    const std::optional<qint64> ms = parseDurationMs(data);
    GP_FUZZ_CHECK(!ms || *ms >= 0);
    const QByteArray padded = " \t" + data.toByteArray() + "\t ";
    GP_FUZZ_CHECK(parseDurationMs(padded) == ms);
}

void fuzzHttpDate(QByteArrayView data)
{
    if (const std::optional<qint64> ms = parseHttpDateMs(data))
        GP_FUZZ_CHECK(*ms >= 0 && *ms <= Year10000Ms);
    if (const std::optional<qint64> ms = parseRfc3339Ms(data))
        GP_FUZZ_CHECK(*ms >= -MaxZoneOffsetMs && *ms <= Year10000Ms + MaxZoneOffsetMs);
}

// RFC 8941 bounds: 15 integer digits, 12.3 decimals, printable ASCII strings.
void fuzzStructuredList(QByteArrayView data)
{
    const std::optional<QList<SfItem>> items = parseStructuredList(data);
    if (!items)
        return;
    GP_FUZZ_CHECK(items->size() <= 64);
    const auto checkBare = [](const SfBareItem &item) {
        if (item.kind == SfBareItem::Kind::Integer || item.kind == SfBareItem::Kind::Decimal)
            GP_FUZZ_CHECK(item.integer >= -999'999'999'999'999 && item.integer <= 999'999'999'999'999);
        if (item.kind == SfBareItem::Kind::Token)
            GP_FUZZ_CHECK(!item.text.isEmpty());
        for (const char c : item.text)
            GP_FUZZ_CHECK(c >= 0x20 && c <= 0x7e);
    };
    for (const SfItem &item : *items) {
        checkBare(item.value);
        GP_FUZZ_CHECK(item.parameters.size() <= 64);
        for (const auto &[key, value] : item.parameters) {
            GP_FUZZ_CHECK(!key.isEmpty());
            checkBare(value);
        }
    }
}

} // namespace gp::fuzz
