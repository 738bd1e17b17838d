// The simulator's per-request state stays bounded however many distinct custom ids and
// prompts a long run sends (the soak sends 10,000 of each).
#include "core/sim/promptcache.h"
#include "core/sim/simstats.h"

#include <QJsonObject>
#include <QTest>

using namespace gp::sim;
using namespace Qt::StringLiterals;

class TestSimBounds final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void customIdsAreBounded_data();
    void customIdsAreBounded();
    void repeatedIdsKeepCounting();
    void promptCacheIsBounded_data();
    void promptCacheIsBounded();
};

void TestSimBounds::customIdsAreBounded_data()
{
    QTest::addColumn<int>("distinct");
    QTest::newRow("below the cap") << 100;
    QTest::newRow("at the cap") << int(SimStats::MaxCustomIds);
    QTest::newRow("2.5x the cap") << int(SimStats::MaxCustomIds * 5 / 2);
}

void TestSimBounds::customIdsAreBounded()
{
    QFETCH(int, distinct);
    SimStats stats;
    for (int i = 0; i < distinct; ++i)
        stats.countRequest(u"job-%1"_s.arg(i));
    const QJsonObject json = stats.toJson();
    const QJsonObject ids = json.value(u"custom_ids"_s).toObject();
    const int kept = qMin(distinct, int(SimStats::MaxCustomIds));
    QCOMPARE(ids.size(), kept);
    QCOMPARE(json.value(u"custom_ids_dropped"_s).toInteger(), qint64(distinct - kept));
    QCOMPARE(json.value(u"requests"_s).toInteger(), qint64(distinct)); // every request still counted
    QCOMPARE(ids.value(u"job-%1"_s.arg(distinct - 1)).toInt(), 1); // the newest is kept
    QCOMPARE(ids.contains(u"job-0"_s), distinct <= SimStats::MaxCustomIds); // the oldest goes first
}

void TestSimBounds::repeatedIdsKeepCounting()
{
    SimStats stats;
    stats.countRequest(u"a"_s);
    stats.countRequest(u"b"_s);
    stats.countRequest(u"a"_s);
    const QJsonObject ids = stats.toJson().value(u"custom_ids"_s).toObject();
    QCOMPARE(ids.value(u"a"_s).toInt(), 2);
    QCOMPARE(ids.value(u"b"_s).toInt(), 1);
    stats.reset();
    QVERIFY(stats.toJson().value(u"custom_ids"_s).toObject().isEmpty());
}

void TestSimBounds::promptCacheIsBounded_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("distinct");
    QTest::newRow("fits") << 16 << 10;
    QTest::newRow("overflows") << 16 << 1000;
    QTest::newRow("default capacity, 10k prompts") << int(PromptCache::DefaultCapacity) << 10000;
}

void TestSimBounds::promptCacheIsBounded()
{
    QFETCH(int, capacity);
    QFETCH(int, distinct);
    PromptCache cache(capacity);
    for (int i = 0; i < distinct; ++i)
        QVERIFY(!cache.lookupAndInsert(quint64(i) * 7919));
    QCOMPARE(cache.size(), qMin(capacity, distinct));
    QVERIFY(cache.lookupAndInsert(quint64(distinct - 1) * 7919)); // the newest is a hit
    QCOMPARE(cache.lookupAndInsert(0), distinct <= capacity); // the oldest was forgotten past the cap
    QVERIFY(cache.size() <= capacity);
    cache.clear();
    QCOMPARE(cache.size(), 0);
}

QTEST_GUILESS_MAIN(TestSimBounds)
#include "tst_simbounds.moc"
