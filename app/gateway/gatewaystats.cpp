#include "app/gateway/gatewaystats.h"

using namespace Qt::StringLiterals;

namespace gp {

void GatewayStats::recordOutcome(const QString &client, const Outcome &outcome)
{
    Row &row = m_rows[client];
    ++row.requests;
    row.attempts += outcome.attempts;
    row.totalTokens += outcome.response.usage.totalTokens;
    switch (outcome.status) {
    case JobStatus::Succeeded: ++row.succeeded; break;
    case JobStatus::Failed: ++row.failed; break;
    case JobStatus::Cancelled: ++row.cancelled; break;
    case JobStatus::Interrupted: ++row.interrupted; break;
    }
}

void GatewayStats::recordRefusal(const QString &client)
{
    Row &row = m_rows[client];
    ++row.requests;
    ++row.refused;
}

QJsonObject GatewayStats::toJson() const
{
    QJsonObject clients;
    for (auto it = m_rows.cbegin(); it != m_rows.cend(); ++it) {
        const Row &r = it.value();
        clients.insert(it.key(),
                       QJsonObject { { u"requests"_s, r.requests },
                                     { u"succeeded"_s, r.succeeded },
                                     { u"failed"_s, r.failed },
                                     { u"cancelled"_s, r.cancelled },
                                     { u"interrupted"_s, r.interrupted },
                                     { u"refused"_s, r.refused },
                                     { u"attempts"_s, r.attempts },
                                     { u"total_tokens"_s, r.totalTokens } });
    }
    return clients;
}

} // namespace gp
