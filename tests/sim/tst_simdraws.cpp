// Per-request draws ("draws": "per_request"): a request's fault and latency depend on the seed,
// the request (model and prompt) and its attempt number, not on when it arrives, so two clients
// sending the same requests in different orders see the same dice; the arrival-order default stays.
#include "core/sim/chathandler.h"
#include "core/sim/scenario.h"
#include "core/sim/simserver.h"
#include "core/sim/simstate.h"
#include "tests/sim/simtestclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

#include <map>
#include <utility>

using namespace gp::sim;
using namespace gp::sim::test;
using namespace Qt::StringLiterals;

namespace {

// 30% 503, 20% 500, the rest answered after 0..10 s (never waited for: the handler only says when).
QJsonObject flakyScenario(const QString &draws)
{
    QJsonObject o {
        { u"faults"_s,
          QJsonArray {
              QJsonObject { { u"kind"_s, u"status"_s }, { u"status"_s, 503 }, { u"probability"_s, 0.3 } },
              QJsonObject { { u"kind"_s, u"status"_s }, { u"status"_s, 500 }, { u"probability"_s, 0.2 } } } },
        { u"latency"_s,
          QJsonObject { { u"distribution"_s, u"uniform"_s }, { u"min_ms"_s, 0 }, { u"max_ms"_s, 10000 } } }
    };
    if (!draws.isEmpty())
        o.insert(u"draws"_s, draws);
    return o;
}

QByteArray chatBody(int i)
{
    return QJsonDocument(SimTestClient::simpleChat(u"Request %1: say something short."_s.arg(i)))
        .toJson(QJsonDocument::Compact);
}

using Draw = std::pair<int, int>; // status, delay before the headers
using Draws = std::map<std::pair<int, int>, Draw>; // by (request, attempt)

// Sends requests in `order` (an index may repeat: its later sendings are its later attempts)
// to a real handler on fresh state of one seed, and records what each attempt drew.
Draws send(const QString &draws, const QList<int> &order, quint64 seed = 42)
{
    SimState state;
    QString error;
    state.scenario = *Scenario::fromJson(flakyScenario(draws), &error);
    state.seed = seed;
    state.clock.start();
    state.reset();
    Draws result;
    std::map<int, int> attempts;
    for (const int i : order) {
        HttpRequest request;
        request.method = "POST";
        request.path = "/v1/chat/completions";
        request.headers.append(SimHeader { "content-type", "application/json" });
        request.body = chatBody(i);
        const SimResponse r = ChatHandler(state).handle(request, "req");
        result[{ i, attempts[i]++ }] = { r.status, r.delayBeforeHeadersMs };
    }
    return result;
}

} // namespace

class TestSimDraws final : public QObject
{
    Q_OBJECT

private slots:
    void sameDrawsInAnyOrder();
    void attemptsDrawIndependently();
    void seedChangesTheDraws();
    void arrivalOrderIsTheDefault();
    void badDrawsName();
    void overHttp();
};

void TestSimDraws::sameDrawsInAnyOrder()
{
    // One client sends 0..19 and retries 3 and 7; another sends them backwards, retries
    // others first and sends more in between: every (request, attempt) both sent drew alike.
    QList<int> forward;
    for (int i = 0; i < 20; ++i)
        forward << i;
    forward << 3 << 7 << 3;
    QList<int> backward { 25, 7, 26, 3 };
    for (int i = 19; i >= 0; --i)
        backward << i << 30 + i;
    backward << 3;
    const Draws a = send(u"per_request"_s, forward);
    const Draws b = send(u"per_request"_s, backward);
    int compared = 0;
    for (const auto &[key, draw] : a) {
        if (!b.count(key))
            continue;
        QCOMPARE(b.at(key), draw);
        ++compared;
    }
    QCOMPARE(compared, 23); // 20 first attempts, 3 and 7's second, 3's third
    QSet<int> delays;
    for (const auto &[key, draw] : a)
        delays.insert(draw.second);
    QVERIFY(delays.size() > 15); // the draws do differ between requests
}

