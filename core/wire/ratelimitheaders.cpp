// parseQuotaHeaders: every rate-limit header family into one QuotaSnapshot.
#include "core/wire/ratelimitheaders.h"

#include "core/wire/httpdate.h"
#include "core/wire/structuredfield.h"
#include "core/wire/wirenumber.h"

#include <array>

namespace gp {

namespace {

// Resets further ahead than a month are not pacing data (and likely a misread value).
constexpr qint64 MaxResetMs = 31LL * 24 * 3600 * 1000;
// A reset number above 10^9 is a Unix time (in ms above 10^12), not a delay in seconds.
constexpr qint64 EpochSecondsThreshold = 1'000'000'000;
constexpr qint64 EpochMillisThreshold = 1'000'000'000'000;

// The names each style reads: constants, so a lookup builds nothing.
struct WindowNames
{
    const char *limit;
    const char *remaining;
    const char *reset;
};
constexpr WindowNames OpenAiRequests { "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests",
                                       "x-ratelimit-reset-requests" };
constexpr WindowNames OpenAiTokens { "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens",
                                     "x-ratelimit-reset-tokens" };
constexpr WindowNames IetfLegacy { "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset" };
constexpr WindowNames XRateLimit { "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset" };
constexpr WindowNames AnthropicRequests { "anthropic-ratelimit-requests-limit",
                                          "anthropic-ratelimit-requests-remaining",
                                          "anthropic-ratelimit-requests-reset" };
constexpr WindowNames AnthropicTokens { "anthropic-ratelimit-tokens-limit",
                                        "anthropic-ratelimit-tokens-remaining",
                                        "anthropic-ratelimit-tokens-reset" };

bool startsWithNoCase(QByteArrayView name, QByteArrayView prefix)
{
    return name.size() >= prefix.size()
        && name.first(prefix.size()).compare(prefix, Qt::CaseInsensitive) == 0;
}

// The headers each family reads, sorted out in one pass: most answers carry none of them.
struct QuotaHeaders
{
    HeaderList xRateLimit; // x-ratelimit-*: OpenAI style and X-RateLimit-*
    HeaderList ietf; // ratelimit*: structured fields and the legacy trio
    HeaderList anthropic; // anthropic-ratelimit-*
};

QuotaHeaders quotaHeaders(const HeaderList &headers)
{
    QuotaHeaders q;
    for (const auto &header : headers) {
        const QByteArrayView name(header.first);
        if (startsWithNoCase(name, "x-ratelimit-"))
            q.xRateLimit.append(header);
        else if (startsWithNoCase(name, "ratelimit"))
            q.ietf.append(header);
        else if (startsWithNoCase(name, "anthropic-ratelimit-"))
            q.anthropic.append(header);
    }
    return q;
}

std::optional<qint64> bounded(std::optional<qint64> resetMs)
{
    if (!resetMs || *resetMs < 0 || *resetMs > MaxResetMs)
        return std::nullopt;
    return resetMs;
}

std::optional<qint64> untilEpochMs(qint64 epochMs, qint64 nowEpochMs)
{
    const std::optional<qint64> delta = checkedSub(epochMs, nowEpochMs);
    return delta ? bounded(qMax<qint64>(0, *delta)) : std::nullopt; // past: reset already
}

// All values of a header joined with ", " (a list field may be sent repeatedly).
std::optional<QByteArray> joinedValues(const HeaderList &headers, QByteArrayView name)
{
    std::optional<QByteArray> joined;
    for (const auto &[key, value] : headers) {
        if (key.size() != name.size() || QByteArrayView(key).compare(name, Qt::CaseInsensitive) != 0)
            continue;
        joined = joined ? *joined + ", " + value : value;
    }
    return joined;
}

std::optional<qint64> integerHeader(const HeaderList &headers, QByteArrayView name)
{
    const std::optional<QByteArray> value = headerValue(headers, name);
    return value ? parseUnsignedInteger(*value) : std::nullopt;
}

// A reset in seconds from now, or a Unix time in seconds or milliseconds when large.
std::optional<qint64> secondsOrEpochReset(const HeaderList &headers, QByteArrayView name, qint64 nowEpochMs)
{
    const std::optional<QByteArray> value = headerValue(headers, name);
    const std::optional<qint64> ms = value ? parseUnsignedDecimalScaled(*value, 1000) : std::nullopt;
    if (!ms)
        return std::nullopt;
    if (*ms > EpochMillisThreshold * 1000)
        return untilEpochMs(*ms / 1000, nowEpochMs);
    if (*ms > EpochSecondsThreshold * 1000)
        return untilEpochMs(*ms, nowEpochMs);
    return bounded(*ms);
}

std::optional<qint64> secondsToMs(const SfBareItem *item)
{
    const std::optional<qint64> seconds = item ? item->asInteger() : std::nullopt;
    if (!seconds || *seconds < 0)
        return std::nullopt;
    return checkedMul(*seconds, 1000);
}

// "100" or a draft quota policy list "100, 100;w=60": the limit and its window.
void readLimit(const HeaderList &headers, QByteArrayView name, QuotaWindow *window)
{
    const std::optional<QByteArray> value = headerValue(headers, name);
    if (!value)
        return;
    if ((window->limit = parseUnsignedInteger(*value)))
        return;
    const std::optional<QList<SfItem>> items = parseStructuredList(*value);
    if (!items || items->isEmpty() || !items->constFirst().value.asInteger()
        || items->constFirst().value.integer < 0)
        return;
    window->limit = items->constFirst().value.integer;
    for (const SfItem &item : *items) {
        if (item.value.asInteger() == window->limit && item.parameter("w")) {
            window->windowMs = secondsToMs(item.parameter("w"));
            break;
        }
    }
}

QuotaSnapshot openAiStyle(const HeaderList &headers)
{
    QuotaSnapshot s;
    for (const auto &[window, names] :
         { std::pair { &s.requests, OpenAiRequests }, std::pair { &s.tokens, OpenAiTokens } }) {
        window->limit = integerHeader(headers, names.limit);
        window->remaining = integerHeader(headers, names.remaining);
        const std::optional<QByteArray> reset = headerValue(headers, names.reset);
        window->resetInMs = reset ? bounded(parseDurationMs(*reset)) : std::nullopt;
    }
    return s;
}

// IETF legacy "RateLimit-*" and the common "X-RateLimit-*": one (request) window.
QuotaSnapshot limitRemainingReset(const HeaderList &headers, const WindowNames &names, qint64 nowEpochMs)
{
    QuotaSnapshot s;
    readLimit(headers, names.limit, &s.requests);
    s.requests.remaining = integerHeader(headers, names.remaining);
    s.requests.resetInMs = secondsOrEpochReset(headers, names.reset, nowEpochMs);
    return s;
}

QuotaSnapshot anthropicStyle(const HeaderList &headers, qint64 nowEpochMs)
{
    QuotaSnapshot s;
    for (const auto &[window, names] :
         { std::pair { &s.requests, AnthropicRequests }, std::pair { &s.tokens, AnthropicTokens } }) {
        window->limit = integerHeader(headers, names.limit);
        window->remaining = integerHeader(headers, names.remaining);
        const std::optional<QByteArray> reset = headerValue(headers, names.reset);
        const std::optional<qint64> at = reset ? parseRfc3339Ms(*reset) : std::nullopt;
        window->resetInMs = at ? untilEpochMs(*at, nowEpochMs) : std::nullopt;
    }
    return s;
}

// One named policy of the IETF structured fields, joined from both headers.
struct NamedPolicy
{
    QByteArray name;
    bool tokens = false;
    QuotaWindow window;
};

bool isTokenUnit(const SfItem &item)
{
    const SfBareItem *unit = item.parameter("qu");
    return item.value.text.toLower().contains("token")
        || (unit && unit->isText() && unit->text.toLower().contains("token"));
}

NamedPolicy &policyNamed(QList<NamedPolicy> &policies, const SfItem &item)
{
    for (NamedPolicy &policy : policies) {
        if (policy.name == item.value.text) {
            policy.tokens = policy.tokens || isTokenUnit(item);
            return policy;
        }
    }
    policies.append(NamedPolicy { item.value.text, isTokenUnit(item), {} });
    return policies.last();
}

// Several policies for one dimension: the one with the least remaining binds now.
QuotaWindow bindingWindow(const QList<NamedPolicy> &policies, bool tokens)
{
    const NamedPolicy *best = nullptr;
    for (const NamedPolicy &policy : policies) {
        if (policy.tokens != tokens)
            continue;
        if (!best
            || (policy.window.remaining
                && (!best->window.remaining || *policy.window.remaining < *best->window.remaining)))
            best = &policy;
    }
    return best ? best->window : QuotaWindow {};
}

// Each named policy item of a structured-list header, with the policy it speaks of.
template<typename Apply>
void forEachPolicyItem(const HeaderList &headers, const char *name, QList<NamedPolicy> &policies, Apply apply)
{
    const std::optional<QByteArray> field = joinedValues(headers, name);
    const std::optional<QList<SfItem>> items = field ? parseStructuredList(*field) : std::nullopt;
    for (const SfItem &item : items.value_or(QList<SfItem> {})) {
        if (item.value.isText())
            apply(policyNamed(policies, item), item);
    }
}

std::optional<qint64> nonNegativeParameter(const SfItem &item, QByteArrayView key)
{
    const std::optional<qint64> value = item.parameter(key) ? item.parameter(key)->asInteger() : std::nullopt;
    return value && *value >= 0 ? value : std::nullopt;
}

QuotaSnapshot ietfStructuredStyle(const HeaderList &headers)
{
    QList<NamedPolicy> policies;
    forEachPolicyItem(headers, "ratelimit-policy", policies, [](NamedPolicy &policy, const SfItem &item) {
        if (const auto quota = nonNegativeParameter(item, "q"))
            policy.window.limit = quota;
        policy.window.windowMs = secondsToMs(item.parameter("w"));
    });
    forEachPolicyItem(headers, "ratelimit", policies, [](NamedPolicy &policy, const SfItem &item) {
        if (const auto remaining = nonNegativeParameter(item, "r"))
            policy.window.remaining = remaining;
        policy.window.resetInMs = bounded(secondsToMs(item.parameter("t")));
    });
    QuotaSnapshot s;
    s.requests = bindingWindow(policies, false);
    s.tokens = bindingWindow(policies, true);
    return s;
}

void fill(std::optional<qint64> &field, const std::optional<qint64> &candidate, bool *used)
{
    if (!field && candidate) {
        field = candidate;
        *used = true;
    }
}

void fillWindow(QuotaWindow &window, const QuotaWindow &candidate, bool *used)
{
    fill(window.limit, candidate.limit, used);
    fill(window.remaining, candidate.remaining, used);
    fill(window.resetInMs, candidate.resetInMs, used);
    fill(window.windowMs, candidate.windowMs, used);
}

} // namespace

QuotaSnapshot parseQuotaHeaders(const HeaderList &headers, qint64 nowEpochMs)
{
    const QuotaHeaders q = quotaHeaders(headers);
    QuotaSnapshot result;
    if (q.xRateLimit.isEmpty() && q.ietf.isEmpty() && q.anthropic.isEmpty())
        return result;
    // A family without a header of its own supplies nothing: skip its lookups.
    const auto x = [&](auto read) { return q.xRateLimit.isEmpty() ? QuotaSnapshot {} : read(q.xRateLimit); };
    const auto ietf = [&](auto read) { return q.ietf.isEmpty() ? QuotaSnapshot {} : read(q.ietf); };
    const std::array<std::pair<QuotaHeaderStyle, QuotaSnapshot>, 5> candidates { {
        { QuotaHeaderStyle::OpenAI, x([](const HeaderList &h) { return openAiStyle(h); }) },
        { QuotaHeaderStyle::IetfStructured,
          ietf([](const HeaderList &h) { return ietfStructuredStyle(h); }) },
        { QuotaHeaderStyle::IetfLegacy,
          ietf([&](const HeaderList &h) { return limitRemainingReset(h, IetfLegacy, nowEpochMs); }) },
        { QuotaHeaderStyle::XRateLimit,
          x([&](const HeaderList &h) { return limitRemainingReset(h, XRateLimit, nowEpochMs); }) },
        { QuotaHeaderStyle::Anthropic,
          q.anthropic.isEmpty() ? QuotaSnapshot {} : anthropicStyle(q.anthropic, nowEpochMs) },
    } };
    for (const auto &[style, snapshot] : candidates) { // strongest style first, per field
        bool used = false;
        fillWindow(result.requests, snapshot.requests, &used);
        fillWindow(result.tokens, snapshot.tokens, &used);
        if (used && result.style == QuotaHeaderStyle::None)
            result.style = style;
    }
    return result;
}

} // namespace gp
