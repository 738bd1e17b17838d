#include "app/batch/progressreporter.h"

#include "app/batch/batchstats.h"
#include "core/events/steadyclock.h"

using namespace Qt::StringLiterals;

namespace gp {

namespace {

constexpr int TerminalIntervalMs = 200;
constexpr int PlainIntervalMs = 5000;
constexpr int BarWidth = 24;

constexpr qsizetype MaxErrorChars = 120;

QString duration(qint64 seconds)
{
    if (seconds >= 3600)
        return u"%1h%2m"_s.arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QChar(u'0'));
    if (seconds >= 60)
        return u"%1m%2s"_s.arg(seconds / 60).arg(seconds % 60, 2, 10, QChar(u'0'));
    return u"%1s"_s.arg(seconds);
}

} // namespace

ProgressReporter::ProgressReporter(const BatchStats &stats, qint64 totalLines, bool terminal, QObject *parent)
    : QObject(parent)
    , m_stats(stats)
    , m_total(totalLines)
    , m_terminal(terminal)
{
    m_timer.setInterval(terminal ? TerminalIntervalMs : PlainIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ProgressReporter::report);
}

void ProgressReporter::start()
{
    m_clock.start();
    m_timer.start();
}

void ProgressReporter::finish()
{
    if (!m_timer.isActive())
        return;
    m_timer.stop();
    if (m_terminal) {
        report();
        std::fputc('\n', stderr);
        std::fflush(stderr);
    }
}

QString ProgressReporter::line() const
{
    const qint64 done = m_stats.done() + m_stats.skipped();
    const double seconds = double(m_clock.elapsed()) / 1000.0;
    const double rate = seconds > 0 ? double(m_stats.done()) / seconds : 0.0;
    const qint64 left = std::max<qint64>(0, m_total - done);
    const QString eta = rate > 0 && m_total >= 0 ? duration(qint64(double(left) / rate)) : u"?"_s;
    QString text;
    if (m_terminal) {
        const int filled = m_total > 0 ? int(double(BarWidth) * double(done) / double(m_total)) : 0;
        text = u"["_s + QString(std::min(filled, BarWidth), u'#')
            + QString(BarWidth - std::min(filled, BarWidth), u'.') + u"] "_s;
    }
    text += u"%1/%2 done, %3 req/s, %4 x 429, %5 retries, %6 failed, "_s.arg(done)
                .arg(m_total >= 0 ? QString::number(m_total) : u"?"_s)
                .arg(rate, 0, 'f', 1)
                .arg(m_stats.http429())
                .arg(m_stats.retriesSoFar())
                .arg(m_stats.unsuccessful());
    if (m_inFlight) {
        const auto [inFlight, cap] = m_inFlight();
        text += u"in flight %1/%2, "_s.arg(inFlight).arg(cap);
    }
    const BreakerState breaker = m_stats.breakerState();
    if (breaker == BreakerState::Closed)
        text += u"breaker closed, "_s;
    else
        text += u"breaker %1 %2, "_s.arg(breakerStateName(breaker).replace(u'_', u'-'),
                                         duration((SteadyClock::nowMs() - m_stats.breakerSinceMs()) / 1000));
    QString lastError = m_stats.lastError();
    if (!lastError.isEmpty()) {
        lastError.replace(u'\n', u' ');
        if (lastError.size() > MaxErrorChars)
            lastError = lastError.left(MaxErrorChars - 3) + u"..."_s;
        text += u"last error "_s + lastError + u", "_s;
    }
    if (m_inFlight) {
        const auto [inFlight, cap] = m_inFlight();
        text += u"in flight %1/%2, "_s.arg(inFlight).arg(cap);
    }
    text += u"ETA "_s + eta;
    return text;
}

void ProgressReporter::report()
{
    const QByteArray text = line().toUtf8();
    if (m_terminal) {
        // Pad over a longer previous line instead of relying on terminal escapes.
        const qsizetype pad = std::max<qsizetype>(0, m_lastWidth - text.size());
        std::fprintf(stderr, "\r%s%s", text.constData(), QByteArray(pad, ' ').constData());
        m_lastWidth = text.size();
    } else {
        std::fprintf(stderr, "batch: %s\n", text.constData());
    }
    std::fflush(stderr);
}

} // namespace gp
