#include "ui/statstrip.h"

#include "core/telemetry/clienthubs.h"
#include "core/telemetry/telemetry.h"
#include "ui/charts/chartpanel.h"
#include "ui/consolesession.h"
#include "ui/consolesettings.h"
#include "ui/sparkline.h"
#include "ui/stattile.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>

namespace gp {

using Level = StatTile::Level;

namespace {

Level byFractionLeft(double fraction)
{
    return fraction < 0.10 ? Level::Bad : fraction < 0.25 ? Level::Warning : Level::Ok;
}

Level byRate(std::optional<double> rate, double warn, double bad)
{
    if (!rate)
        return Level::Unknown;
    return *rate > bad ? Level::Bad : *rate > warn ? Level::Warning : Level::Ok;
}

// When the quota window resets next, or that it did and none is announced since.
void showReset(StatTile *reset, const HeadlineStats &s)
{
    const HeadlineStats::ResetWords words = s.resetWords();
    reset->setValue(words.value, QString(), words.detail, words.announced ? Level::Ok : Level::Unknown);
}

// p95 latency against the alert threshold (slow, in ms), with p50 beside it.
void showLatency(StatTile *latency, const HeadlineStats &s, double slow)
{
    if (s.p95Ms)
        latency->setValue(HeadlineStats::seconds(*s.p95Ms), QString(),
                          StatStrip::tr("p50 %1").arg(HeadlineStats::seconds(s.p50Ms.value_or(0.0))),
                          *s.p95Ms > slow           ? Level::Bad
                              : *s.p95Ms > slow / 2 ? Level::Warning
                                                    : Level::Ok);
    else
        latency->setValue(QStringLiteral("—"), QString(), StatStrip::tr("no request finished"),
                          Level::Unknown);
}

} // namespace

StatStrip::StatStrip(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    setAccessibleName(tr("Headline numbers"));
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(4);
    addTile(QStringLiteral("requests"), tr("Requests left"),
            tr("Requests left in the current quota window, of the limit; where it comes from."));
    addTile(QStringLiteral("tokens"), tr("Tokens left"),
            tr("Tokens left in the current quota window, of the limit."));
    addTile(QStringLiteral("reset"), tr("Quota reset"),
            tr("When the server's quota window resets, from its last reply's headers. Done: that reset "
               "has passed, so the quota refilled; the next reply announces the next one."));
    addTile(QStringLiteral("spend"), tr("Spend, session"),
            tr("Cost of this session, and of today (local time)."));
    addTile(QStringLiteral("errors"), tr("Errors 60 s"),
            tr("Failed attempts / attempts over the last 60 seconds."));
    addTile(QStringLiteral("retries"), tr("Retries 60 s"),
            tr("Retries / attempts over the last 60 seconds."));
    addTile(QStringLiteral("latency"), tr("p95 latency 60 s"),
            tr("95th percentile of whole-request time over the last 60 seconds; p50 below."));
    addTile(QStringLiteral("throughput"), tr("Throughput"),
            tr("Successful requests per minute and billed tokens per second, last 60 seconds."));
    addTile(QStringLiteral("inflight"), tr("In flight"),
            tr("Attempts on the wire now, of the concurrency cap; requests waiting in the queue."));
    m_timer.setInterval(500);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (isVisible())
            refresh();
    });
    m_timer.start();
}

QStringList StatStrip::tileIds()
{
    return { QStringLiteral("requests"), QStringLiteral("tokens"),     QStringLiteral("reset"),
             QStringLiteral("spend"),    QStringLiteral("errors"),     QStringLiteral("retries"),
             QStringLiteral("latency"),  QStringLiteral("throughput"), QStringLiteral("inflight") };
}

StatTile *StatStrip::addTile(const QString &id, const QString &title, const QString &help)
{
    auto *tile = new StatTile(id, title, help, this);
    layout()->addWidget(tile);
    m_tiles.append(tile);
    return tile;
}

