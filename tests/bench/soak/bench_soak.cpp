// Chaos soak: GP_SOAK_REQUESTS (default 10,000) requests through flaky-style faults and
// recurring outage windows, with cancellations and tight deadlines sprinkled in. Every
// job must finish exactly once (one finished(), one terminal event), nothing may crash,
// and memory must stay flat (VmRSS/VmHWM sampled as the run goes).
#include "core/client/client.h"
#include "core/sim/simserver.h"
#include "core/telemetry/telemetry.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

constexpr int InFlightWindow = 64; // jobs submitted but not finished
constexpr qint64 MaxRunMs = 240'000;

qint64 procStatusKb(const char *field) // VmRSS / VmHWM of this process, in kB
{
    QFile file(u"/proc/self/status"_s);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(qstrlen(field)).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

QJsonObject fault(const char *kind, double probability, const QJsonObject &extra = {})
{
    QJsonObject f = extra;
    f.insert(u"kind"_s, QString::fromLatin1(kind));
    f.insert(u"probability"_s, probability);
    return f;
}

// flaky.json's faults plus 429s, cut and broken streams, bad bodies, and a 0.7 s
// outage every 4 s (outage.json's kind of window, repeated).
QJsonObject chaosScenario()
{
    QJsonArray outages;
    for (int s = 2; s < 240; s += 4)
        outages.append(QJsonObject { { u"start_s"_s, s }, { u"duration_s"_s, 0.7 }, { u"status"_s, 503 } });
    const QJsonArray faults {
        fault("status", 0.05, { { u"status"_s, 503 } }),
        fault("status", 0.03, { { u"status"_s, 500 } }),
        fault("status", 0.03, { { u"status"_s, 529 } }),
        fault("reset_before_headers", 0.03),
        fault("rate_limit", 0.03),
        fault("reset_after_headers", 0.01),
        fault("cut_mid_stream", 0.02, { { u"after_chunks"_s, 2 } }),
        fault("stream_error_event", 0.01, { { u"after_chunks"_s, 1 } }),
        fault("malformed_json", 0.01),
        fault("truncated_body", 0.01),
    };
    return QJsonObject {
        { u"name"_s, u"soak"_s },
        { u"headers"_s, u"openai"_s },
        { u"retry_after"_s, u"seconds"_s },
        { u"limits"_s, QJsonObject { { u"requests_per_second"_s, 100000 }, { u"burst"_s, 100000 } } },
        { u"completion"_s, QJsonObject { { u"words"_s, 6 }, { u"chunk_interval_ms"_s, 0 } } },
        { u"faults"_s, faults },
        { u"outages"_s, outages },
    };
}

gp::ClientConfig soakConfig(const QUrl &baseUrl)
{
    gp::ClientConfig c;
    c.baseUrl = baseUrl;
    c.apiKey = u"soak-key"_s;
    c.apiKeySource = u"SOAK"_s;
    c.retry.baseMs = 5;
    c.retry.capMs = 200;
    c.retry.maxAttempts = 6;
    c.retry.hintCeilingMs = 2000; // Retry-After: 1 on 429s is honoured
    // With ~25% failing attempts and every attempt failing in outages, the default budget
    // (20%, at least 3 retries/s) lets retries through at ~3/s: 10,000 jobs would take an
    // hour. The soak is about lifecycles and memory, so the budget is widened.
    c.retry.budgetRatio = 0.6;
    c.retry.budgetMinPerSecond = 100;
    c.timeouts.firstByteMs = 5000;
    c.timeouts.idleMs = 5000;
    c.breaker.cooldownMs = 300; // outages open the breaker; keep the run short
    if (qEnvironmentVariableIsSet("GP_SOAK_NO_BREAKER")) // to tell breaker waits from others
        c.breaker.consecutiveFailures = c.breaker.minSamples = 1'000'000;
    c.maxInFlight = 32;
    c.randomSeed = 11;
    return c;
}

struct Figures
{
    QHash<gp::JobStatus, int> byStatus;
    int finishedSignals = 0;
    int terminalEvents = 0;
    int duplicates = 0;
    int attempts = 0;
    int retries = 0;
    int cancelsAsked = 0;
    int breakerOpened = 0;
    qint64 longestPauseMs = 0; // between two attempts starting
    qint64 longestPauseAtMs = 0;
    QList<QString> timeline; // breaker transitions and long retry delays, for the log
    QList<std::pair<int, qint64>> rssKb; // (jobs finished, VmRSS)
    QList<std::pair<int, qint64>> hwmKb;
};

} // namespace

