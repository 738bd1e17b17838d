#pragma once

#include "ui/headlinestats.h"

#include <QList>
#include <QPointF>
#include <QTimer>
#include <QWidget>

namespace gp {

class ChartPanel;
class ConsoleSession;
class MetricsHub;
class StatTile;

// The headline strip above every view: quota left (requests, tokens), time to reset, spend,
// error and retry rate, p50/p95, throughput, in flight vs cap. Twice a second; never while
// hidden. The numbers come from HeadlineStats, as the status bar's do.
class StatStrip final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatStrip)

public:
    explicit StatStrip(ConsoleSession *session, QWidget *parent = nullptr);

    void refresh(); // now, with the wall clock
    void refreshAt(qint64 nowMs);
    StatTile *tile(const QString &id) const;
    QList<StatTile *> tiles() const { return m_tiles; }
    const HeadlineStats &stats() const { return m_stats; }
    // The counted tiles (spend, errors, retries, latency, throughput) show one client's traffic:
    // a ClientHubs slot, or < 0 for all. Their titles say whose.
    void setClientSlot(int slot, const QString &label = {});
    int clientSlot() const { return m_clientSlot; }
    // Follows the Charts tab's client picker.
    void followClientPicker(ChartPanel *charts);
    static QStringList tileIds();

protected:
    void showEvent(QShowEvent *event) override;

private:
    StatTile *addTile(const QString &id, const QString &title, const QString &help);
    void spark(StatTile *tile, int field, qint64 nowMs, double ceiling = 0.0, bool cumulative = false);
    const MetricsHub *clientHub() const;
    void showQuota(StatTile *tile, std::optional<qint64> left, std::optional<qint64> limit, bool refilled,
                   const QString &what);

    ConsoleSession *m_session = nullptr;
    QList<StatTile *> m_tiles;
    HeadlineStats m_stats;
    QList<QPointF> m_scratch;
    QTimer m_timer;
    int m_clientSlot = -1;
};

} // namespace gp
