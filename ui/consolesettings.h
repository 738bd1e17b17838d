#pragma once

#include "core/client/clientconfig.h"
#include "core/pacing/pacingconfig.h"
#include "core/telemetry/alertconfig.h"

#include <QString>
#include <QUrl>

class QSettings;

namespace gp {

// What the console remembers between runs (QSettings). Never holds the API key.
struct ConsoleSettings
{
    QUrl endpoint = QUrl(QStringLiteral("https://api.x.ai/v1"));
    QString defaultModel = QStringLiteral("grok-4");
    RetryConfig retry;
    TimeoutConfig timeouts;
    double requestsPerSecond = 0.0; // 0: learn from the server
    double requestsPerMinute = 0.0;
    double tokensPerMinute = 0.0;
    int maxInFlight = 16;
    double interactiveShare = 0.2;
    AlertConfig alerts;
    QString redisUrl;
    bool rememberStatedLimits = true; // limits servers stated in earlier runs seed the pacing, and are kept
    QString simulatorScenario = QStringLiteral("demo");
    double demoRatePerSecond = 1.0; // background demo prompts per second in demo mode
    bool useResponsesApi = true; // the prompt panel's API: Responses, else Chat Completions
    qint64 eventLogWindowMs = 15 * 60 * 1000; // how far back the Events tab keeps; 0: what fits

    ClientConfig clientConfig() const;
    PacingConfig pacingConfig() const;

    static ConsoleSettings load(QSettings &settings);
    void save(QSettings &settings) const;
    bool operator==(const ConsoleSettings &other) const;
};

} // namespace gp