StatTile *StatStrip::tile(const QString &id) const
{
    for (StatTile *t : m_tiles) {
        if (t->id() == id)
            return t;
    }
    return nullptr;
}

void StatStrip::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
}

void StatStrip::refresh()
{
    refreshAt(QDateTime::currentMSecsSinceEpoch());
}

namespace {
// The tiles whose numbers are counted per request, so can be one client's.
bool isCounted(const QString &id)
{
    return id == u"spend" || id == u"errors" || id == u"retries" || id == u"latency" || id == u"throughput";
}
// Their titles when they show one client's: short enough to leave room for the name.
QString scopedTitle(const QString &id)
{
    if (id == u"spend")
        return StatStrip::tr("Spend");
    if (id == u"latency")
        return StatStrip::tr("p95 60 s");
    return {};
}
} // namespace

void StatStrip::setClientSlot(int slot, const QString &label)
{
    m_clientSlot = slot;
    for (StatTile *t : std::as_const(m_tiles))
        if (isCounted(t->id()))
            t->setScope(slot >= 0 ? label : QString(), scopedTitle(t->id()));
    refresh();
}

void StatStrip::followClientPicker(ChartPanel *charts)
{
    connect(charts, &ChartPanel::clientChanged, this,
            [this, charts](int slot) { setClientSlot(slot, charts->clientPicker()->currentText()); });
}

const MetricsHub *StatStrip::clientHub() const
{
    const ClientHubs *hubs = m_session->telemetry()->clientHubs();
    return hubs && m_clientSlot >= 0 ? hubs->hub(m_clientSlot) : nullptr;
}

void StatStrip::spark(StatTile *tile, int field, qint64 nowMs, double ceiling, bool cumulative)
{
    const Telemetry *telemetry = m_session->telemetry();
    m_scratch.clear();
    const MetricsHub *counted = isCounted(tile->id()) ? clientHub() : nullptr;
    (counted ? *counted : telemetry->hub())
        .recent(HeadlineStats::kWindowMs, nowMs, MetricField(field), m_scratch);
    if (cumulative) {
        double sum = 0.0;
        for (QPointF &p : m_scratch)
            p.setY(sum += p.y());
    }
    tile->sparkline()->setCeiling(ceiling);
    tile->sparkline()->setPoints(m_scratch, nowMs - HeadlineStats::kWindowMs, nowMs, MetricsHub::kSecondMs);
}

void StatStrip::showQuota(StatTile *tile, std::optional<qint64> left, std::optional<qint64> limit,
                          bool refilled, const QString &what)
{
    const HeadlineStats &s = m_stats;
    if (left && limit && *limit > 0) {
        const double fraction = double(*left) / double(*limit);
        tile->setValue(
            HeadlineStats::count(*left), tr("/ %1").arg(HeadlineStats::count(*limit)),
            tr("%1 · %2").arg(refilled ? tr("full again") : HeadlineStats::percent(fraction), s.limitSource),
            byFractionLeft(fraction));
    } else if (left) {
        tile->setValue(HeadlineStats::count(*left), QString(), tr("limit not stated"), Level::Ok);
    } else if (limit) {
        tile->setValue(
            tr("≤ %1").arg(HeadlineStats::count(*limit)), tr("%1 / window").arg(what),
            tr("limit %1, left unknown").arg(s.limitSource.isEmpty() ? tr("configured") : s.limitSource),
            Level::Unknown);
    } else if (const auto pace
               = what == tr("requests") ? (s.pacedRps ? s.pacedRps : s.learnedRps) : s.pacedTpm;
               pace) {
        // No quota headers (xAI sends none): the limit the pacer holds to, and its source.
        const QString model = s.pacedModel.isEmpty() ? QString() : u' ' + s.pacedModel;
        tile->setValue(QString::number(*pace, 'f', *pace < 100 ? 1 : 0),
                       what == tr("requests") ? tr("req/s") : tr("tok/min"),
                       (s.limitSource.isEmpty() ? tr("learned") : s.limitSource) + model, Level::Unknown);
    } else {
        tile->setValue(QStringLiteral("—"), QString(), tr("none stated"), Level::Unknown);
    }
}

