#pragma once

#include "core/client/outcome.h"

#include <QJsonObject>
#include <QMap>
#include <QString>

namespace gp {

// Per-client counts of the gateway's answers, for /healthz and the closing summary.
class GatewayStats final
{
public:
    struct Row
    {
        qint64 requests = 0;
        qint64 succeeded = 0;
        qint64 failed = 0;
        qint64 cancelled = 0;
        qint64 interrupted = 0;
        qint64 refused = 0; // answered by the gateway itself (400, 413, 429 queue full)
        qint64 attempts = 0;
        qint64 totalTokens = 0;
    };

    void recordOutcome(const QString &client, const Outcome &outcome);
    void recordRefusal(const QString &client);
    const QMap<QString, Row> &rows() const { return m_rows; }
    QJsonObject toJson() const;

private:
    QMap<QString, Row> m_rows;
};

} // namespace gp
