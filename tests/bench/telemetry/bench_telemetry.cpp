// Telemetry under a steady event load: N events/s into the Telemetry facade (hub, alerts,
// journal on its thread) plus a 10 Hz UI poll of three 5-minute series, for a bounded time.
// usage: bench_telemetry [seconds=60] [events_per_second=1000]   (GP_BENCH_SECONDS overrides)
// Prints peak RSS (VmHWM) and RSS sampled over time, and CPU% of one core (getrusage) per
// 10 s window, median and max, after a 10 s warm-up.
#include "core/telemetry/telemetry.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <vector>

namespace {

qint64 statusKb(const char *field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

double cpuSeconds()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
        + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// One job's worth of events, cycling through outcomes so every counter moves.
gp::Event nextEvent(quint64 n, qint64 now)
{
    gp::Event e;
    e.timeMs = now;
    e.jobId = n / 4 + 1;
    e.model = QStringLiteral("grok-4-0709");
    e.customId = QStringLiteral("bench-%1").arg(e.jobId);
    e.attempt = 1;
    switch (n % 4) {
    case 0: e.kind = gp::EventKind::Submitted; break;
    case 1: e.kind = gp::EventKind::AttemptStarted; break;
    case 2:
        e.kind = gp::EventKind::AttemptFinished;
        e.httpStatus = e.jobId % 50 == 0 ? 429 : 200;
        e.errorClass = e.jobId % 50 == 0 ? gp::ErrorClass::RateLimited : gp::ErrorClass::None;
        e.ttfbMs = 100 + qint64(e.jobId % 400);
        e.durationMs = 800 + qint64(e.jobId % 900);
        e.quota.requests.remaining = qint64(1000 - e.jobId % 1000);
        e.quota.requests.limit = 1000;
        break;
    default:
        e.kind = gp::EventKind::Succeeded;
        e.durationMs = 900 + qint64(e.jobId % 2000);
        e.usage = { 120, 300, 200, 40, 620, 1'000'000, true };
        e.message = QStringLiteral("request finished normally after one attempt");
        break;
    }
    return e;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    int seconds = args.value(1, QStringLiteral("60")).toInt();
    if (qEnvironmentVariableIsSet("GP_BENCH_SECONDS"))
        seconds = qEnvironmentVariableIntValue("GP_BENCH_SECONDS");
    seconds = std::max(seconds, 15);
    const int rate = std::max(1, args.value(2, QStringLiteral("1000")).toInt());
    QTemporaryDir dir;
    gp::Telemetry telemetry;
    gp::JournalConfig config;
    config.path = dir.filePath(QStringLiteral("bench.sqlite"));
    QString error;
    const bool journal = !qEnvironmentVariableIsSet("GP_BENCH_NO_JOURNAL"); // to split the cost
    if (journal && !telemetry.openJournal(config, &error)) {
        QTextStream(stderr) << "bench_telemetry: " << error << '\n';
        return 1;
    }
    QTextStream out(stdout);
    out << "bench_telemetry: " << rate << " events/s for " << seconds << " s, journal " << config.path
        << '\n';

    QElapsedTimer clock;
    clock.start();
    quint64 sent = 0;
    QTimer feed;
    QObject::connect(&feed, &QTimer::timeout, &telemetry, [&] {
        const quint64 due = quint64(clock.elapsed()) * quint64(rate) / 1000;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (; sent < due; ++sent)
            telemetry.record(nextEvent(sent, now));
    });
    feed.start(10);

    QList<QPointF> buffer;
    buffer.reserve(3600);
    QTimer poll; // the charts: 10 Hz, three visible series of the last 5 minutes
    QObject::connect(&poll, &QTimer::timeout, &telemetry, [&] {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (const auto field :
             { gp::MetricField::Attempts, gp::MetricField::LatencyP95, gp::MetricField::RequestsRemaining })
            telemetry.hub().recent(300'000, now, field, buffer);
    });
    poll.start(100);

    struct Sample
    {
        double wallS;
        double cpuS;
        qint64 rssKb;
        qint64 hwmKb;
    };
    std::vector<Sample> samples;
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, &telemetry, [&] {
        samples.push_back(
            { double(clock.elapsed()) / 1000.0, cpuSeconds(), statusKb("VmRSS:"), statusKb("VmHWM:") });
        if (clock.elapsed() >= qint64(seconds) * 1000 - 500)
            QCoreApplication::quit();
    });
    samples.push_back({ 0, cpuSeconds(), statusKb("VmRSS:"), statusKb("VmHWM:") });
    sampler.start(10'000);
    QCoreApplication::exec();
    if (journal)
        telemetry.journal()->flush();

    out << "  t(s)   cpu%   VmRSS(MB)  VmHWM(MB)\n";
    std::vector<double> cpu;
    for (size_t i = 1; i < samples.size(); ++i) {
        const double pct
            = 100.0 * (samples[i].cpuS - samples[i - 1].cpuS) / (samples[i].wallS - samples[i - 1].wallS);
        if (samples[i - 1].wallS >= 9.0)
            cpu.push_back(pct); // after the warm-up window
        out << QStringLiteral("  %1  %2  %3  %4\n")
                   .arg(samples[i].wallS, 5, 'f', 0)
                   .arg(pct, 5, 'f', 2)
                   .arg(double(samples[i].rssKb) / 1024.0, 9, 'f', 1)
                   .arg(double(samples[i].hwmKb) / 1024.0, 9, 'f', 1);
    }
    std::sort(cpu.begin(), cpu.end());
    const double median = cpu.empty() ? 0 : cpu[cpu.size() / 2];
    const double worst = cpu.empty() ? 0 : cpu.back();
    const qint64 rssAfterWarmup = samples.size() > 1 ? samples[1].rssKb : 0;
    out << "events sent: " << sent
        << ", journal dropped: " << (journal ? telemetry.journal()->droppedCount() : 0)
        << ", journal size: " << QFileInfo(config.path).size() / 1024 << " KiB\n";
    out << "cpu% of one core per 10 s window after warm-up: median " << QString::number(median, 'f', 2)
        << ", max " << QString::number(worst, 'f', 2) << '\n';
    out << "VmRSS after warm-up " << rssAfterWarmup / 1024 << " MB, at end " << samples.back().rssKb / 1024
        << " MB; peak VmHWM " << samples.back().hwmKb / 1024 << " MB\n";
    return 0;
}
