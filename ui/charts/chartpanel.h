#pragma once

#include "ui/charts/chartoverlay.h"

#include <QElapsedTimer>
#include <QList>
#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QGridLayout;
class QLabel;
class QScrollArea;

namespace gp {

class ConsoleSession;
class MetricChart;
class MetricsHub;

// The five live charts on one time axis (5 min / 1 h / 24 h), with pause and Save as PNG; one
// column when they fit tall enough, else two (then a readout of the crosshair fills the sixth cell).
// Changes only set a dirty flag; one 100 ms timer redraws (≤ 10 Hz), never while hidden
// or paused (Wireshark's I/O graph pattern). The axis still advances once a second.
class ChartPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartPanel)

public:
    enum class Span { FiveMinutes, OneHour, OneDay };
    // The client picker: a ClientHubs slot, or one of these.
    static constexpr int kAllClients = -1;
    static constexpr int kSplitByClient = -2; // all traffic, requests stacked per client

    explicit ChartPanel(ConsoleSession *session, QWidget *parent = nullptr);
    ~ChartPanel() override;

    void setSpan(Span span);
    Span span() const { return m_span; }
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    // Every chart but the quota (the team's, shared) shows only this client's traffic.
    void setClientSlot(int slot);
    int clientSlot() const { return m_clientSlot; }
    // By name: "all", "split", "console", "other" or a client's name; false when not seen yet.
    bool selectClient(const QString &name);
    QComboBox *clientPicker() const { return m_clientPicker; }
    // The picker's wording for a slot ("This console", a client's name, "Other clients").
    static QString clientLabel(int slot, const QString &name);
    void refresh(); // redraws now, whatever the flags
    // refresh(), then lays the charts out and aligns them now (before a grab, not per frame).
    void settle();
    bool savePng(const QString &path);
    void savePngInteractive();

    int chartCount() const { return int(m_charts.size()); }
    MetricChart *chart(int index) const { return m_charts.value(index); }
    double lastRefreshMs() const { return m_lastRefreshMs; }
    int refreshCount() const { return m_refreshes; }
    int columns() const { return m_columns; }
    // The crosshair at time x on every chart and the readout of all their values there (0: off).
    void hoverAt(qint64 x);
    QString readout() const;
    QLabel *readoutLabel() const { return m_readout; }

Q_SIGNALS:
    void clientChanged(int slot);

protected:
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void markDirty() { m_dirty = true; }
    void tick();
    const QList<ChartMarker> &resetMarkers(qint64 nowMs, qint64 spanMs);
    void relayout(bool force = false);
    void alignPlotAreas();
    QWidget *buildToolbar();
    void syncClientPicker();
    const MetricsHub &selectedHub() const;

    ConsoleSession *m_session = nullptr;
    QList<MetricChart *> m_charts;
    QComboBox *m_spanPicker = nullptr;
    QComboBox *m_clientPicker = nullptr;
    struct SplitSwap
    {
        MetricChart *whole = nullptr; // shown unless split: throughput, tokens
        MetricChart *perClient = nullptr; // in its place when split: the same per client
    };
    QList<SplitSwap> m_swaps;
    int m_clientSlot = kAllClients;
    int m_clientsGeneration = -1;
    QCheckBox *m_pause = nullptr;
    QTimer m_timer;
    QTimer m_alignTimer; // coalesces the charts' plotAreaChanged into one alignment pass
    QElapsedTimer m_sinceRefresh;
    QList<ChartMarker> m_alerts;
    QList<QPointF> m_scratch;
    QList<ChartMarker> m_resets;
    QScrollArea *m_scroll = nullptr;
    QGridLayout *m_grid = nullptr;
    QLabel *m_readout = nullptr;
    qint64 m_hoverMs = 0;
    int m_columns = 0;
    Span m_span = Span::FiveMinutes;
    bool m_dirty = true;
    bool m_paused = false;
    double m_lastRefreshMs = 0.0;
    int m_refreshes = 0;
};

} // namespace gp
