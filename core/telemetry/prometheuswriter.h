#pragma once

#include <QByteArray>
#include <QString>

#include <initializer_list>

namespace gp {

class ExplicitHistogram;

// Builds Prometheus text exposition format 0.0.4: one # HELP / # TYPE per family, then samples.
class PrometheusWriter final
{
public:
    void family(const char *name, const char *type, const char *help);
    void sample(const QByteArray &name, const QByteArray &labels, double value);
    // name_bucket{labels,le="..."} (cumulative, +Inf last), name_sum and name_count.
    void histogram(const QByteArray &name, const QByteArray &labels, const ExplicitHistogram &histogram);

    // key="value", the value escaped (backslash, double quote, newline).
    static QByteArray label(const char *key, const QString &value);
    // Non-empty parts joined with commas.
    static QByteArray labels(std::initializer_list<QByteArray> parts);
    static QByteArray escapeLabel(const QString &value);
    static QByteArray number(double value);

    QByteArray take() { return std::move(m_out); }

private:
    QByteArray m_out;
};

} // namespace gp