void TestSimDraws::attemptsDrawIndependently()
{
    // The same request 200 times: its attempts draw their own faults and latencies.
    const Draws d = send(u"per_request"_s, QList<int>(200, 5));
    QSet<int> delays;
    std::map<int, int> statuses;
    for (const auto &[key, draw] : d) {
        delays.insert(draw.second);
        ++statuses[draw.first];
    }
    QVERIFY2(delays.size() > 180, qPrintable(QString::number(delays.size())));
    QCOMPARE(int(statuses.size()), 3); // 200, 500 and 503 all occur
    QVERIFY(statuses[200] > 70 && statuses[200] < 130); // ~50%
    // Attempt 1 of 100 requests against their attempt 0: no more alike than chance.
    QList<int> twice;
    for (int i = 0; i < 100; ++i)
        twice << i << i;
    const Draws t = send(u"per_request"_s, twice);
    int sameDelay = 0;
    int sameStatus = 0;
    for (int i = 0; i < 100; ++i) {
        sameDelay += t.at({ i, 0 }).second == t.at({ i, 1 }).second ? 1 : 0;
        sameStatus += t.at({ i, 0 }).first == t.at({ i, 1 }).first ? 1 : 0;
    }
    QVERIFY(sameDelay < 5);
    QVERIFY2(sameStatus < 60, qPrintable(QString::number(sameStatus))); // chance: 0.5^2+0.3^2+0.2^2 = 38%
}

void TestSimDraws::seedChangesTheDraws()
{
    QList<int> order;
    for (int i = 0; i < 20; ++i)
        order << i;
    const Draws a = send(u"per_request"_s, order, 42);
    const Draws b = send(u"per_request"_s, order, 43);
    int same = 0;
    for (const auto &[key, draw] : a)
        same += b.at(key) == draw ? 1 : 0;
    QVERIFY(same < 3);
    QCOMPARE(send(u"per_request"_s, order, 42), a); // and one seed replays
}

void TestSimDraws::arrivalOrderIsTheDefault()
{
    QList<int> forward, backward;
    for (int i = 0; i < 20; ++i) {
        forward << i;
        backward.prepend(i);
    }
    const Draws a = send(QString(), forward);
    QCOMPARE(send(u"arrival"_s, forward), a); // the default is "arrival"
    const Draws b = send(QString(), backward);
    int same = 0;
    for (const auto &[key, draw] : a)
        same += b.at(key) == draw ? 1 : 0;
    QVERIFY(same < 3); // in arrival order, request i's draws depend on what came before it
    QCOMPARE(a.at({ 0, 0 }), b.at({ 19, 0 })); // the first to arrive takes the first draws
}

void TestSimDraws::badDrawsName()
{
    QString error;
    QVERIFY(!Scenario::fromJson(flakyScenario(u"by_prompt"_s), &error));
    QVERIFY2(error.contains(u"draws"_s) && error.contains(u"per_request"_s), qPrintable(error));
}

void TestSimDraws::overHttp()
{
    // The same through a real server: statuses of 30 requests sent in two orders, and
    // POST /sim/reset starts the attempt counts over.
    QJsonObject scenario = flakyScenario(u"per_request"_s);
    scenario.insert(u"latency"_s, QJsonObject { { u"distribution"_s, u"fixed"_s }, { u"ms"_s, 0 } });
    SimServer server;
    QString error;
    QVERIFY2(server.setScenarioJson(scenario, &error), qPrintable(error));
    QVERIFY(server.listen());
    server.setSeed(7);
    SimTestClient client(QUrl(u"http://127.0.0.1:%1"_s.arg(server.port())));
    QList<int> first(30), second(30);
    for (int i = 0; i < 30; ++i)
        first[i] = client.post(u"/v1/chat/completions"_s, chatBody(i)).status;
    QVERIFY(first.count(200) > 5 && first.count(200) < 25);
    server.resetStats();
    for (int i = 29; i >= 0; --i)
        second[i] = client.post(u"/v1/chat/completions"_s, chatBody(i)).status;
    QCOMPARE(second, first);
}

QTEST_GUILESS_MAIN(TestSimDraws)
#include "tst_simdraws.moc"
