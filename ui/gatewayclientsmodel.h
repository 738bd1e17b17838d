#pragma once

#include "core/events/event.h"

#include <QAbstractTableModel>
#include <QList>
#include <QString>

namespace gp {

// The console's per-client rows for gateway traffic, from the same telemetry events as
// everything else: each finished job that carries a client label (Event::client) counts
// for its client. Latency quantiles use the last kSamples jobs of each client (bounded).
class GatewayClientsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayClientsModel)

public:
    enum Column { ClientColumn, Requests, Failures, P50, P95, Tokens, CostColumn, ColumnCount };
    static constexpr int kSamples = 1000;

    struct Row
    {
        QString client;
        qint64 requests = 0; // finished jobs
        qint64 failures = 0; // failed or interrupted (cancelled by the client is not a failure)
        qint64 cancelled = 0;
        qint64 tokens = 0;
        double costUsd = 0.0;
        bool costEstimated = false;
        QList<qint64> latenciesMs; // newest last, at most kSamples
        double quantileMs(double q) const; // -1 without samples
    };

    explicit GatewayClientsModel(QObject *parent = nullptr);
    ~GatewayClientsModel() override;

    void record(const gp::Event &event);
    void clear();
    const QList<Row> &rows() const { return m_rows; }
    const Row *row(const QString &client) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<Row> m_rows; // sorted by client name
};

} // namespace gp
