// The headline strip: numbers for quota left, reset, spend, error/retry rate, latency,
// throughput and in flight vs cap, on every view, agreeing with the status bar.
#include "core/client/client.h"
#include "core/telemetry/telemetry.h"
#include "sessionfixture.h"
#include "ui/headlinestats.h"
#include "ui/mainwindow.h"
#include "ui/sparkline.h"
#include "ui/statstrip.h"
#include "ui/stattile.h"
#include "ui/statuspanel.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QRegularExpression>

using namespace gp;

namespace {

RequestJob *sendOne(ConsoleSession &session)
{
    ChatRequest request;
    request.messages = { { QStringLiteral("user"), QStringLiteral("hi") } };
    request.maxCompletionTokens = 16;
    RequestJob *job = session.client()->submit(request);
    return job;
}

} // namespace

class TestStatTiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void quotaTilesShowNumbers();
    void visibleOnEveryView_data();
    void visibleOnEveryView();
    void inFlightAgreesWithStatusBar();
    void errorRateCountsFailures();
    void countsFitATile_data();
    void countsFitATile();
    void resetReadsTheSameOnTileAndBar_data();
    void resetReadsTheSameOnTileAndBar();
    void quotaLeftIsFullAfterItsReset_data();
    void quotaLeftIsFullAfterItsReset();
    void longDetailIsElided();
};

void TestStatTiles::quotaTilesShowNumbers()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("tight-quota"));
    MainWindow window(session.get());
    window.show();
    StatStrip *strip = window.statStrip();
    QVERIFY(strip);
    QCOMPARE(strip->tiles().size(), StatStrip::tileIds().size());
    QCOMPARE(strip->tile(QStringLiteral("requests"))->value(), QStringLiteral("—"));
    for (int i = 0; i < 3; ++i)
        sendOne(*session);
    QTRY_VERIFY_WITH_TIMEOUT(strip->stats().successes >= 3, 10000);
    strip->refresh();
    StatTile *requests = strip->tile(QStringLiteral("requests"));
    QVERIFY2(QRegularExpression(QStringLiteral("^\\d+$")).match(requests->value()).hasMatch(),
             qPrintable(requests->value()));
    QVERIFY2(QRegularExpression(QStringLiteral("^/ \\d+$")).match(requests->unit()).hasMatch(),
             qPrintable(requests->unit()));
    QVERIFY2(requests->detail().contains(QStringLiteral("headers")), qPrintable(requests->detail()));
    QVERIFY(requests->level() != StatTile::Level::Unknown);
    QVERIFY2(strip->tile(QStringLiteral("reset"))->value() != QStringLiteral("—"),
             qPrintable(strip->tile(QStringLiteral("reset"))->value()));
    QVERIFY2(strip->tile(QStringLiteral("spend"))->value().startsWith(u'$'),
             qPrintable(strip->tile(QStringLiteral("spend"))->value()));
    QVERIFY(strip->tile(QStringLiteral("latency"))->value() != QStringLiteral("—"));
    QCOMPARE(strip->tile(QStringLiteral("errors"))->value(), QStringLiteral("0.0%"));
    QVERIFY(strip->tile(QStringLiteral("throughput"))->value().toDouble() >= 3.0);
    QVERIFY(strip->tile(QStringLiteral("requests"))->sparkline()->pointCount() > 0);
}

void TestStatTiles::visibleOnEveryView_data()
{
    QTest::addColumn<QString>("view");
    for (const QString &view : MainWindow::viewNames())
        QTest::newRow(qPrintable(view)) << view;
}

void TestStatTiles::visibleOnEveryView()
{
    QFETCH(QString, view);
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    MainWindow window(session.get());
    window.resize(1024, 700);
    window.show();
    QVERIFY(window.setCurrentView(view));
    QVERIFY(window.statStrip()->isVisible());
    for (StatTile *tile : window.statStrip()->tiles()) {
        QVERIFY2(tile->isVisible(), qPrintable(tile->id()));
        QVERIFY2(tile->width() >= 60, qPrintable(tile->id())); // readable at 1024 px
    }
}

void TestStatTiles::inFlightAgreesWithStatusBar()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    session->simulator()->enqueueFaults(
        QJsonArray { QJsonObject { { QStringLiteral("kind"), QStringLiteral("stall_before_headers") },
                                   { QStringLiteral("ms"), 20000 } } });
    MainWindow window(session.get());
    window.show();
    RequestJob *job = sendOne(*session);
    StatTile *inflight = window.statStrip()->tile(QStringLiteral("inflight"));
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            window.statStrip()->refresh();
            return inflight->value() == u"1";
        }(),
        5000);
    window.statusPanel()->refresh();
    QVERIFY2(inflight->unit().startsWith(QStringLiteral("/ ")), qPrintable(inflight->unit()));
    const QString cap = inflight->unit().section(u' ', 1, 1);
    QVERIFY2(window.statusPanel()->text().contains(QStringLiteral("In flight: 1 of ") + cap),
             qPrintable(window.statusPanel()->text()));
    QVERIFY2(!window.statusPanel()->text().contains(QStringLiteral("i/n/b")),
             qPrintable(window.statusPanel()->text()));
    job->cancel();
    window.statStrip()->refresh();
    window.statusPanel()->refresh();
    QCOMPARE(inflight->value(), QStringLiteral("0"));
    QVERIFY2(window.statusPanel()->text().contains(QStringLiteral("In flight: 0")),
             qPrintable(window.statusPanel()->text()));
}

