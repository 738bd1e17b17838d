// The learned limit's rule has two implementations: AdaptiveLimiter (C++, one process) and the
// Redis limiter's Lua scripts (every instance together). This runs the same table of attempts sent,
// 429s and times through both, the Lua on a real redis-server with the test's clock in place of
// the server's, and compares the limits. Each side takes its own defaults (AdaptiveLimiter::Params,
// RedisLimiterConfig), so a constant changed on one side only fails here.
#include "core/pacing/adaptivelimiter.h"
#include "core/pacing/redislimiter.h"
#include "core/pacing/redisscripts.h"
#include "tests/integration/pacing/redisprocess.h"
#include "tests/integration/pacing/respclient.h"

#include <QRegularExpression>
#include <QTest>

#include <cmath>

using namespace gp;
using gp::redisscripts::Script;
using namespace Qt::StringLiterals;

namespace {

// Every script reads its time from gp_now(); this one takes the last ARGV instead of TIME.
const QByteArray TestClock = "local function gp_now() return tonumber(ARGV[#ARGV]) end\n";

struct Step
{
    enum Kind { Start, Sent, Loss, Probe } kind = Probe;
    qint64 at = 0;
    qint64 admitted = 0;
    qint64 hint = 0;
};

// "start@0 sent@0..700/100 sent@790 loss@800<790+2000 rate@900": a start, attempts sent every 100 ms
// from 0 to 700 and at 790, a 429 at 800 of the one admitted at 790 with a 2 s server hint, the
// limit at 900. What is sent and not refused got through.
QList<Step> parse(const QString &text)
{
    static const QRegularExpression token(
        QStringLiteral(R"(^(start|sent|loss|rate)@(\d+)(?:\.\.(\d+)/(\d+))?(?:<(\d+))?(?:\+(\d+))?$)"));
    QList<Step> steps;
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const auto m = token.match(word);
        if (!m.hasMatch())
            qFatal("bad step %s", qPrintable(word));
        const QString kind = m.captured(1);
        Step step;
        step.kind = kind == u"start" ? Step::Start
            : kind == u"sent"        ? Step::Sent
            : kind == u"loss"        ? Step::Loss
                                     : Step::Probe;
        step.at = m.captured(2).toLongLong();
        step.admitted = m.captured(5).isEmpty() ? step.at : m.captured(5).toLongLong();
        step.hint = m.captured(6).toLongLong();
        const qint64 last = m.captured(3).isEmpty() ? step.at : m.captured(3).toLongLong();
        const qint64 every = std::max<qint64>(1, m.captured(4).toLongLong());
        for (qint64 t = step.at; t <= last; t += every) {
            step.at = t;
            steps.append(step);
        }
    }
    return steps;
}

// The shared learned limit in Redis, driven through the production scripts on the test's clock.
class LuaLimiter final
{
public:
    LuaLimiter(RespClient &redis, const QByteArray &prefix, double growthScale)
        : m_redis(redis)
        , m_prefix(prefix)
        , m_growthC(m_config.adaptiveCubicC * growthScale)
    { }

    bool sent(qint64 now)
    {
        return eval(redisscripts::script(Script::Sent), { key("sent") }, {}, now).has_value();
    }

    std::optional<bool> loss(qint64 now, qint64 admitted, qint64 hint)
    {
        const auto reply = eval(
            redisscripts::script(Script::Loss), { key("learn"), key("hold"), key("sent"), key("slowstart") },
            { QByteArray::number(now - admitted), QByteArray::number(hint), number(m_config.adaptiveBeta),
              number(m_growthC), number(m_config.minRps), QByteArray::number(m_config.minHoldMs) },
            now);
        if (!reply || reply->elements.size() != 2)
            return std::nullopt;
        return reply->elements[0].integer == 1;
    }

    // The learned rate Admit paces by (it also starts the slow start, as the first ask does).
    std::optional<double> rate(qint64 now)
    {
        const auto reply = eval(redisscripts::script(Script::Admit),
                                { key("req"), key("tok"), key("hold"), key("rate"), key("burst"),
                                  key("learn"), key("slowstart") },
                                { "0", "0", "0", "0", "0", "1", number(m_config.minRps) }, now);
        if (!reply || reply->elements.size() != 4)
            return std::nullopt;
        return reply->elements[3].text.toDouble();
    }

    QByteArray lastError;

private:
    static QByteArray number(double value) { return QByteArray::number(value, 'g', 17); }
    QByteArray key(const char *suffix) const { return m_prefix + ':' + suffix; }

