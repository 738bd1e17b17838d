#include "ui/charts/chartpanel.h"

#include "core/telemetry/clienthubs.h"
#include "core/telemetry/telemetry.h"
#include "ui/charts/metricchart.h"
#include "ui/consolesession.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QEvent>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>

namespace gp {

namespace {
constexpr int kMaxAlertMarkers = 500;
constexpr int kMaxResetMarkers = 40; // at most this many per window, or the chart turns into a fence
constexpr int kTallChart = 150; // below this per chart in one column, two columns read better
constexpr int kTwoColumnWidth = 900;

struct SpanInfo
{
    qint64 spanMs;
    qint64 binMs;
    const char *binLabel;
};
SpanInfo spanInfo(ChartPanel::Span span)
{
    switch (span) {
    case ChartPanel::Span::FiveMinutes: return { 300'000, 5'000, "5 s" };
    case ChartPanel::Span::OneHour: return { 3'600'000, 60'000, "min" };
    case ChartPanel::Span::OneDay: return { 86'400'000, 900'000, "15 min" };
    }
    return { 300'000, 5'000, "5 s" };
}
} // namespace

ChartPanel::ChartPanel(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(buildToolbar());
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    auto *charts = new QWidget(m_scroll);
    m_grid = new QGridLayout(charts);
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setSpacing(2);
    m_alignTimer.setSingleShot(true);
    m_alignTimer.setInterval(0);
    connect(&m_alignTimer, &QTimer::timeout, this, &ChartPanel::alignPlotAreas);
    const QList<ChartSpec> perClient { ChartSpec::clients(), ChartSpec::clientTokens() };
    for (const ChartSpec &spec : ChartSpec::all() + perClient) {
        auto *chart = new MetricChart(spec, charts);
        if (spec.id == u"throughput" || spec.id == u"tokens")
            m_swaps.append({ chart, nullptr });
        if (spec.id == u"clients" || spec.id == u"client_tokens") {
            m_swaps[spec.id == u"clients" ? 0 : 1].perClient = chart;
            chart->hide();
        } else {
            m_charts.append(chart);
        }
        // Axis labels widen with their values and the view resizes: re-align on either.
        connect(chart->chart(), &QChart::plotAreaChanged, this, [this] { m_alignTimer.start(); });
        connect(chart, &MetricChart::hoveredAt, this, &ChartPanel::hoverAt);
    }
    m_readout = new QLabel(charts);
    m_readout->setObjectName(QStringLiteral("chartReadout"));
    m_readout->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_readout->setWordWrap(true);
    m_readout->setTextFormat(Qt::PlainText);
    m_readout->setAccessibleName(tr("Values at the crosshair"));
    m_readout->setMargin(6);
    hoverAt(0);
    relayout(true);
    m_scroll->setWidget(charts);
    layout->addWidget(m_scroll, 1);
    m_scratch.reserve(MetricsHub::kSecondSlots);

    if (m_session && m_session->telemetry()) {
        connect(m_session, &ConsoleSession::activity, this, [this] { markDirty(); });
        connect(m_session->telemetry(), &Telemetry::alertRaised, this, [this](const Event &e) {
            if (m_alerts.size() >= kMaxAlertMarkers)
                m_alerts.removeFirst();
            m_alerts.append({ e.timeMs, QString(e.alertId).replace(u'_', u' '), e.message });
            markDirty();
        });
    }
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &ChartPanel::tick);
    m_timer.start();
    m_sinceRefresh.start();
}

ChartPanel::~ChartPanel() = default;

QWidget *ChartPanel::buildToolbar()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    auto *label = new QLabel(tr("&Window:"), bar);
    m_spanPicker = new QComboBox(bar);
    m_spanPicker->addItems({ tr("5 minutes"), tr("1 hour"), tr("24 hours") });
    m_spanPicker->setAccessibleName(tr("Chart time window"));
    label->setBuddy(m_spanPicker);
    connect(m_spanPicker, &QComboBox::currentIndexChanged, this, [this](int i) { setSpan(Span(i)); });
    auto *clientLabel = new QLabel(tr("C&lient:"), bar);
    m_clientPicker = new QComboBox(bar);
    m_clientPicker->setAccessibleName(tr("Show the traffic of"));
    m_clientPicker->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_clientPicker->setToolTip(tr("Every chart and the headline numbers show only this client's requests; "
                                  "the quota and the queue are shared by all."));
    clientLabel->setBuddy(m_clientPicker);
    syncClientPicker();
    connect(m_clientPicker, &QComboBox::activated, this,
            [this](int i) { setClientSlot(m_clientPicker->itemData(i).toInt()); });
    m_pause = new QCheckBox(tr("Pa&use"), bar);
    m_pause->setAccessibleName(tr("Pause charts"));
    connect(m_pause, &QCheckBox::toggled, this, &ChartPanel::setPaused);
    auto *save = new QPushButton(tr("Save as P&NG…"), bar);
    save->setAccessibleName(tr("Save charts as PNG"));
    connect(save, &QPushButton::clicked, this, &ChartPanel::savePngInteractive);
    row->addWidget(label);
    row->addWidget(m_spanPicker);
    row->addSpacing(12);
    row->addWidget(clientLabel);
    row->addWidget(m_clientPicker);
    row->addWidget(m_pause);
    row->addStretch(1);
    row->addWidget(save);
    return bar;
}

void ChartPanel::setSpan(Span span)
{
    m_span = span;
    if (m_spanPicker->currentIndex() != int(span))
        m_spanPicker->setCurrentIndex(int(span));
    refresh();
}

void ChartPanel::setPaused(bool paused)
{
    m_paused = paused;
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused);
    if (!paused)
        markDirty();
}

