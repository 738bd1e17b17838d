// The one steady clock: on the base Qt's timers use, never going back.
#include "core/events/steadyclock.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QTest>

using namespace Qt::StringLiterals;

class TestSteadyClock final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sharesQtsMonotonicBase();
    void neverGoesBack();
};

void TestSteadyClock::sharesQtsMonotonicBase()
{
    // Our clock read between two reads of Qt's: the same base, so tickets and QDeadlineTimer
    // agree. Bracketed, not "within 50 ms", so a loaded machine cannot fail it.
    const qint64 before = QDeadlineTimer::current(Qt::PreciseTimer).deadline();
    const qint64 now = gp::SteadyClock::nowMs();
    const qint64 after = QDeadlineTimer::current(Qt::PreciseTimer).deadline();
    QVERIFY2(before <= now && now <= after, qPrintable(u"%1 <= %2 <= %3"_s.arg(before).arg(now).arg(after)));
    QElapsedTimer elapsed;
    elapsed.start();
    const qint64 start = elapsed.msecsSinceReference();
    const qint64 read = gp::SteadyClock::nowMs();
    QElapsedTimer later;
    later.start();
    QVERIFY2(start <= read && read <= later.msecsSinceReference(),
             qPrintable(u"%1 <= %2 <= %3"_s.arg(start).arg(read).arg(later.msecsSinceReference())));
}

void TestSteadyClock::neverGoesBack()
{
    qint64 last = gp::SteadyClock::nowMs();
    QElapsedTimer spin;
    spin.start();
    while (spin.elapsed() < 20) {
        const qint64 now = gp::SteadyClock::nowMs();
        QVERIFY(now >= last);
        last = now;
    }
    QElapsedTimer end;
    end.start();
    QVERIFY(last <= end.msecsSinceReference());
}

QTEST_GUILESS_MAIN(TestSteadyClock)
#include "tst_steadyclock.moc"
