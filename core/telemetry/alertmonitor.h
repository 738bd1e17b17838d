#pragma once

#include "core/events/event.h"
#include "core/telemetry/alertconfig.h"

#include <QList>
#include <QStringList>

#include <array>

namespace gp {

class MetricsHub;

// Rules over MetricsHub's 1 s ring. Each names its cause: quota 429s, server overload (529,
// 429 "at capacity"), and the failure rate broken down by cause (server errors, network, ...).
// evaluate(nowMs) returns AlertRaised / AlertCleared events (message: one human sentence; alertId: the rule).
// Time is passed in.
class AlertMonitor final
{
public:
    enum Rule {
        ErrorSpike,
        Sustained429,
        BreakerOpen,
        QuotaLowRequests,
        QuotaLowTokens,
        LatencyP95,
        Overload,
        FailureRate,
        RuleCount
    };

    explicit AlertMonitor(const MetricsHub &hub, const AlertConfig &config = {});

    QList<Event> evaluate(qint64 nowMs);
    // The alerts that stayed raised through the last evaluate() but whose sentence changed
    // (its counts follow the window): (alertId, the sentence now). Not events: nothing new
    // was raised, and the journal keeps the sentence it was raised with.
    const QList<std::pair<QString, QString>> &updatedSentences() const { return m_updated; }
    QString sentence(Rule rule) const { return m_sentences[size_t(rule)]; } // empty when not raised

    void setConfig(const AlertConfig &config) { m_config = config; }
    const AlertConfig &config() const { return m_config; }
    bool isRaised(Rule rule) const { return m_raised[size_t(rule)]; }
    QStringList activeAlertIds() const;
    double errorBaseline() const { return m_baseline; } // -1 until the first sample
    static QString ruleId(Rule rule);

private:
    struct Verdict
    {
        bool raise = false;
        bool clear = false;
        QString message;
    };
    Verdict checkErrorSpike(quint32 attempts, quint32 failed, const QString &causes);
    struct ShareRule
    {
        Rule rule;
        double raiseRate;
        double clearRate;
        int minAttempts;
        QString raiseTitle;
        QString clearTitle;
        QString what; // "got HTTP 429 (quota)"
    };
    Verdict checkShare(const ShareRule &rule, quint32 attempts, quint32 count, const QString &detail) const;
    Verdict checkBreaker() const;
    Verdict checkQuota(Rule rule, qint64 nowMs) const;
    Verdict checkLatency(double p95, quint64 samples) const;
    void apply(Rule rule, const Verdict &verdict, qint64 nowMs, QList<Event> &out);

    const MetricsHub &m_hub;
    AlertConfig m_config;
    std::array<bool, RuleCount> m_raised {};
    std::array<QString, RuleCount> m_sentences; // of each raised alert, as of the last evaluate()
    QList<std::pair<QString, QString>> m_updated;
    double m_baseline = -1.0;
};

} // namespace gp
