#pragma once

#include <QString>
#include <QtGlobal>

#include <optional>

namespace gp {

// Which family of rate-limit headers a snapshot was read from.
enum class QuotaHeaderStyle { None, OpenAI, IetfStructured, IetfLegacy, XRateLimit, Anthropic };

QString quotaHeaderStyleName(QuotaHeaderStyle style);

// One quota dimension (requests or tokens) as the server reported it.
// Times are relative to the moment the response was received.
struct QuotaWindow
{
    std::optional<qint64> limit;
    std::optional<qint64> remaining;
    std::optional<qint64> resetInMs; // until the window resets (or fully refills)
    std::optional<qint64> windowMs;  // policy window length, when the server names it

    bool isKnown() const { return remaining.has_value() || limit.has_value(); }
    bool operator==(const QuotaWindow &) const = default;
};

// Everything one response said about the quota.
struct QuotaSnapshot
{
    QuotaWindow requests;
    QuotaWindow tokens;
    QuotaHeaderStyle style = QuotaHeaderStyle::None;

    bool isEmpty() const { return !requests.isKnown() && !tokens.isKnown(); }
    bool operator==(const QuotaSnapshot &) const = default;
};

} // namespace gp
