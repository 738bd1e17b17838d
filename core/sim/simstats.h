#pragma once

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <deque>

namespace gp::sim {

// What the server saw since start or the last reset (GET /sim/stats).
// Per-custom-id counts are kept for the most recent MaxCustomIds distinct ids only (older
// ones are dropped and counted) so a long run's memory stays flat.
class SimStats final
{
public:
    static constexpr qsizetype MaxCustomIds = 4096;

    void countRequest(const QString &customId);
    void countStatus(int status) { ++m_statuses[QString::number(status)]; }
    void countAccepted(qint64 secondSinceReset);
    void count429(const QString &reason) { ++m_rejected429[reason]; }
    void countFault(const QString &name) { ++m_faults[name]; }
    void countAuthFailure() { ++m_authFailures; }
    void countHttpRequest() { ++m_httpRequests; }
    void addTokens(qint64 prompt, qint64 completion, qint64 reasoning, qint64 cached);
    void reset() { *this = SimStats(); }
    QJsonObject toJson() const;

private:
    qint64 m_httpRequests = 0;
    qint64 m_requests = 0; // chat completions requests
    qint64 m_accepted = 0;
    qint64 m_authFailures = 0;
    qint64 m_promptTokens = 0;
    qint64 m_completionTokens = 0;
    qint64 m_reasoningTokens = 0;
    qint64 m_cachedTokens = 0;
    QMap<QString, qint64> m_statuses;
    QMap<QString, qint64> m_rejected429;
    QMap<QString, qint64> m_faults;
    QHash<QString, qint64> m_customIds; // bounded, see MaxCustomIds
    std::deque<QString> m_customIdOrder; // first-seen order, oldest first
    qint64 m_customIdsDropped = 0;
    QList<qint64> m_acceptedPerSecond;
};

} // namespace gp::sim