void StatStrip::refreshAt(qint64 nowMs)
{
    if (!m_session || !m_session->telemetry())
        return;
    m_stats = HeadlineStats::compute(*m_session, nowMs, clientHub());
    const HeadlineStats &s = m_stats;

    showQuota(tile(QStringLiteral("requests")), s.requestsLeft, s.requestLimit, s.requestsRefilled,
              tr("requests"));
    spark(tile(QStringLiteral("requests")), int(MetricField::RequestsRemaining), nowMs,
          double(s.requestLimit.value_or(0)));
    showQuota(tile(QStringLiteral("tokens")), s.tokensLeft, s.tokenLimit, s.tokensRefilled, tr("tokens"));
    spark(tile(QStringLiteral("tokens")), int(MetricField::TokensRemaining), nowMs,
          double(s.tokenLimit.value_or(0)));

    showReset(tile(QStringLiteral("reset")), s);

    tile(QStringLiteral("spend"))
        ->setValue(HeadlineStats::dollars(s.spendSessionUsd), QString(),
                   tr("today %1").arg(HeadlineStats::dollars(s.spendTodayUsd)), Level::Ok);
    spark(tile(QStringLiteral("spend")), int(MetricField::CostUsd), nowMs, 0.0, true);

    static const char *const breakerWords[] = { "", " · breaker half-open", " · breaker OPEN" };
    const QString breaker = tr(breakerWords[std::clamp(s.breaker, 0, 2)]);
    const auto rate = s.errorRate();
    tile(QStringLiteral("errors"))
        ->setValue(rate ? HeadlineStats::percent(*rate) : QStringLiteral("—"), QString(),
                   tr("%1 of %2 attempts").arg(s.failedAttempts).arg(s.attempts) + breaker,
                   s.breaker == 2 ? Level::Bad : byRate(rate, 0.02, 0.10));
    spark(tile(QStringLiteral("errors")), int(MetricField::ErrorRate), nowMs, 1.0);
    const auto retry = s.retryRate();
    tile(QStringLiteral("retries"))
        ->setValue(retry ? HeadlineStats::percent(*retry) : QStringLiteral("—"), QString(),
                   tr("%1 retries").arg(s.retries), byRate(retry, 0.05, 0.20));
    spark(tile(QStringLiteral("retries")), int(MetricField::Retries), nowMs);

    const double slow = m_session->settings().alerts.latencyP95ThresholdMs;
    StatTile *latency = tile(QStringLiteral("latency"));
    showLatency(latency, s, slow);
    spark(latency, int(MetricField::LatencyP95), nowMs);

    tile(QStringLiteral("throughput"))
        ->setValue(QString::number(s.successesPerMinute(), 'f', s.successesPerMinute() < 10 ? 1 : 0),
                   tr("req/min"), tr("%1 tokens/s").arg(QString::number(s.tokensPerSecond(), 'f', 0)),
                   s.attempts == 0 ? Level::Unknown : Level::Ok);
    spark(tile(QStringLiteral("throughput")), int(MetricField::Successes), nowMs);

    const bool capped = s.maxInFlight > 0 && s.inFlight >= s.maxInFlight;
    tile(QStringLiteral("inflight"))
        ->setValue(QString::number(s.inFlight),
                   s.maxInFlight > 0 ? tr("/ %1 cap").arg(s.maxInFlight) : QString(),
                   tr("%n waiting", nullptr, s.queued), capped ? Level::Warning : Level::Ok);
    spark(tile(QStringLiteral("inflight")), int(MetricField::InFlight), nowMs, double(s.maxInFlight));
}

} // namespace gp
