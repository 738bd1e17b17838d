#include "ui/gatewayclientsmodel.h"

#include "core/wire/costmodel.h"
#include "ui/headlinestats.h"

#include <algorithm>
#include <cmath>

namespace gp {

double GatewayClientsModel::Row::quantileMs(double q) const
{
    if (latenciesMs.isEmpty())
        return -1.0;
    QList<qint64> sorted = latenciesMs;
    std::sort(sorted.begin(), sorted.end());
    // Nearest rank: the smallest sample with at least q of the samples at or below it.
    const auto rank = qsizetype(std::ceil(q * double(sorted.size())));
    return double(sorted.at(std::clamp<qsizetype>(rank - 1, 0, sorted.size() - 1)));
}

GatewayClientsModel::GatewayClientsModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

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
    if (event.client.isEmpty() || !isTerminal(event.kind))
        return;
    const auto at = std::lower_bound(m_rows.begin(), m_rows.end(), event.client,
                                     [](const Row &r, const QString &name) { return r.client < name; });
    const auto pos = int(at - m_rows.begin());
    if (at == m_rows.end() || at->client != event.client) {
        beginInsertRows({}, pos, pos);
        Row fresh;
        fresh.client = event.client;
        m_rows.insert(pos, fresh);
        endInsertRows();
    }
    Row &r = m_rows[pos];
    ++r.requests;
    if (event.kind == EventKind::Failed || event.kind == EventKind::Interrupted)
        ++r.failures;
    if (event.kind == EventKind::Cancelled)
        ++r.cancelled;
    r.tokens += event.usage.totalTokens;
    if (event.usage.totalTokens > 0 || event.usage.costInUsdTicks.has_value()) {
        const Cost cost = CostModel::costOf(
            event.usage, event.responseModel.isEmpty() ? event.model : event.responseModel);
        r.costUsd += cost.usd;
        r.costEstimated = r.costEstimated || cost.estimated;
    }
    if (event.durationMs >= 0 && event.kind != EventKind::Cancelled) {
        r.latenciesMs.append(event.durationMs);
        if (r.latenciesMs.size() > kSamples)
            r.latenciesMs.removeFirst();
    }
    Q_EMIT dataChanged(index(pos, 0), index(pos, ColumnCount - 1));
}

void GatewayClientsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
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
    case P50: return tr("p50");
    case P95: return tr("p95");
    case Tokens: return tr("Tokens");
    case CostColumn: return tr("Cost");
    default: return {};
    }
}

} // namespace gp
