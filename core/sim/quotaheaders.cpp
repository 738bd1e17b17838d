#include "core/sim/quotaheaders.h"

#include <QLocale>

#include <algorithm>

namespace gp::sim {

namespace {

QByteArray num(qint64 value)
{
    return QByteArray::number(value);
}

qint64 ceilSeconds(qint64 ms)
{
    return (ms + 999) / 1000;
}

void openAi(SimHeaders &h, const LimitState &s, const char *dimension)
{
    const QByteArray d(dimension);
    h.append(SimHeader { "x-ratelimit-limit-" + d, num(s.limit) });
    h.append(SimHeader { "x-ratelimit-remaining-" + d, num(s.remaining) });
    h.append(SimHeader { "x-ratelimit-reset-" + d, QuotaHeaders::goDuration(s.resetMs) });
}

} // namespace

QByteArray QuotaHeaders::goDuration(qint64 ms)
{
    if (ms <= 0)
        return QByteArrayLiteral("0s");
    if (ms < 1000)
        return num(ms) + "ms";
    QByteArray out;
    const qint64 hours = ms / 3600000;
    const qint64 minutes = (ms / 60000) % 60;
    const qint64 millis = ms % 60000;
    if (hours > 0)
        out += num(hours) + 'h';
    if (hours > 0 || minutes > 0)
        out += num(minutes) + 'm';
    out += num(millis / 1000);
    if (millis % 1000 != 0) {
        QByteArray frac = QByteArray::number(millis % 1000).rightJustified(3, '0');
        while (frac.endsWith('0'))
            frac.chop(1);
        out += '.' + frac;
    }
    return out + 's';
}

QByteArray QuotaHeaders::httpDate(const QDateTime &utc)
{
    return QLocale::c().toString(utc.toUTC(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'")).toLatin1();
}

SimHeaders QuotaHeaders::quota(HeaderStyle style, const LimitState &requests, const LimitState &tokens)
{
    SimHeaders h;
    switch (style) {
    case HeaderStyle::None: break;
    case HeaderStyle::OpenAI:
        if (requests.limited)
            openAi(h, requests, "requests");
        if (tokens.limited)
            openAi(h, tokens, "tokens");
        break;
    case HeaderStyle::Ietf: {
        QList<QByteArray> policies;
        QList<QByteArray> states;
        if (requests.limited) {
            policies.append("\"default\";q=" + num(requests.limit)
                            + ";w=" + num(ceilSeconds(requests.windowMs)));
            states.append("\"default\";r=" + num(requests.remaining)
                          + ";t=" + num(ceilSeconds(requests.resetMs)));
        }
        if (tokens.limited) {
            policies.append("\"tokens\";q=" + num(tokens.limit) + ";w=" + num(ceilSeconds(tokens.windowMs)));
            states.append("\"tokens\";r=" + num(tokens.remaining) + ";t=" + num(ceilSeconds(tokens.resetMs)));
        }
        if (!policies.isEmpty()) {
            h.append(SimHeader { "RateLimit-Policy", policies.join(", ") });
            h.append(SimHeader { "RateLimit", states.join(", ") });
        }
        break;
    }
    case HeaderStyle::XRateLimit:
    case HeaderStyle::IetfLegacy: {
        // One dimension only, as such servers send: requests when limited, else tokens.
        const LimitState &s = requests.limited ? requests : tokens;
        const QByteArray prefix = style == HeaderStyle::XRateLimit ? "X-RateLimit-" : "RateLimit-";
        if (s.limited) {
            h.append(SimHeader { prefix + "Limit", num(s.limit) });
            h.append(SimHeader { prefix + "Remaining", num(s.remaining) });
            h.append(SimHeader { prefix + "Reset", num(ceilSeconds(s.resetMs)) });
        }
        break;
    }
    }
    return h;
}

SimHeaders QuotaHeaders::retry(const Scenario &scenario, qint64 retryAfterMs, const QDateTime &nowUtc)
{
    SimHeaders h;
    const qint64 seconds = std::max<qint64>(1, ceilSeconds(retryAfterMs));
    if (scenario.retryAfter == RetryAfterStyle::Seconds)
        h.append(SimHeader { "Retry-After", num(seconds) });
    else if (scenario.retryAfter == RetryAfterStyle::HttpDate) {
        // Rounded up to a whole second so the date is never earlier than the real wait.
        const qint64 targetMs = nowUtc.toMSecsSinceEpoch() + std::max<qint64>(1, retryAfterMs);
        h.append(SimHeader { "Retry-After",
                             httpDate(QDateTime::fromSecsSinceEpoch((targetMs + 999) / 1000, Qt::UTC)) });
    }
    if (scenario.retryAfterMs)
        h.append(SimHeader { "retry-after-ms", num(std::max<qint64>(1, retryAfterMs)) });
    return h;
}

} // namespace gp::sim