    std::optional<RespClient::Reply> eval(QByteArray script, const QList<QByteArray> &keys,
                                          const QList<QByteArray> &args, qint64 now)
    {
        script.replace(QByteArray(redisscripts::ServerClock), TestClock);
        QList<QByteArray> argv { "EVAL", script, QByteArray::number(keys.size()) };
        argv += keys;
        argv += args;
        argv += QByteArray::number(now);
        auto reply = m_redis.call(argv);
        if (reply && reply->type == '-') {
            lastError = reply->text;
            return std::nullopt;
        }
        return reply;
    }

    RedisLimiterConfig m_config;
    RespClient &m_redis;
    QByteArray m_prefix;
    double m_growthC;
};

bool same(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(a));
}

// The two implementations side by side: every step goes to both, and each answer is compared.
// A step returns false on the first disagreement or Redis error, saying which in `failure`.
class BothLimiters final
{
public:
    BothLimiters(RespClient &redis, const QByteArray &prefix, bool shared)
        : m_scale(shared ? RedisLimiterConfig {}.sharedGrowthScale : 1.0)
        , m_cpp(params(m_scale))
        , m_lua(redis, prefix, m_scale)
    { }

    const AdaptiveLimiter &cpp() const { return m_cpp; }
    QString failure;

    bool run(const Step &step)
    {
        switch (step.kind) {
        case Step::Start:
            m_cpp.start(step.at);
            return check(m_lua.rate(step.at).has_value(), step.at, u"start"_s);
        case Step::Sent:
            m_cpp.recordAdmission(step.at);
            return check(m_lua.sent(step.at), step.at, u"sent"_s);
        case Step::Loss: {
            const bool moved = m_cpp.recordRateLimited(step.at, step.admitted, step.hint);
            const auto luaMoved = m_lua.loss(step.at, step.admitted, step.hint);
            return check(luaMoved == std::optional(moved), step.at,
                         u"loss moved: C++ %1, Lua %2"_s.arg(moved).arg(luaMoved ? int(*luaMoved) : -1));
        }
        case Step::Probe: {
            const double expected = m_cpp.rateRps(step.at);
            const auto got = m_lua.rate(step.at);
            return check(
                got && same(expected, *got), step.at,
                u"rate: C++ %1, Lua %2"_s.arg(expected, 0, 'g', 17).arg(got.value_or(-1), 0, 'g', 17));
        }
        }
        return false;
    }

private:
    static AdaptiveLimiter::Params params(double growthScale)
    {
        AdaptiveLimiter::Params p;
        p.cubicC *= growthScale;
        return p;
    }

    bool check(bool ok, qint64 at, const QString &what)
    {
        if (!ok)
            failure = u"at %1 ms, %2 %3"_s.arg(at).arg(what, QString::fromUtf8(m_lua.lastError));
        return ok;
    }

    double m_scale;
    AdaptiveLimiter m_cpp;
    LuaLimiter m_lua;
};

} // namespace

class TestCubicRule final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void scriptsAreWhole();
    void sameTable_data();
    void sameTable();
    void sameRunAgainstAServerBucket_data();
    void sameRunAgainstAServerBucket();

private:
    QByteArray freshPrefix() { return "cubic:" + QByteArray::number(++m_rows); }

    RedisProcess m_redis;
    RespClient m_client;
    int m_rows = 0;
};

void TestCubicRule::initTestCase()
{
    QVERIFY2(m_redis.start(), "redis-server did not start");
    QVERIFY(m_client.connectTo(m_redis.port()));
}

void TestCubicRule::scriptsAreWhole()
{
    for (const QByteArray *script : redisscripts::all()) {
        QVERIFY(script->startsWith(redisscripts::ServerClock)); // the test's clock can take its place
        QVERIFY2(!script->contains("${"), script->constData()); // every constant put in
    }
    // The production clock itself runs: TIME in ms.
    const auto reply
        = m_client.call({ "EVAL", QByteArray(redisscripts::ServerClock) + "return gp_now()", "0" });
    QVERIFY(reply && reply->type == ':');
    QVERIFY(reply->integer > 1'600'000'000'000LL);
}

