#include "core/telemetry/prometheuswriter.h"

#include "core/telemetry/explicithistogram.h"

#include <cmath>

namespace gp {

void PrometheusWriter::family(const char *name, const char *type, const char *help)
{
    m_out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
}

void PrometheusWriter::sample(const QByteArray &name, const QByteArray &labels, double value)
{
    m_out += name;
    if (!labels.isEmpty())
        m_out += '{' + labels + '}';
    m_out += ' ' + number(value) + '\n';
}

void PrometheusWriter::histogram(const QByteArray &name, const QByteArray &labels,
                                 const ExplicitHistogram &histogram)
{
    const QByteArray bucket = name + "_bucket";
    const QByteArray prefix = labels.isEmpty() ? QByteArray() : labels + ',';
    quint64 cumulative = 0;
    const auto bounds = histogram.bounds();
    for (size_t i = 0; i < bounds.size(); ++i) {
        cumulative += histogram.counts()[i];
        sample(bucket, prefix + "le=\"" + number(bounds[i]) + '"', double(cumulative));
    }
    sample(bucket, prefix + "le=\"+Inf\"", double(histogram.count()));
    sample(name + "_sum", labels, histogram.sum());
    sample(name + "_count", labels, double(histogram.count()));
}

QByteArray PrometheusWriter::label(const char *key, const QString &value)
{
    return QByteArray(key) + "=\"" + escapeLabel(value) + '"';
}

QByteArray PrometheusWriter::labels(std::initializer_list<QByteArray> parts)
{
    QByteArray out;
    for (const QByteArray &part : parts) {
        if (part.isEmpty())
            continue;
        if (!out.isEmpty())
            out += ',';
        out += part;
    }
    return out;
}

QByteArray PrometheusWriter::escapeLabel(const QString &value)
{
    QByteArray out = value.toUtf8();
    out.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
    return out;
}

QByteArray PrometheusWriter::number(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    return QByteArray::number(value, 'g', 15);
}

} // namespace gp