class BenchSoak final : public QObject
{
    Q_OBJECT

private slots:
    void soak();

private:
    void submitOne(gp::Client &client, int index);

    QRandomGenerator m_random { 20261124 };
    Figures m_figures;
    // By job id (1..total, preallocated): the bench's own bookkeeping must not grow per job.
    std::vector<quint8> m_finishCount;
    std::vector<quint8> m_terminalCount;
    int m_finished = 0;
};

// 3% cancelled at a random stage (queued, in flight, mid-stream, in backoff); 3% with
// a deadline too short for retries.
void BenchSoak::submitOne(gp::Client &client, int index)
{
    gp::ChatRequest request;
    request.model = u"grok-4"_s;
    request.messages = { gp::ChatMessage { u"user"_s, u"soak request %1"_s.arg(index) } };
    request.maxCompletionTokens = 16;
    gp::RequestOptions options;
    options.stream = index % 2 == 0;
    options.customId = u"soak-%1"_s.arg(index);
    const int roll = m_random.bounded(100);
    if (roll < 3)
        options.deadlineMs = 20 + m_random.bounded(80);
    gp::RequestJob *job = client.submit(request, options);
    connect(job, &gp::RequestJob::finished, this, [this, job](const gp::Outcome &outcome) {
        if (job->id() >= m_finishCount.size() || ++m_finishCount[job->id()] > 1)
            ++m_figures.duplicates;
        ++m_figures.finishedSignals;
        ++m_figures.byStatus[outcome.status];
        ++m_finished;
    });
    if (roll >= 3 && roll < 6) {
        ++m_figures.cancelsAsked;
        const auto cancel = [job] { job->cancel(); };
        switch (roll) {
        case 3: job->cancel(); break; // while queued
        case 4: connect(job, &gp::RequestJob::attemptStarted, job, cancel, Qt::QueuedConnection); break;
        default:
            connect(job, &gp::RequestJob::streamDelta, job, cancel, Qt::QueuedConnection);
            connect(job, &gp::RequestJob::retryScheduled, job, cancel, Qt::QueuedConnection);
            break;
        }
    }
}

