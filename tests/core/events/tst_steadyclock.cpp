// The one steady clock: on the base Qt's timers use, never going back.
#include "core/events/steadyclock.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QTest>

class TestSteadyClock final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sharesQtsMonotonicBase();
    void neverGoesBack();
};

void TestSteadyClock::sharesQtsMonotonicBase()
{
    // A deadline 5 s out, read on our clock, is 5 s out: tickets and QDeadlineTimer agree.
    const QDeadlineTimer deadline(5000, Qt::PreciseTimer);
    const qint64 now = gp::SteadyClock::nowMs();
    QVERIFY2(qAbs(deadline.deadline() - now - 5000) <= 50,
             qPrintable(QString::number(deadline.deadline() - now)));
    QElapsedTimer elapsed;
    elapsed.start();
    QVERIFY(qAbs(elapsed.msecsSinceReference() - gp::SteadyClock::nowMs()) <= 50);
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
    QVERIFY(last - spin.msecsSinceReference() <= 50);
}

QTEST_GUILESS_MAIN(TestSteadyClock)
#include "tst_steadyclock.moc"