void TestCubicRule::sameTable_data()
{
    QTest::addColumn<QString>("steps");
    QTest::addColumn<bool>("shared"); // with the shared limiter's slower growth
    QTest::newRow("slow start doubles") << "start@0 rate@0 rate@500 rate@1700 rate@9000 rate@30000" << false;
    QTest::newRow("first loss: what got through, by admission")
        << "start@0 sent@0..700/100 sent@790 loss@800<790 rate@800 rate@1000 rate@1800 rate@2500 rate@4000 "
           "rate@9000"
        << false;
    QTest::newRow("first loss: the slow start's rate, below what got through")
        << "start@0 sent@0..2000/10 sent@2090 loss@2100<2090 rate@2100 rate@2400 rate@3000 rate@6000"
        << false;
    QTest::newRow("a loss of the same overload only holds")
        << "start@0 sent@0..900/50 sent@990 loss@1000<990 loss@1100<995 rate@1300 loss@1200<1150+700 "
           "rate@1500 "
           "rate@1950 rate@3000 sent@3000..4000/100 loss@5000<4000 rate@5100 rate@8000"
        << false;
    QTest::newRow("refusals of one overload do not get through")
        << "start@0 sent@0..1000/20 loss@1010<1000 loss@1200<1000 loss@1300<1000 sent@1320..3000/20 "
           "loss@3010<3000 rate@3100 rate@5000"
        << false;
    QTest::newRow("the server's hint holds the curve")
        << "start@0 sent@0..900/100 sent@940 loss@950<940+2000 rate@1000 rate@2950 rate@3500 rate@6000"
        << false;
    QTest::newRow("a 429 before anything only holds")
        << "loss@1000<990 start@1100 rate@1100 rate@2000" << false;
    QTest::newRow("nothing got through: only a hold, then what got through")
        << "start@0 rate@10 sent@1100 loss@1200<1100 rate@1300 rate@2000 sent@4000 sent@6000 loss@6500<6000 "
           "rate@6600"
        << false;
    QTest::newRow("a long gap starts a new count")
        << "start@0 sent@0..900/100 sent@940 loss@950<940 sent@14000..14300/100 rate@14350 sent@14390 "
           "loss@14400<14390 rate@14500 rate@20000"
        << false;
    QTest::newRow("one got through: the floor of the window")
        << "start@0 sent@100 sent@140 loss@150<140 rate@500 rate@5000" << false;
    QTest::newRow("a refusal older than the memory is not counted")
        << "start@0 sent@0..2000/20 loss@40000<1000 rate@40100 rate@90000" << false;
    QTest::newRow("a long feedback delay: the probe above wmax grows by one per delay squared")
        << "start@0 sent@0..1900/25 loss@2000<500 rate@2300 rate@4000 rate@6000 rate@9000 rate@15000"
        << false;
    QTest::newRow("shared growth, cycles")
        << "start@0 sent@0..1900/25 sent@1990 loss@2000<1990 rate@2300 sent@2300..9000/40 sent@9190 "
           "rate@9100 "
           "loss@9200<9190 rate@9500 sent@9500..30000/30 sent@30000 rate@30000 loss@30010<30000 rate@40000 "
           "rate@120000"
        << true;
}

void TestCubicRule::sameTable()
{
    QFETCH(QString, steps);
    QFETCH(bool, shared);
    BothLimiters both(m_client, freshPrefix(), shared);
    int probes = 0;
    for (const Step &step : parse(steps)) {
        QVERIFY2(both.run(step), qPrintable(both.failure));
        probes += step.kind == Step::Probe ? 1 : 0;
    }
    QVERIFY(probes > 0);
}

void TestCubicRule::sameRunAgainstAServerBucket_data()
{
    QTest::addColumn<double>("serverRps");
    QTest::addColumn<bool>("shared");
    QTest::newRow("10 rps") << 10.0 << false;
    QTest::newRow("3 rps") << 3.0 << false;
    QTest::newRow("10 rps, shared growth") << 10.0 << true;
}

// The C++ limiter paces sends against a modelled server bucket (burst 5) for 20 s of pinned
// time; the same sends and 429s go to the Lua, and at every send both name the same limit.
void TestCubicRule::sameRunAgainstAServerBucket()
{
    QFETCH(double, serverRps);
    QFETCH(bool, shared);
    BothLimiters both(m_client, freshPrefix(), shared);
    QVERIFY2(both.run({ Step::Start, 0 }), qPrintable(both.failure));
    double level = 5.0;
    double nextSend = 0;
    int losses = 0;
    int sends = 0;
    for (qint64 now = 0; now < 20000; ++now) {
        level = std::min(5.0, level + serverRps / 1000.0);
        if (now < both.cpp().holdUntilMs() || double(now) < nextSend)
            continue;
        QVERIFY2(both.run({ Step::Probe, now }), qPrintable(both.failure));
        nextSend = double(now) + 1000.0 / both.cpp().rateRps(now);
        ++sends;
        QVERIFY2(both.run({ Step::Sent, now }), qPrintable(both.failure));
        const int lossesBefore = both.cpp().lossEvents();
        if (level >= 1.0)
            level -= 1.0; // got through
        else
            QVERIFY2(both.run({ Step::Loss, now, now }), qPrintable(both.failure));
        losses += both.cpp().lossEvents() - lossesBefore;
    }
    QVERIFY2(losses >= 2 && sends > 40,
             qPrintable(QStringLiteral("%1 losses, %2 sends").arg(losses).arg(sends)));
}

QTEST_GUILESS_MAIN(TestCubicRule)
#include "tst_cubicrule.moc"
