#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <utility>

namespace gp {

class BatchStats;

// Progress on stderr: on a terminal a one-line bar redrawn with \r at most 5 times a
// second; otherwise a plain line every 5 s.
class ProgressReporter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProgressReporter)

public:
    ProgressReporter(const BatchStats &stats, qint64 totalLines, bool terminal, QObject *parent = nullptr);

    // Requests on the wire now and the cap they may reach ("in flight 64/64").
    using InFlight = std::function<std::pair<int, int>()>;
    void setInFlight(InFlight source) { m_inFlight = std::move(source); }
    void start();
    void finish(); // last redraw, ends the bar's line

    QString line() const;

private:
    void report();

    const BatchStats &m_stats;
    qint64 m_total = 0;
    bool m_terminal = false;
    QElapsedTimer m_clock;
    QTimer m_timer;
    qsizetype m_lastWidth = 0;
    InFlight m_inFlight;
};

} // namespace gp
