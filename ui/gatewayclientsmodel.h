#pragma once

#include "core/events/event.h"
#include "core/telemetry/loghistogram.h"

#include <QAbstractTableModel>
#include <QList>
#include <QString>
#include <QTimer>

namespace gp {

class ClientHubs;

// The console's per-client rows for gateway traffic. The numbers are read from the same
// per-client hubs as the charts and headline numbers (ClientHubs), so a row and the tiles with
// that client picked always agree: totals since the console started, latency quantiles over the
// last 24 h (the hub's minute buckets). Past the hubs' cap, clients share the "other" row.
class GatewayClientsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayClientsModel)

public:
    enum Column { ClientColumn, Requests, Failures, P50, P95, Tokens, CostColumn, ColumnCount };
    static constexpr int kRefreshMs = 500; // at most twice a second, whatever the traffic

    struct Row
    {
        QString client;
        qint64 requests = 0; // finished jobs
        qint64 failures = 0; // failed or interrupted (cancelled by the client is not a failure)
        qint64 cancelled = 0;
        qint64 tokens = 0;
        double costUsd = 0.0;
        bool costEstimated = false;
        LogHistogram latency; // the last 24 h
        double quantileMs(double q) const; // -1 without samples
    };

    // `hubs` may be null (telemetry off): no rows.
    explicit GatewayClientsModel(const ClientHubs *hubs, QObject *parent = nullptr);
    ~GatewayClientsModel() override;

    // A labelled job finished: the rows are read again (coalesced, kRefreshMs).
    void record(const gp::Event &event);
    void sync(); // now
    const QList<Row> &rows() const { return m_rows; }
    const Row *row(const QString &client) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    const ClientHubs *m_hubs = nullptr;
    QList<Row> m_rows; // in the hubs' slot order: first seen first, "other" last
    QTimer m_refresh;
};

} // namespace gp
