#pragma once

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

namespace gp::sim {

// What the server saw since start or the last reset (GET /sim/stats).
class SimStats final
{
public:
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
    QMap<QString, qint64> m_customIds;
    QList<qint64> m_acceptedPerSecond;
};

} // namespace gp::sim
