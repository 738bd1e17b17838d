#pragma once

#include "core/events/event.h"
#include "core/telemetry/explicithistogram.h"
#include "core/telemetry/genaiserver.h"

#include <QByteArray>
#include <QMap>

#include <array>

namespace gp {

class ModelLabels;
class PrometheusWriter;

// The OpenTelemetry GenAI client metrics (semantic conventions v1.41.1, "Development"), as the
// OpenTelemetry-to-Prometheus translation names them: gen_ai_client_operation_duration_seconds,
// gen_ai_client_token_usage and gen_ai_client_operation_time_to_first_chunk_seconds, with
// gen_ai_operation_name, gen_ai_provider_name, gen_ai_request_model, gen_ai_response_model,
// server_address, server_port and error_type on failures. One operation is one job: from
// submission to its terminal event, retries and pacing waits included.
class GenAiMetrics final
{
public:
    // The buckets the conventions specify (ExplicitBucketBoundaries).
    static constexpr std::array<double, 14> kDurationBoundsSec {
        0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92
    };
    static constexpr std::array<double, 14> kTokenBounds { 1,       4,       16,       64,      256,
                                                           1024,    4096,    16384,    65536,   262144,
                                                           1048576, 4194304, 16777216, 67108864 };
    // A bound on the series one scrape can hold, whatever arrives (models fold first).
    static constexpr int kMaxSeriesPerFamily = 512;

    explicit GenAiMetrics(ModelLabels &models);

    void setServer(const GenAiServer &server) { m_server = server; }
    const GenAiServer &server() const { return m_server; }

    void record(const Event &event);
    void render(PrometheusWriter &writer) const;

    // error.type for a failed operation: the error class ("rate_limited", "timeout", ...), the
    // HTTP status when the class is unknown, else "_OTHER".
    static QString errorType(const Event &event);

private:
    struct Series
    {
        QByteArray labels;
        ExplicitHistogram histogram;
    };
    using Family = QMap<QByteArray, Series>;

    QByteArray commonLabels(const Event &event);
    static void add(Family &family, const QByteArray &labels, std::span<const double> bounds, double value);

    ModelLabels &m_models;
    GenAiServer m_server;
    Family m_duration;
    Family m_tokens;
    Family m_firstChunk;
};

} // namespace gp
