#include "ui/gatewayclientsmodel.h"

#include "core/telemetry/clienthubs.h"
#include "ui/headlinestats.h"

#include <QDateTime>

namespace gp {

double GatewayClientsModel::Row::quantileMs(double q) const
{
    return latency.count() == 0 ? -1.0 : latency.quantile(q);
}

GatewayClientsModel::GatewayClientsModel(const ClientHubs *hubs, QObject *parent)
    : QAbstractTableModel(parent)
    , m_hubs(hubs)
{
    m_refresh.setSingleShot(true);
    m_refresh.setInterval(kRefreshMs);
    connect(&m_refresh, &QTimer::timeout, this, &GatewayClientsModel::sync);
}

GatewayClientsModel::~GatewayClientsModel() = default;

const GatewayClientsModel::Row *GatewayClientsModel::row(const QString &client) const
{
    for (const Row &r : m_rows)
        if (r.client == client)
            return &r;
    return nullptr;
}

void GatewayClientsModel::record(const Event &event)
{
    if (!event.client.isEmpty() && isTerminal(event.kind) && !m_refresh.isActive())
        m_refresh.start();
}

void GatewayClientsModel::sync()
{
    if (!m_hubs)
        return;
    QList<Row> rows;
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    for (int slot : m_hubs->usedSlots()) {
        if (slot == ClientHubs::kOwnSlot)
            continue; // the console's own prompts are not a gateway client
        const MetricsSnapshot &s = m_hubs->hub(slot)->snapshot();
        Row r;
        r.client = m_hubs->nameOf(slot);
        for (quint64 n : s.outcomes)
            r.requests += qint64(n);
        r.failures = qint64(s.outcomes[MetricsSnapshot::Failed] + s.outcomes[MetricsSnapshot::Interrupted]);
        r.cancelled = qint64(s.outcomes[MetricsSnapshot::Cancelled]);
        r.tokens = s.promptTokens + s.completionTokens + s.reasoningTokens;
        r.costUsd = s.costUsd;
        r.costEstimated = s.costEstimated;
        const qint64 day = MetricsHub::kMinuteMs * MetricsHub::kMinuteSlots;
        r.latency = m_hubs->hub(slot)->window(Resolution::Minute, nowMs - day + 1, nowMs).latency;
        rows.append(r);
    }
    if (rows.size() != m_rows.size()) {
        beginResetModel();
        m_rows = rows;
        endResetModel();
        return;
    }
    m_rows = rows;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

int GatewayClientsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int GatewayClientsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant GatewayClientsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows.at(index.row());
    if (role == Qt::TextAlignmentRole)
        return index.column() == ClientColumn ? QVariant() : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case ClientColumn: return r.client;
    case Requests: return QString::number(r.requests);
    case Failures: return QString::number(r.failures);
    case P50:
    case P95: {
        const double ms = r.quantileMs(index.column() == P50 ? 0.50 : 0.95);
        return ms < 0 ? QStringLiteral("–") : HeadlineStats::seconds(ms);
    }
    case Tokens: return HeadlineStats::count(r.tokens);
    case CostColumn:
        return QString((r.costEstimated ? QStringLiteral("≈") : QString())
                       + HeadlineStats::dollars(r.costUsd));
    default: return {};
    }
}

QVariant GatewayClientsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ClientColumn: return tr("Client");
    case Requests: return tr("Requests");
    case Failures: return tr("Failures");
    case P50: return tr("p50 24 h");
    case P95: return tr("p95 24 h");
    case Tokens: return tr("Tokens");
    case CostColumn: return tr("Cost");
    default: return {};
    }
}

} // namespace gp
