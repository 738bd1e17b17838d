#pragma once

#include "core/client/client.h"
#include "core/sim/simserver.h"

#include <QJsonArray>
#include <QJsonObject>

#include <memory>

namespace gp::test {

// A client tuned for tests: tiny backoff, short timeouts, a budget and breaker that stay
// out of the way unless a test turns them on.
ClientConfig fastConfig(const QUrl &baseUrl);
ChatRequest simpleRequest(const QString &text = QStringLiteral("hello"));
// A started simulator on 127.0.0.1 with the named scenario and seed 1; fails the test when it can't.
std::unique_ptr<sim::SimServer> startSim(const QString &scenario = QStringLiteral("steady"));
// A scenario JSON: no faults, generous limits, no latency.
QJsonObject quietScenario();
// The test keeps the job past its finished() (no auto-delete) to read it later.
RequestJob *kept(RequestJob *job);
// Waits (event loop) for the job's one finished() and returns the outcome.
Outcome waitFor(RequestJob *job, int timeoutMs = 5000);
QJsonObject fault(const QString &kind, const QJsonObject &extra = {});
// The number of chat requests the simulator received.
int simRequests(const sim::SimServer &server);

} // namespace gp::test
