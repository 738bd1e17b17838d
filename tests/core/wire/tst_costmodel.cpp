#include "core/wire/costmodel.h"

#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(gp::Usage)

class TestCostModel final : public QObject
{
    Q_OBJECT

private slots:
    void listPrice_data();
    void listPrice();
    void costOf_data();
    void costOf();
    void text();
};

namespace {

gp::Usage usage(qint64 prompt, qint64 cached, qint64 completion, qint64 reasoning,
                std::optional<qint64> ticks = std::nullopt)
{
    gp::Usage u;
    u.promptTokens = prompt;
    u.cachedTokens = cached;
    u.completionTokens = completion;
    u.reasoningTokens = reasoning;
    u.totalTokens = prompt + completion + reasoning;
    u.costInUsdTicks = ticks;
    u.present = true;
    return u;
}

} // namespace

void TestCostModel::listPrice_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("known");
    QTest::addColumn<double>("input");
    QTest::addColumn<double>("output");
    QTest::newRow("grok-4") << u"grok-4"_s << true << 3.0 << 15.0;
    QTest::newRow("grok-4-0709, the resolved id") << u"grok-4-0709"_s << true << 3.0 << 15.0;
    QTest::newRow("grok-4-latest") << u"grok-4-latest"_s << true << 3.0 << 15.0;
    QTest::newRow("case and spaces") << u"  Grok-4-0709 "_s << true << 3.0 << 15.0;
    QTest::newRow("grok-4.3 is not grok-4") << u"grok-4.3"_s << true << 1.25 << 2.5;
    QTest::newRow("grok-4.7") << u"grok-4.7"_s << true << 2.0 << 6.0;
    QTest::newRow("grok-3-mini") << u"grok-3-mini"_s << true << 0.30 << 0.50;
    QTest::newRow("grok-40 is no grok-4") << u"grok-40"_s << false << 0.0 << 0.0;
    QTest::newRow("unknown") << u"llama-3"_s << false << 0.0 << 0.0;
    QTest::newRow("empty") << QString() << false << 0.0 << 0.0;
}

void TestCostModel::listPrice()
{
    QFETCH(QString, model);
    QFETCH(bool, known);
    QFETCH(double, input);
    QFETCH(double, output);
    const auto price = gp::CostModel::listPrice(model);
    QCOMPARE(price.has_value(), known);
    if (known) {
        QCOMPARE(price->inputPerMillion, input);
        QCOMPARE(price->outputPerMillion, output);
    }
}

void TestCostModel::costOf_data()
{
    QTest::addColumn<gp::Usage>("usage");
    QTest::addColumn<QString>("model");
    QTest::addColumn<double>("usd");
    QTest::addColumn<bool>("estimated");
    // The server's figure wins over any table: 1 tick = 1e-10 USD.
    QTest::newRow("server ticks") << usage(1000, 0, 1000, 0, 123456789) << u"grok-4"_s << 0.0123456789
                                  << false;
    QTest::newRow("server says zero") << usage(1000, 0, 1000, 0, 0) << u"grok-4"_s << 0.0 << false;
    // 1M prompt of which 400k cached, 100k completion + 100k reasoning (billed as output).
    QTest::newRow("grok-4 list price, cached part cheaper")
        << usage(1000000, 400000, 100000, 100000) << u"grok-4-0709"_s << (0.6 * 3.0 + 0.4 * 0.75 + 0.2 * 15.0)
        << true;
    QTest::newRow("cached above prompt is clamped")
        << usage(1000, 5000, 0, 0) << u"grok-4"_s << (1000 * 0.75 / 1e6) << true;
    QTest::newRow("unknown model: grok-4 price, estimated")
        << usage(1000000, 0, 0, 0) << u"my-local-model"_s << 3.0 << true;
    QTest::newRow("grok-3-mini") << usage(1000000, 0, 1000000, 0) << u"grok-3-mini"_s << 0.80 << true;
    gp::Usage none;
    QTest::newRow("no usage at all") << none << u"grok-4"_s << 0.0 << false;
}

void TestCostModel::costOf()
{
    QFETCH(gp::Usage, usage);
    QFETCH(QString, model);
    QFETCH(double, usd);
    QFETCH(bool, estimated);
    const gp::Cost cost = gp::CostModel::costOf(usage, model);
    QVERIFY2(qAbs(cost.usd - usd) < 1e-12, qPrintable(QString::number(cost.usd, 'g', 12)));
    QCOMPARE(cost.estimated, estimated);
}

void TestCostModel::text()
{
    QCOMPARE((gp::Cost { 0.00123, false }.text()), u"$0.0012"_s);
    QCOMPARE((gp::Cost { 0.00127, true }.text()), u"≈$0.0013"_s);
}

QTEST_GUILESS_MAIN(TestCostModel)
#include "tst_costmodel.moc"
