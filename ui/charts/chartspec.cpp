#include "ui/charts/chartspec.h"

#include "core/telemetry/clienthubs.h"

#include <QObject>

namespace gp {

namespace {
// Distinct on light and dark backgrounds (Okabe-Ito plus two).
const QColor kBucketColors[ErrorBucketCount] = {
    QColor(0xE6, 0x9F, 0x00), QColor(0xCC, 0x79, 0xA7), QColor(0x00, 0x72, 0xB2),
    QColor(0xD5, 0x5E, 0x00), QColor(0x56, 0xB4, 0xE9), QColor(0x00, 0x9E, 0x73),
    QColor(0xB0, 0x30, 0x30), QColor(0x8E, 0x7C, 0xC3), QColor(0x99, 0x99, 0x99),
};
using Kind = ChartLayer::Kind;

// Per class, what failed for good (solid, at the bottom) and, above it, what was retried (light).
QList<ChartLayer> failureLayers()
{
    QList<ChartLayer> layers;
    for (int b = 0; b < ErrorBucketCount; ++b) {
        ChartLayer final { errorField(ErrorBucket(b)),
                           QObject::tr("final: %1").arg(ChartSpec::bucketLabel(ErrorBucket(b))),
                           kBucketColors[b], Kind::Stacked };
        final.minusField = retryField(ErrorBucket(b));
        layers.append(final);
    }
    for (int b = 0; b < ErrorBucketCount; ++b) {
        ChartLayer retried { retryField(ErrorBucket(b)),
                             QObject::tr("retried: %1").arg(ChartSpec::bucketLabel(ErrorBucket(b))),
                             kBucketColors[b], Kind::Stacked };
        retried.fillAlpha = 100;
        layers.append(retried);
    }
    return layers;
}
} // namespace

QString ChartSpec::bucketLabel(ErrorBucket bucket)
{
    switch (bucket) {
    case ErrorBucket::RateLimit429: return QObject::tr("429 rate limit");
    case ErrorBucket::Capacity429: return QObject::tr("429/529 capacity");
    case ErrorBucket::Client4xx: return QObject::tr("4xx");
    case ErrorBucket::Server5xx: return QObject::tr("5xx");
    case ErrorBucket::Network: return QObject::tr("network");
    case ErrorBucket::Timeout: return QObject::tr("timeout");
    case ErrorBucket::Breaker: return QObject::tr("breaker");
    case ErrorBucket::Budget: return QObject::tr("retry budget");
    case ErrorBucket::Other: return QObject::tr("other");
    }
    return QObject::tr("other");
}

ChartSpec ChartSpec::quota()
{
    ChartSpec s;
    s.id = QStringLiteral("quota");
    s.emptyNote = QObject::tr("no quota headers seen yet");
    s.title = QObject::tr("Quota left, % of limit");
    s.leftTitle = QObject::tr("% of limit");
    s.percentOfLimit = true;
    s.markerName = QObject::tr("quota reset");
    s.markerColor = QColor(0x88, 0x88, 0x88); // resets are routine (every second on per-second limits)
    s.markerTicks = true;
    s.layers = {
        { MetricField::RequestsRemaining, QObject::tr("requests left"), QColor(0x00, 0x72, 0xB2),
          Kind::PercentArea, false, MetricField::RequestLimit },
        { MetricField::TokensRemaining, QObject::tr("tokens left"), QColor(0xE6, 0x9F, 0x00),
          Kind::PercentArea, false, MetricField::TokenLimit },
        { MetricField::RequestLimit, QObject::tr("limit"), QColor(0x00, 0x72, 0xB2), Kind::Limit, false },
    };
    return s;
}

ChartSpec ChartSpec::failures()
{
    ChartSpec s;
    s.id = QStringLiteral("failures");
    s.emptyNote = QObject::tr("no failures");
    s.title = QObject::tr("Failed attempts: final and retried, per %1");
    s.leftTitle = QObject::tr("attempts");
    s.markerName = QObject::tr("alert");
    s.markerColor = QColor(0xC0, 0x10, 0x10);
    s.breakerShading = true;
    s.layers = failureLayers();
    return s;
}

ChartSpec ChartSpec::latency()
{
    ChartSpec s;
    s.id = QStringLiteral("latency");
    s.emptyNote = QObject::tr("no answers yet");
    s.title = QObject::tr("Latency (submit to answer), per %1");
    s.leftTitle = QObject::tr("ms");
    // Okabe-Ito vermillion, blue, bluish green: apart for every common colour blindness, and
    // p99 dashed besides. Later series draw on top: p50 last, or the spikes hide the median.
    s.layers = {
        { MetricField::LatencyP99, QObject::tr("p99"), QColor(0xD5, 0x5E, 0x00), Kind::Percentile, false,
          MetricField::Count, 0.99, Qt::DashLine, 1.5 },
        { MetricField::LatencyP95, QObject::tr("p95"), QColor(0x00, 0x72, 0xB2), Kind::Percentile, false,
          MetricField::Count, 0.95, Qt::SolidLine, 2.0 },
        { MetricField::LatencyP50, QObject::tr("p50"), QColor(0x00, 0x9E, 0x73), Kind::Percentile, false,
          MetricField::Count, 0.50, Qt::SolidLine, 2.5 },
    };
    return s;
}

ChartSpec ChartSpec::tokens()
{
    ChartSpec s;
    s.id = QStringLiteral("tokens");
    s.emptyNote = QObject::tr("no usage yet");
    s.title = QObject::tr("Token usage and cost, per %1");
    s.leftTitle = QObject::tr("tokens");
    s.rightTitle = QObject::tr("USD");
    s.rightDecimals = 4;
    s.layers = {
        { MetricField::PromptTokens, QObject::tr("prompt"), QColor(0x56, 0xB4, 0xE9), Kind::Stacked, false },
        { MetricField::CompletionTokens, QObject::tr("completion"), QColor(0x00, 0x9E, 0x73), Kind::Stacked,
          false },
        { MetricField::ReasoningTokens, QObject::tr("reasoning"), QColor(0x8E, 0x7C, 0xC3), Kind::Stacked,
          false },
        { MetricField::CostUsd, QObject::tr("cost"), QColor(0xD0, 0x40, 0x40), Kind::RateLine, true },
    };
    return s;
}

ChartSpec ChartSpec::throughput()
{
    ChartSpec s;
    s.id = QStringLiteral("throughput");
    s.emptyNote = QObject::tr("nothing finished yet");
    s.title = QObject::tr("Requests finished and success rate, per %1");
    s.leftTitle = QObject::tr("requests");
    s.rightTitle = QObject::tr("% answered");
    s.rightPercent = true;
    s.layers = {
        { MetricField::Successes, QObject::tr("answered"), QColor(0x00, 0x9E, 0x73), Kind::Stacked },
        { MetricField::Failures, QObject::tr("not answered"), QColor(0xD5, 0x5E, 0x00), Kind::Stacked },
        { MetricField::Successes, QObject::tr("success rate"), QColor(0x00, 0x72, 0xB2), Kind::ShareLine,
          true, MetricField::Failures, 0.0, Qt::SolidLine, 2.0 },
    };
    return s;
}

namespace {
// One stacked layer of `field` per ClientHubs slot, each named after its client when seen.
QList<ChartLayer> perClientLayers(MetricField field)
{
    QList<ChartLayer> layers;
    for (int slot = 0; slot < ClientHubs::kSlotCount; ++slot) {
        const QColor color = slot == ClientHubs::kOtherSlot ? QColor(0x70, 0x70, 0x70)
                                                            : kBucketColors[slot % ErrorBucketCount];
        ChartLayer layer { field, QString(), color, Kind::Stacked };
        layer.clientSlot = slot;
        layers.append(layer);
    }
    return layers;
}
} // namespace

ChartSpec ChartSpec::clients()
{
    ChartSpec s;
    s.id = QStringLiteral("clients");
    s.emptyNote = QObject::tr("no requests yet");
    s.title = QObject::tr("Requests per client (submitted), per %1");
    s.leftTitle = QObject::tr("requests");
    s.layers = perClientLayers(MetricField::Submitted);
    return s;
}

ChartSpec ChartSpec::clientTokens()
{
    ChartSpec s;
    s.id = QStringLiteral("client_tokens");
    s.emptyNote = QObject::tr("no usage yet");
    s.title = QObject::tr("Billed tokens per client, per %1");
    s.leftTitle = QObject::tr("tokens");
    s.layers = perClientLayers(MetricField::BilledTokens);
    return s;
}

QList<ChartSpec> ChartSpec::all()
{
    return { quota(), failures(), latency(), throughput(), tokens() };
}

} // namespace gp