void BenchSoak::soak()
{
    const int total = qEnvironmentVariableIntValue("GP_SOAK_REQUESTS") > 0
        ? qEnvironmentVariableIntValue("GP_SOAK_REQUESTS")
        : 10000;
    m_finishCount.assign(size_t(total) + 1, 0); // the client numbers jobs from 1
    m_terminalCount.assign(size_t(total) + 1, 0);
    gp::sim::SimServer server;
    QString error;
    QVERIFY2(server.setScenarioJson(chaosScenario(), &error), qPrintable(error));
    server.setSeed(5);
    QVERIFY(server.listen(0));
    gp::Client client(soakConfig(server.baseUrl()));
    QTemporaryDir dir;
    gp::Telemetry telemetry; // the journal and metrics listen to all of it, as in the app
    gp::JournalConfig journal;
    journal.path = dir.filePath(u"soak.sqlite"_s);
    QVERIFY2(telemetry.openJournal(journal, &error), qPrintable(error));
    if (!qEnvironmentVariableIsSet("GP_SOAK_NO_TELEMETRY")) // to tell the journal's memory from the client's
        telemetry.attach(&client);
    QElapsedTimer clock;
    clock.start();
    qint64 lastAttemptMs = 0;
    connect(&client, &gp::Client::eventEmitted, this, [this, &clock, &lastAttemptMs](const gp::Event &e) {
        const qint64 now = clock.elapsed();
        if (e.kind == gp::EventKind::BreakerOpened || e.kind == gp::EventKind::BreakerHalfOpen
            || e.kind == gp::EventKind::BreakerClosed
            || (e.kind == gp::EventKind::RetryScheduled && e.delayMs > 500))
            m_figures.timeline.append(
                u"%1 ms %2 %3"_s.arg(now).arg(gp::eventKindName(e.kind)).arg(e.delayMs));
        if (e.kind == gp::EventKind::AttemptStarted) {
            if (now - lastAttemptMs > m_figures.longestPauseMs) {
                m_figures.longestPauseMs = now - lastAttemptMs;
                m_figures.longestPauseAtMs = now;
            }
            lastAttemptMs = now;
            ++m_figures.attempts;
            m_figures.retries += e.attempt > 1 ? 1 : 0;
        } else if (e.kind == gp::EventKind::BreakerOpened) {
            ++m_figures.breakerOpened;
        } else if (gp::isTerminal(e.kind)) {
            ++m_figures.terminalEvents;
            if (e.jobId < m_terminalCount.size())
                m_terminalCount[e.jobId] = quint8(std::min(m_terminalCount[e.jobId] + 1, 255));
        }
    });

    QTimer heartbeat; // wakes the loop below so the time cap is checked even when idle
    heartbeat.start(100);
    connect(&heartbeat, &QTimer::timeout, this, [] {});
    int submitted = 0;
    int nextSample = 0;
    const int sampleEvery = qMax(1, total / 10);
    while (m_finished < total && clock.elapsed() < MaxRunMs) {
        while (submitted < total && submitted - m_finished < InFlightWindow)
            submitOne(client, submitted++);
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        if (m_finished >= nextSample) {
            m_figures.rssKb.append({ m_finished, procStatusKb("VmRSS:") });
            m_figures.hwmKb.append({ m_finished, procStatusKb("VmHWM:") });
            nextSample += sampleEvery;
        }
    }
    const qint64 elapsedMs = clock.elapsed();
    QVERIFY(telemetry.journal()->flush());
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    m_figures.rssKb.append({ m_finished, procStatusKb("VmRSS:") });
    m_figures.hwmKb.append({ m_finished, procStatusKb("VmHWM:") });

    std::printf("soak: %d jobs in %.1f s (%.0f jobs/s); attempts %d, retries %d, breaker opened %d times\n",
                m_finished, elapsedMs / 1000.0, m_finished * 1000.0 / qMax<qint64>(1, elapsedMs),
                m_figures.attempts, m_figures.retries, m_figures.breakerOpened);
    std::printf("soak: succeeded %d, failed %d, cancelled %d (asked %d), interrupted %d\n",
                m_figures.byStatus.value(gp::JobStatus::Succeeded),
                m_figures.byStatus.value(gp::JobStatus::Failed),
                m_figures.byStatus.value(gp::JobStatus::Cancelled), m_figures.cancelsAsked,
                m_figures.byStatus.value(gp::JobStatus::Interrupted));
    std::printf("soak: finished() %d, terminal events %d, duplicates %d, client.activeJobs() %d\n",
                m_figures.finishedSignals, m_figures.terminalEvents, m_figures.duplicates,
                client.activeJobs());
    std::printf("soak: sim %s\n",
                QJsonDocument(server.stats()).toJson(QJsonDocument::Compact).left(400).constData());
    for (qsizetype i = 0; i < m_figures.rssKb.size(); ++i)
        std::printf("soak: after %5d jobs VmRSS %6lld kB VmHWM %6lld kB\n", m_figures.rssKb.at(i).first,
                    m_figures.rssKb.at(i).second, m_figures.hwmKb.at(i).second);
    std::printf("soak: longest pause between attempts %lld ms (ending at %lld ms)\n",
                m_figures.longestPauseMs, m_figures.longestPauseAtMs);
    if (qEnvironmentVariableIsSet("GP_SOAK_TIMELINE")) {
        for (const QString &line : std::as_const(m_figures.timeline))
            std::printf("soak: %s\n", qPrintable(line));
    }
    std::fflush(stdout);

    QCOMPARE(m_finished, total);
    QCOMPARE(m_figures.duplicates, 0);
    QCOMPARE(m_figures.finishedSignals, total);
    QCOMPARE(m_figures.terminalEvents, total);
    for (size_t id = 1; id < m_terminalCount.size(); ++id)
        QVERIFY2(m_terminalCount[id] == 1,
                 qPrintable(u"job %1: %2 terminal events"_s.arg(id).arg(m_terminalCount[id])));
    QCOMPARE(client.activeJobs(), 0);
    // Flat memory: from 20% of the run to the end, peak RSS grows by less than 32 MB.
    const qint64 early = m_figures.hwmKb.at(qMin<qsizetype>(2, m_figures.hwmKb.size() - 1)).second;
    const qint64 last = m_figures.hwmKb.constLast().second;
    QVERIFY2(last - early < 32 * 1024, qPrintable(u"VmHWM grew %1 kB"_s.arg(last - early)));
}

QTEST_GUILESS_MAIN(BenchSoak)
#include "bench_soak.moc"
