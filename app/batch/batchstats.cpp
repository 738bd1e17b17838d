#include "app/batch/batchstats.h"

#include "core/wire/costmodel.h"

#include <QJsonArray>

#include <cmath>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

double rounded(double value, int decimals)
{
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

QJsonValue quantileMs(const LogHistogram &histogram, double q)
{
    const double value = histogram.quantile(q);
    return value < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(std::round(value));
}

} // namespace

void BatchStats::recordOutcome(const Outcome &outcome)
{
    switch (outcome.status) {
    case JobStatus::Succeeded: ++m_succeeded; break;
    case JobStatus::Failed: ++m_failed; break;
    case JobStatus::Cancelled: ++m_cancelled; break;
    case JobStatus::Interrupted: ++m_interrupted; break;
    }
    m_attempts += outcome.attempts;
    if (outcome.error.isError())
        ++m_errorClasses[errorClassName(outcome.error.errorClass)];
    if (outcome.attempts > 0) {
        ++m_sent;
        m_latency.add(double(outcome.latencyMs));
    }
    const Usage &usage = outcome.response.usage;
    if (!outcome.isSuccess() || !usage.present)
        return;
    m_promptTokens += usage.promptTokens;
    m_completionTokens += usage.completionTokens;
    m_reasoningTokens += usage.reasoningTokens;
    m_cachedTokens += usage.cachedTokens;
    const Cost cost = CostModel::costOf(usage, outcome.response.model);
    m_costUsd += cost.usd;
    m_costEstimated = m_costEstimated || cost.estimated;
}

void BatchStats::recordError(JobStatus status, ErrorClass errorClass)
{
    Outcome outcome;
    outcome.status = status;
    outcome.error.errorClass = errorClass;
    recordOutcome(outcome);
}

void BatchStats::recordEvent(const Event &event)
{
    if (event.kind == EventKind::AttemptFinished && event.httpStatus == 429)
        ++m_http429;
    else if (event.kind == EventKind::RetryScheduled)
        ++m_retries;
}

QJsonObject BatchStats::toJson(qint64 wallMs, int exitCode) const
{
    const double seconds = double(wallMs) / 1000.0;
    QJsonObject errors;
    for (auto it = m_errorClasses.begin(); it != m_errorClasses.end(); ++it)
        errors.insert(it.key(), it.value());
    return QJsonObject {
        { u"exit_code"_s, exitCode },
        { u"lines"_s, done() + m_skipped },
        { u"counts"_s,
          QJsonObject { { u"succeeded"_s, m_succeeded },
                        { u"failed"_s, m_failed },
                        { u"cancelled"_s, m_cancelled },
                        { u"interrupted"_s, m_interrupted },
                        { u"skipped"_s, m_skipped } } },
        { u"errors_by_class"_s, errors },
        { u"attempts"_s, m_attempts },
        { u"http_429"_s, m_http429 },
        { u"retries"_s, m_retries },
        { u"tokens"_s,
          QJsonObject { { u"prompt"_s, m_promptTokens },
                        { u"completion"_s, m_completionTokens },
                        { u"reasoning"_s, m_reasoningTokens },
                        { u"cached"_s, m_cachedTokens },
                        { u"total"_s, m_promptTokens + m_completionTokens + m_reasoningTokens } } },
        { u"cost_usd"_s, rounded(m_costUsd, 6) },
        { u"cost_estimated"_s, m_costEstimated },
        { u"wall_time_s"_s, rounded(seconds, 3) },
        { u"requests_per_second"_s, seconds > 0 ? rounded(double(m_sent) / seconds, 2) : 0.0 },
        { u"latency_ms"_s,
          QJsonObject { { u"p50"_s, quantileMs(m_latency, 0.50) },
                        { u"p95"_s, quantileMs(m_latency, 0.95) },
                        { u"p99"_s, quantileMs(m_latency, 0.99) } } },
    };
}

QString BatchStats::toText(qint64 wallMs) const
{
    const double seconds = double(wallMs) / 1000.0;
    const auto ms = [this](double q) {
        const double value = m_latency.quantile(q);
        return value < 0 ? u"-"_s : QString::number(std::llround(value));
    };
    QString text
        = u"batch: %1 succeeded, %2 failed, %3 cancelled, %4 interrupted, %5 skipped\n"_s.arg(m_succeeded)
              .arg(m_failed)
              .arg(m_cancelled)
              .arg(m_interrupted)
              .arg(m_skipped);
    text += u"       %1 attempts, %2 retries, %3 x 429; tokens %4 prompt, %5 completion, %6 reasoning, "
            u"%7 cached; $%8%9\n"_s.arg(m_attempts)
                .arg(m_retries)
                .arg(m_http429)
                .arg(m_promptTokens)
                .arg(m_completionTokens)
                .arg(m_reasoningTokens)
                .arg(m_cachedTokens)
                .arg(m_costUsd, 0, 'f', 4)
                .arg(m_costEstimated ? u" (estimated)"_s : QString());
    text += u"       %1 s wall, %2 req/s; latency p50 %3 ms, p95 %4 ms, p99 %5 ms\n"_s.arg(seconds, 0, 'f', 1)
                .arg(seconds > 0 ? double(m_sent) / seconds : 0.0, 0, 'f', 1)
                .arg(ms(0.50), ms(0.95), ms(0.99));
    return text;
}

} // namespace gp