void ChartPanel::tick()
{
    if (m_paused || !isVisible())
        return;
    // Quiet periods still move the axis, once a second.
    if (!m_dirty && m_sinceRefresh.elapsed() < 1000)
        return;
    refresh();
}

const QList<ChartMarker> &ChartPanel::resetMarkers(qint64 nowMs, qint64 spanMs)
{
    m_resets.resize(0);
    if (!m_session)
        return m_resets;
    m_session->telemetry()->hub().recent(spanMs, nowMs, MetricField::QuotaResetInMs, m_scratch);
    const qint64 minGap = spanMs / kMaxResetMarkers;
    for (const QPointF &p : std::as_const(m_scratch)) {
        const qint64 at = qint64(p.x() + p.y());
        if (at > nowMs || (!m_resets.isEmpty() && at - m_resets.last().timeMs < minGap))
            continue;
        m_resets.append({ at, {}, tr("quota reset") });
    }
    return m_resets;
}

void ChartPanel::refresh()
{
    QElapsedTimer cost;
    cost.start();
    m_dirty = false;
    m_sinceRefresh.restart();
    if (!m_session)
        return;
    const SpanInfo info = spanInfo(m_span);
    MetricChart::Window window;
    window.nowMs = QDateTime::currentMSecsSinceEpoch();
    window.spanMs = info.spanMs;
    window.binMs = info.binMs;
    window.binLabel = tr(info.binLabel);
    window.clients = m_session->telemetry()->clientHubs();
    syncClientPicker();
    const MetricsHub &hub = selectedHub();
    MetricChart::Window shared = window; // the team's quota: everyone's, whoever is picked
    if (m_clientSlot >= 0)
        window.scope = m_clientPicker->currentText();
    for (MetricChart *chart : std::as_const(m_charts)) {
        if (chart->spec().id == u"quota")
            chart->update(m_session->telemetry()->hub(), shared, resetMarkers(window.nowMs, window.spanMs));
        else if (chart->spec().id == u"failures")
            chart->update(hub, window, m_alerts);
        else
            chart->update(hub, window, {});
    }
    if (m_hoverMs > 0)
        hoverAt(m_hoverMs);
    m_lastRefreshMs = double(cost.nsecsElapsed()) / 1e6;
    ++m_refreshes;
}

