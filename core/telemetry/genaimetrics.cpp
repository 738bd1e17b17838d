#include "core/telemetry/genaimetrics.h"

#include "core/telemetry/modellabels.h"
#include "core/telemetry/prometheuswriter.h"

namespace gp {

GenAiMetrics::GenAiMetrics(ModelLabels &models, ModelLabels &clients)
    : m_models(models)
    , m_clients(clients)
{ }

QString GenAiMetrics::errorType(const Event &event)
{
    if (event.errorClass != ErrorClass::None)
        return errorClassName(event.errorClass);
    if (event.kind == EventKind::Cancelled)
        return errorClassName(ErrorClass::Cancelled);
    if (event.kind == EventKind::Interrupted)
        return errorClassName(ErrorClass::Interrupted);
    if (event.httpStatus > 0)
        return QString::number(event.httpStatus);
    return QStringLiteral("_OTHER");
}

QByteArray GenAiMetrics::commonLabels(const Event &event)
{
    using W = PrometheusWriter;
    return W::labels(
        { W::label("gen_ai_operation_name", QStringLiteral("chat")),
          W::label("gen_ai_provider_name", m_server.provider),
          W::label("gen_ai_request_model", m_models.fold(event.model)),
          event.responseModel.isEmpty()
              ? QByteArray()
              : W::label("gen_ai_response_model", m_models.fold(event.responseModel)),
          m_server.address.isEmpty() ? QByteArray() : W::label("server_address", m_server.address),
          m_server.address.isEmpty() || m_server.port <= 0
              ? QByteArray()
              : W::label("server_port", QString::number(m_server.port)),
          event.client.isEmpty() ? QByteArray()
                                 : W::label("grokpulse_client", m_clients.fold(event.client)) });
}

ExplicitHistogram *GenAiMetrics::series(Family &family, const QByteArray &labels,
                                        std::span<const double> bounds)
{
    auto it = family.find(labels);
    if (it == family.end()) {
        if (family.size() >= kMaxSeriesPerFamily)
            return nullptr;
        it = family.insert(labels, Series { labels, ExplicitHistogram(bounds) });
    }
    return &it->histogram;
}

void GenAiMetrics::add(Family &family, const QByteArray &labels, std::span<const double> bounds, double value)
{
    if (ExplicitHistogram *h = series(family, labels, bounds))
        h->add(value);
}

void GenAiMetrics::record(const Event &event)
{
    if (!isTerminal(event.kind))
        return;
    const QByteArray common = commonLabels(event);
    const bool success = event.kind == EventKind::Succeeded;
    if (event.durationMs >= 0) {
        const QByteArray labels = success
            ? common
            : PrometheusWriter::labels({ common, PrometheusWriter::label("error_type", errorType(event)) });
        add(m_duration, labels, kDurationBoundsSec, double(event.durationMs) / 1000.0);
    }
    // Token usage of failed operations is not recorded; billable output on xAI is completion
    // plus reasoning tokens (reasoning is not part of completion there).
    if (success && event.usage.present) {
        const Usage &u = event.usage;
        add(m_tokens,
            PrometheusWriter::labels(
                { common, PrometheusWriter::label("gen_ai_token_type", QStringLiteral("input")) }),
            kTokenBounds, double(u.promptTokens));
        add(m_tokens,
            PrometheusWriter::labels(
                { common, PrometheusWriter::label("gen_ai_token_type", QStringLiteral("output")) }),
            kTokenBounds, double(u.completionTokens + u.reasoningTokens));
    }
    if (event.stream && event.firstChunkMs >= 0)
        add(m_firstChunk, common, kDurationBoundsSec, double(event.firstChunkMs) / 1000.0);
    // One sample per chunk after the first, counted by the attempt over the same bounds.
    if (event.stream && event.chunkGaps.count > 0) {
        if (ExplicitHistogram *h = series(m_perChunk, common, kDurationBoundsSec))
            h->addCounts(event.chunkGaps.counts, event.chunkGaps.sumSec);
    }
}

void GenAiMetrics::render(PrometheusWriter &w) const
{
    w.family("gen_ai_client_operation_duration_seconds", "histogram", "GenAI operation duration.");
    for (const Series &s : m_duration)
        w.histogram("gen_ai_client_operation_duration_seconds", s.labels, s.histogram);
    w.family("gen_ai_client_token_usage", "histogram", "Number of input and output tokens used.");
    for (const Series &s : m_tokens)
        w.histogram("gen_ai_client_token_usage", s.labels, s.histogram);
    w.family("gen_ai_client_operation_time_to_first_chunk_seconds", "histogram",
             "Time to receive the first chunk of a streamed response.");
    for (const Series &s : m_firstChunk)
        w.histogram("gen_ai_client_operation_time_to_first_chunk_seconds", s.labels, s.histogram);
    w.family("gen_ai_client_operation_time_per_output_chunk_seconds", "histogram",
             "Time per output chunk, recorded for each chunk received after the first one.");
    for (const Series &s : m_perChunk)
        w.histogram("gen_ai_client_operation_time_per_output_chunk_seconds", s.labels, s.histogram);
}

} // namespace gp
