// Console under load: 100 requests/s against the in-process simulator with the charts
// view showing. Reports the UI thread's worst event-loop stall (a 10 ms timer's
// lateness), memory growth after warm-up, and the cost of one chart frame per window.
//   bench_ui_console [SECONDS=60] [RATE=100]
#include "core/sim/simserver.h"
#include "ui/charts/chartpanel.h"
#include "ui/consolesession.h"
#include "ui/consolesettings.h"
#include "ui/demotraffic.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

using namespace gp;

namespace {

double rssMb()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1.0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toDouble() * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0)
                             : -1.0;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    return v[size_t(p * double(v.size() - 1))];
}

// Median cost of one full chart refresh at a window (21 frames).
std::pair<double, double> frameCost(ChartPanel *charts, ChartPanel::Span span)
{
    charts->setSpan(span);
    std::vector<double> costs;
    for (int i = 0; i < 21; ++i) {
        charts->refresh();
        costs.push_back(charts->lastRefreshMs());
    }
    return { percentile(costs, 0.5), *std::max_element(costs.begin(), costs.end()) };
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const int seconds = argc > 1 ? std::max(5, atoi(argv[1])) : 60;
    const double rate = argc > 2 ? std::max(1.0, atof(argv[2])) : 100.0;
    QTemporaryDir dir;
    ConsoleSettings settings;
    settings.demoRatePerSecond = 0.0;
    settings.maxInFlight = 64;
    SessionOptions options;
    options.simulate = true;
    options.scenario = QStringLiteral("steady");
    options.journalPath = dir.filePath(QStringLiteral("journal.sqlite"));
    ConsoleSession session(settings, options);
    QString error;
    if (!session.start(&error)) {
        QTextStream(stderr) << "bench: " << error << '\n';
        return 1;
    }
    const QJsonObject scenario = QJsonDocument::fromJson(R"({"name":"bench","headers":"openai",
        "limits":{"requests_per_second":1000,"burst":1000},
        "completion":{"words":16,"chunk_interval_ms":0},
        "faults":[{"kind":"status","status":503,"probability":0.03}]})")
                                     .object();
    if (!session.simulator()->setScenarioJson(scenario, &error)) {
        QTextStream(stderr) << "bench: " << error << '\n';
        return 1;
    }
    MainWindow window(&session);
    window.setCurrentView(QStringLiteral("charts"));
    window.show();

    // Frame costs while traffic flows: the first third at 5 min, then 1 h, then 24 h.
    std::vector<double> liveFrames[3];
    int lastRefresh = window.chartPanel()->refreshCount();
    std::vector<double> lateness;
    lateness.reserve(size_t(seconds) * 110);
    QElapsedTimer sinceTick;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(10);
    QObject::connect(&probe, &QTimer::timeout, &app, [&] {
        lateness.push_back(std::max(0.0, double(sinceTick.nsecsElapsed()) / 1e6 - 10.0));
        sinceTick.restart();
        if (window.chartPanel()->refreshCount() != lastRefresh) {
            lastRefresh = window.chartPanel()->refreshCount();
            liveFrames[int(window.chartPanel()->span())].push_back(window.chartPanel()->lastRefreshMs());
        }
    });
    double rssWarm = 0.0;
    double rssPeak = 0.0;
    QTimer sampler;
    sampler.setInterval(1000);
    int elapsed = 0;
    QObject::connect(&sampler, &QTimer::timeout, &app, [&] {
        ++elapsed;
        const double rss = rssMb();
        if (elapsed == std::min(10, seconds / 3))
            rssWarm = rss;
        rssPeak = std::max(rssPeak, rss);
        if (elapsed == seconds / 3)
            window.chartPanel()->setSpan(ChartPanel::Span::OneHour);
        else if (elapsed == 2 * seconds / 3)
            window.chartPanel()->setSpan(ChartPanel::Span::OneDay);
        if (elapsed >= seconds)
            QApplication::quit();
    });
    window.demoTraffic()->setRate(rate);
    window.demoTraffic()->start();
    sinceTick.start();
    probe.start();
    sampler.start();
    QApplication::exec();
    window.demoTraffic()->stop();
    probe.stop();
    const double rssEnd = rssMb();

    const auto [five, fiveMax] = frameCost(window.chartPanel(), ChartPanel::Span::FiveMinutes);
    const auto [hour, hourMax] = frameCost(window.chartPanel(), ChartPanel::Span::OneHour);
    const auto [day, dayMax] = frameCost(window.chartPanel(), ChartPanel::Span::OneDay);
    // The same 24 h frame with one client picked and split by client (the demo is the console's own).
    window.chartPanel()->selectClient(QStringLiteral("console"));
    const auto [dayOne, dayOneMax] = frameCost(window.chartPanel(), ChartPanel::Span::OneDay);
    window.chartPanel()->selectClient(QStringLiteral("split"));
    const auto [daySplit, daySplitMax] = frameCost(window.chartPanel(), ChartPanel::Span::OneDay);
    const QJsonObject stats = session.simulator()->stats();

    QTextStream out(stdout);
    out << "ui console bench: " << seconds << " s at " << rate << " requests/s, charts view visible\n";
    out << "  demo requests submitted:  " << window.demoTraffic()->sent() << "\n";
    out << "  simulator stats:          " << QJsonDocument(stats).toJson(QJsonDocument::Compact).left(300)
        << "\n";
    out << "  event-loop stall (10 ms timer lateness): max "
        << *std::max_element(lateness.begin(), lateness.end()) << " ms, p99 " << percentile(lateness, 0.99)
        << " ms, median " << percentile(lateness, 0.5) << " ms over " << lateness.size() << " ticks\n";
    out << "  RSS after warm-up " << rssWarm << " MB, peak " << rssPeak << " MB, end " << rssEnd
        << " MB (growth " << (rssEnd - rssWarm) << " MB)\n";
    out << "  chart frame under load (5 charts), median [max] over the frames drawn:";
    for (int s = 0; s < 3; ++s)
        out << (s == 0       ? " 5 min "
                    : s == 1 ? ", 1 h "
                             : ", 24 h ")
            << percentile(liveFrames[s], 0.5) << " ms ["
            << (liveFrames[s].empty() ? 0.0 : *std::max_element(liveFrames[s].begin(), liveFrames[s].end()))
            << "] (" << liveFrames[s].size() << " frames)";
    out << "\n";
    out << "  chart frame after the run, median of 21 [max]: 5 min " << five << " ms [" << fiveMax
        << "], 1 h " << hour << " ms [" << hourMax << "], 24 h " << day << " ms [" << dayMax << "]\n";
    out << "  24 h frame by client, median of 21 [max]: one client " << dayOne << " ms [" << dayOneMax
        << "], split by client " << daySplit << " ms [" << daySplitMax << "]\n";
    const bool ok = day < 10.0 && dayOne < 10.0 && daySplit < 10.0 && percentile(liveFrames[2], 0.5) < 10.0;
    out << (ok ? "  PASS" : "  FAIL") << ": 24 h frame under 10 ms (median, under load and after)\n";
    return ok ? 0 : 1;
}