// One column when each chart still gets kTallChart px, else two: at 1024x700 all five show.
void ChartPanel::relayout(bool force)
{
    const QSize room = m_scroll->viewport()->size();
    const int columns
        = room.height() >= int(m_charts.size()) * kTallChart || room.width() < kTwoColumnWidth ? 1 : 2;
    if (columns == m_columns && !force)
        return;
    m_columns = columns;
    for (const SplitSwap &swap : std::as_const(m_swaps)) {
        m_grid->removeWidget(swap.whole);
        m_grid->removeWidget(swap.perClient);
    }
    for (MetricChart *chart : std::as_const(m_charts)) {
        m_grid->removeWidget(chart);
        chart->show();
    }
    m_grid->removeWidget(m_readout);
    for (int i = 0; i < m_charts.size(); ++i)
        m_grid->addWidget(m_charts[i], i / columns, i % columns);
    m_readout->setVisible(columns == 2);
    if (columns == 2)
        m_grid->addWidget(m_readout, int(m_charts.size()) / 2, 1);
    for (int c = 0; c < 2; ++c)
        m_grid->setColumnStretch(c, c < columns ? 1 : 0);
    // Rows share the height evenly: a chart's size hint follows its scene, which keeps the
    // largest size it ever had (a chart swapped in or out would take another's share).
    const int rows = (int(m_charts.size()) + columns - 1) / columns;
    for (int r = 0; r < int(m_charts.size()); ++r)
        m_grid->setRowStretch(r, r < rows ? 1 : 0);
    m_alignTimer.start();
}

void ChartPanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    relayout();
}

void ChartPanel::hoverAt(qint64 x)
{
    m_hoverMs = x;
    for (MetricChart *chart : std::as_const(m_charts))
        chart->setCrosshair(x);
    if (x <= 0) {
        m_readout->setText(tr("Point at a chart: a crosshair marks that moment on every chart, and "
                              "its exact values are listed here."));
        return;
    }
    m_readout->setText(readout());
}

QString ChartPanel::readout() const
{
    if (m_hoverMs <= 0)
        return {};
    QStringList parts;
    for (const MetricChart *chart : m_charts) {
        QString lines = chart->describe(m_hoverMs);
        const qsizetype firstBreak = lines.indexOf(u'\n');
        if (firstBreak < 0)
            continue; // only the time: nothing there
        if (parts.isEmpty())
            parts.append(lines.left(firstBreak));
        parts.append(lines.mid(firstBreak + 1).replace(u'\n', QStringLiteral(" · ")));
    }
    return parts.isEmpty() ? QString() : parts.join(u'\n');
}

// One time axis for all five: every plot area gets the widest left and right axis gutter.
void ChartPanel::alignPlotAreas()
{
    qreal left = 0.0;
    qreal right = 0.0;
    for (const MetricChart *chart : std::as_const(m_charts)) {
        if (chart->chart()->plotArea().isEmpty())
            return; // not laid out yet; its plotAreaChanged brings us back
        const QMarginsF gutters = chart->axisGutters();
        left = std::max(left, gutters.left());
        right = std::max(right, gutters.right());
    }
    for (MetricChart *chart : std::as_const(m_charts))
        chart->alignGutters(left, right);
}

void ChartPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    markDirty();
}

void ChartPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        for (MetricChart *chart : std::as_const(m_charts))
            chart->applyPalette();
        for (const SplitSwap &swap : std::as_const(m_swaps))
            (m_clientSlot == kSplitByClient ? swap.whole : swap.perClient)->applyPalette();
    }
}

void ChartPanel::settle()
{
    refresh();
    // Chart layouts run on posted LayoutRequest events; alignment reacts to their result.
    QCoreApplication::sendPostedEvents();
    alignPlotAreas();
    QCoreApplication::sendPostedEvents();
}

bool ChartPanel::savePng(const QString &path)
{
    if (m_charts.isEmpty())
        return false;
    settle();
    return m_charts.first()->parentWidget()->grab().save(path, "PNG");
}

void ChartPanel::savePngInteractive()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save charts as PNG"), QStringLiteral("grokpulse-charts.png"), tr("PNG images (*.png)"));
    if (!path.isEmpty())
        savePng(path);
}

} // namespace gp
