#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

namespace gp::sim {

// Scenario fields of the asynchronous APIs ("deferred" and "batch" objects; schema in
// resources/scenarios/README.md).
struct AsyncConfig
{
    int deferredReadyMs = -1; // < 0: when the chat answer would have been complete
    qint64 deferredExpiryS = 86400; // a result not fetched in time is gone (404)
    int batchCompletionMs = 2000; // a request finishes within this time after it was added
    double batchErrorRate = 0; // share of requests that finish with batchErrorMessage
    QString batchErrorMessage = QStringLiteral("Internal error while processing the batch request");
    double batchPriceFactor = 0.5; // cost_in_usd_ticks of batch results against the live price
    int batchCreateIntervalMs = 1000; // xAI: at most one batch creation per second per team
    int batchAddCallsPer30s = 100; // xAI: a rolling limit on add-requests calls
    bool batchRepeatPage = false; // a fault: results pages hand back the token they were asked with
    bool batchUnknownResult = false; // a fault: every page carries a result for an id never added

    // Reads the "deferred" and "batch" members of a scenario object; nullopt and an error
    // naming the field on a wrong type or an out-of-range value.
    static std::optional<AsyncConfig> fromScenario(const QJsonObject &scenario, QString *error);
};

} // namespace gp::sim