void TestStatTiles::errorRateCountsFailures()
{
    QTemporaryDir dir;
    ConsoleSettings settings;
    settings.retry.maxAttempts = 1;
    auto session = test::startSession(dir, QStringLiteral("steady"), settings);
    QJsonArray faults;
    for (int i = 0; i < 2; ++i)
        faults.append(QJsonObject { { QStringLiteral("kind"), QStringLiteral("status") },
                                    { QStringLiteral("status"), 503 } });
    session->simulator()->enqueueFaults(faults);
    MainWindow window(session.get());
    window.show();
    for (int i = 0; i < 4; ++i)
        sendOne(*session);
    StatStrip *strip = window.statStrip();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            strip->refresh();
            return strip->stats().attempts >= 4;
        }(),
        10000);
    StatTile *errors = strip->tile(QStringLiteral("errors"));
    QCOMPARE(errors->value(), QStringLiteral("50%"));
    QVERIFY2(errors->detail().startsWith(QStringLiteral("2 of 4 attempts")), qPrintable(errors->detail()));
    QCOMPARE(errors->level(), StatTile::Level::Bad);
}

void TestStatTiles::countsFitATile_data()
{
    QTest::addColumn<qint64>("n");
    QTest::addColumn<QString>("shown");
    QTest::newRow("small") << qint64(9'999) << QStringLiteral("9999");
    QTest::newRow("thousands") << qint64(12'345) << QStringLiteral("12.3k");
    QTest::newRow("hundred thousands") << qint64(500'000) << QStringLiteral("500k");
    QTest::newRow("millions") << qint64(2'000'000) << QStringLiteral("2.00M");
    QTest::newRow("tens of millions") << qint64(50'000'000) << QStringLiteral("50.0M");
    QTest::newRow("hundreds of millions") << qint64(200'000'000) << QStringLiteral("200M");
}

// At most three significant digits past 10k: "50.0M / 50.0M" fits the tokens tile at 1024 px.
void TestStatTiles::countsFitATile()
{
    QFETCH(qint64, n);
    QFETCH(QString, shown);
    QCOMPARE(HeadlineStats::count(n), shown);
}

void TestStatTiles::resetReadsTheSameOnTileAndBar_data()
{
    QTest::addColumn<qint64>("reportedAgoMs"); // when the quota headers came; -1: never
    QTest::addColumn<qint64>("resetInMs"); // what they said
    QTest::addColumn<QString>("value"); // the tile's number
    QTest::addColumn<QString>("detail");
    QTest::addColumn<QString>("bar"); // the status bar's sentence
    QTest::newRow("ahead") << qint64(0) << qint64(40'000) << QStringLiteral("^in (3\\d|40) s$")
                           << QStringLiteral("^then it refills$")
                           << QStringLiteral("^Quota resets in (3\\d|40) s$");
    QTest::newRow("soon") << qint64(0) << qint64(3'000) << QStringLiteral("^in [123]\\.\\d s$")
                          << QStringLiteral("^then it refills$")
                          << QStringLiteral("^Quota resets in [123]\\.\\d s$");
    QTest::newRow("passed") << qint64(20'000) << qint64(11'000) << QStringLiteral("^done$")
                            << QStringLiteral("^(9\\.\\d|1\\d) s ago$")
                            << QStringLiteral("^Quota reset (9\\.\\d|1\\d) s ago, next not announced yet$");
    QTest::newRow("long passed") << qint64(600'000) << qint64(60'000) << QStringLiteral("^done$")
                                 << QStringLiteral("^9 min ago$")
                                 << QStringLiteral("^Quota reset 9 min ago, next not announced yet$");
    QTest::newRow("never") << qint64(-1) << qint64(0) << QStringLiteral("^—$")
                           << QStringLiteral("^none announced$")
                           << QStringLiteral("^No quota reset announced$");
}

// "Quota reset in: now / reset 9 s ago" read wrong: the tile and the status bar say when the
// quota comes back, that it did (and nothing newer is known), or that none is announced, alike.
void TestStatTiles::resetReadsTheSameOnTileAndBar()
{
    QFETCH(qint64, reportedAgoMs);
    QFETCH(qint64, resetInMs);
    QFETCH(QString, value);
    QFETCH(QString, detail);
    QFETCH(QString, bar);
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    if (reportedAgoMs >= 0) {
        Event quota;
        quota.kind = EventKind::QuotaUpdated;
        quota.timeMs = QDateTime::currentMSecsSinceEpoch() - reportedAgoMs;
        quota.quota.requests.remaining = 3;
        quota.quota.requests.limit = 60;
        quota.quota.requests.resetInMs = resetInMs;
        session->telemetry()->record(quota);
    }
    MainWindow window(session.get());
    window.show();
    window.statStrip()->refresh();
    window.statusPanel()->refresh();
    StatTile *reset = window.statStrip()->tile(QStringLiteral("reset"));
    QCOMPARE(reset->title(), QStringLiteral("Quota reset"));
    QVERIFY2(QRegularExpression(value).match(reset->value()).hasMatch(), qPrintable(reset->value()));
    QVERIFY2(QRegularExpression(detail).match(reset->detail()).hasMatch(), qPrintable(reset->detail()));
    const QString status = window.statusPanel()->text().section(QStringLiteral(" | "), 4, 4);
    QVERIFY2(QRegularExpression(bar).match(status).hasMatch(), qPrintable(status));
}

void TestStatTiles::quotaLeftIsFullAfterItsReset_data()
{
    QTest::addColumn<qint64>("requestsResetInMs"); // what the headers said 20 s ago
    QTest::addColumn<qint64>("tokensResetInMs");
    QTest::addColumn<QString>("requests"); // the tiles' numbers now
    QTest::addColumn<QString>("requestsDetail");
    QTest::addColumn<QString>("tokens");
    QTest::newRow("requests reset, tokens not yet")
        << qint64(11'000) << qint64(60'000) << QStringLiteral("60")
        << QStringLiteral("^full again · headers$") << QStringLiteral("200");
    QTest::newRow("tokens reset, requests not yet")
        << qint64(60'000) << qint64(5'000) << QStringLiteral("3") << QStringLiteral("^5\\.0% · headers$")
        << QStringLiteral("10.0k");
    QTest::newRow("neither") << qint64(60'000) << qint64(60'000) << QStringLiteral("3")
                             << QStringLiteral("^5\\.0% · headers$") << QStringLiteral("200");
}

// "Requests left 3 / 60" stayed on the tile long after the server's announced reset had passed
// (and a tokens reset read as the requests quota's): each dimension comes back full at its own reset.
void TestStatTiles::quotaLeftIsFullAfterItsReset()
{
    QFETCH(qint64, requestsResetInMs);
    QFETCH(qint64, tokensResetInMs);
    QFETCH(QString, requests);
    QFETCH(QString, requestsDetail);
    QFETCH(QString, tokens);
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    Event quota;
    quota.kind = EventKind::QuotaUpdated;
    quota.timeMs = QDateTime::currentMSecsSinceEpoch() - 20'000;
    quota.quota.requests = { .limit = 60, .remaining = 3, .resetInMs = requestsResetInMs, .windowMs = {} };
    quota.quota.tokens = { .limit = 10000, .remaining = 200, .resetInMs = tokensResetInMs, .windowMs = {} };
    session->telemetry()->record(quota);
    MainWindow window(session.get());
    window.show();
    window.statStrip()->refresh();
    StatTile *requestsTile = window.statStrip()->tile(QStringLiteral("requests"));
    QCOMPARE(requestsTile->value(), requests);
    QCOMPARE(requestsTile->unit(), QStringLiteral("/ 60"));
    QVERIFY2(QRegularExpression(requestsDetail).match(requestsTile->detail()).hasMatch(),
             qPrintable(requestsTile->detail()));
    QCOMPARE(window.statStrip()->tile(QStringLiteral("tokens"))->value(), tokens);
}

// A detail wider than its tile ends in "…" instead of being cut mid-letter; the whole text stays
// in detail() and the tooltip, and comes back when the tile is wide enough.
void TestStatTiles::longDetailIsElided()
{
    StatTile tile(QStringLiteral("requests"), QStringLiteral("Requests left"), QStringLiteral("help"));
    tile.resize(130, 80);
    tile.show();
    QVERIFY(QTest::qWaitForWindowExposed(&tile));
    const QString whole = QStringLiteral("remembered, 12 min ago grok-4-0709");
    tile.setValue(QStringLiteral("2.0"), QStringLiteral("req/s"), whole, StatTile::Level::Unknown);
    const auto shown = [&tile, &whole]() -> QString {
        for (const QLabel *label : tile.findChildren<QLabel *>()) {
            if (label->text().endsWith(u'…') || label->text() == whole)
                return label->text();
        }
        return {};
    };
    QVERIFY2(shown().endsWith(u'…'), qPrintable(shown()));
    QVERIFY(whole.startsWith(shown().chopped(1)));
    QCOMPARE(tile.detail(), whole);
    QVERIFY(tile.toolTip().contains(whole));
    tile.resize(600, 80);
    QTRY_COMPARE(shown(), whole);
}

QTEST_MAIN(TestStatTiles)
#include "tst_stattiles.moc"
