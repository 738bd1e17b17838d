// Test helper for tst_journalcrash: journals events in a loop until it is killed.
// usage: journal_crash_writer PATH
#include "core/telemetry/journal.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QTextStream>
#include <QTimer>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 2)
        return 2;
    gp::JournalConfig config;
    config.path = QString::fromLocal8Bit(argv[1]);
    config.flushIntervalMs = 50;
    gp::Journal journal;
    QString error;
    if (!journal.open(config, &error)) {
        QTextStream(stderr) << error << '\n';
        return 1;
    }
    quint64 nextJob = 1;
    QTimer timer;
    QObject::connect(&timer, &QTimer::timeout, &journal, [&journal, &nextJob] {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (int i = 0; i < 10; ++i, ++nextJob) {
            gp::Event e;
            e.timeMs = now;
            e.jobId = nextJob;
            e.kind = gp::EventKind::Submitted;
            e.customId = QStringLiteral("crash-%1").arg(nextJob);
            e.message = QStringLiteral("a message long enough to fill pages, job %1").arg(nextJob);
            journal.append(e);
            e.kind = gp::EventKind::Succeeded;
            e.durationMs = 5;
            journal.append(e);
        }
    });
    timer.start(2);
    return QCoreApplication::exec();
}
