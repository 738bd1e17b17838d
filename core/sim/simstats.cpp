#include "core/sim/simstats.h"

#include <QJsonArray>

#include <algorithm>

namespace gp::sim {

namespace {

template<typename Map> QJsonObject toObject(const Map &map)
{
    QJsonObject object;
    for (auto it = map.begin(); it != map.end(); ++it)
        object.insert(it.key(), it.value());
    return object;
}

} // namespace

void SimStats::countRequest(const QString &customId)
{
    ++m_requests;
    if (customId.isEmpty())
        return;
    if (const auto it = m_customIds.find(customId); it != m_customIds.end()) {
        ++it.value();
        return;
    }
    if (m_customIds.size() >= MaxCustomIds) {
        m_customIds.remove(m_customIdOrder.front());
        m_customIdOrder.pop_front();
        ++m_customIdsDropped;
    }
    m_customIds.insert(customId, 1);
    m_customIdOrder.push_back(customId);
}

void SimStats::countAccepted(qint64 secondSinceReset)
{
    ++m_accepted;
    // Bounded: a day of seconds at most, later seconds land in the last slot.
    const qint64 index = std::clamp<qint64>(secondSinceReset, 0, 86399);
    if (m_acceptedPerSecond.size() <= index)
        m_acceptedPerSecond.resize(index + 1, 0);
    ++m_acceptedPerSecond[index];
}

void SimStats::addTokens(qint64 prompt, qint64 completion, qint64 reasoning, qint64 cached)
{
    m_promptTokens += prompt;
    m_completionTokens += completion;
    m_reasoningTokens += reasoning;
    m_cachedTokens += cached;
}

QJsonObject SimStats::toJson() const
{
    QJsonArray perSecond;
    for (const qint64 count : m_acceptedPerSecond)
        perSecond.append(count);
    return QJsonObject {
        { QStringLiteral("http_requests"), m_httpRequests },
        { QStringLiteral("requests"), m_requests },
        { QStringLiteral("accepted"), m_accepted },
        { QStringLiteral("auth_failures"), m_authFailures },
        { QStringLiteral("statuses"), toObject(m_statuses) },
        { QStringLiteral("rejected_429"), toObject(m_rejected429) },
        { QStringLiteral("faults"), toObject(m_faults) },
        { QStringLiteral("tokens"),
          QJsonObject {
              { QStringLiteral("prompt"), m_promptTokens },
              { QStringLiteral("completion"), m_completionTokens },
              { QStringLiteral("reasoning"), m_reasoningTokens },
              { QStringLiteral("cached"), m_cachedTokens },
              { QStringLiteral("total"), m_promptTokens + m_completionTokens + m_reasoningTokens } } },
        { QStringLiteral("accepted_per_second"), perSecond },
        { QStringLiteral("custom_ids"), toObject(m_customIds) },
        { QStringLiteral("custom_ids_dropped"), m_customIdsDropped },
    };
}

} // namespace gp::sim
