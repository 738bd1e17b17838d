#include "core/events/event.h"
#include "core/policy/errorclass.h"
#include "core/policy/priority.h"

#include <QTest>

using namespace gp;

class TestErrorClass final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namesRoundTrip_data();
    void namesRoundTrip();
    void unknownNameIsInternal();
    void buckets_data();
    void buckets();
    void priorities();
    void eventKindsRoundTrip();
};

void TestErrorClass::namesRoundTrip_data()
{
    QTest::addColumn<int>("cls");
    for (int i = int(ErrorClass::None); i <= int(ErrorClass::Internal); ++i)
        QTest::newRow(qPrintable(errorClassName(ErrorClass(i)))) << i;
}

void TestErrorClass::namesRoundTrip()
{
    QFETCH(int, cls);
    const QString name = errorClassName(ErrorClass(cls));
    QVERIFY(!name.isEmpty());
    QCOMPARE(int(errorClassFromName(name)), cls);
}

void TestErrorClass::unknownNameIsInternal()
{
    QCOMPARE(errorClassFromName(QStringLiteral("no_such_class")), ErrorClass::Internal);
    QCOMPARE(errorClassFromName(QString()), ErrorClass::Internal);
}

void TestErrorClass::buckets_data()
{
    QTest::addColumn<ErrorClass>("cls");
    QTest::addColumn<QString>("bucket");
    QTest::newRow("429 quota") << ErrorClass::RateLimited << QStringLiteral("429_rate");
    QTest::newRow("429 capacity") << ErrorClass::Capacity << QStringLiteral("429_capacity");
    QTest::newRow("5xx") << ErrorClass::ServerError << QStringLiteral("5xx");
    QTest::newRow("auth is 4xx") << ErrorClass::Authentication << QStringLiteral("4xx");
    QTest::newRow("credits is 4xx") << ErrorClass::CreditsExhausted << QStringLiteral("4xx");
    QTest::newRow("reset") << ErrorClass::Network << QStringLiteral("network");
    QTest::newRow("timeout") << ErrorClass::Timeout << QStringLiteral("timeout");
    QTest::newRow("breaker") << ErrorClass::CircuitOpen << QStringLiteral("breaker");
    QTest::newRow("budget") << ErrorClass::RetryBudgetExhausted << QStringLiteral("budget");
    QTest::newRow("cancelled") << ErrorClass::Cancelled << QStringLiteral("other");
}

void TestErrorClass::buckets()
{
    QFETCH(ErrorClass, cls);
    QFETCH(QString, bucket);
    QCOMPARE(errorBucketName(errorBucketOf(cls)), bucket);
}

void TestErrorClass::priorities()
{
    for (const Priority p : { Priority::Interactive, Priority::Normal, Priority::Background })
        QCOMPARE(priorityFromName(priorityName(p)), p);
    QVERIFY(!priorityFromName(QStringLiteral("urgent")).has_value());
    QVERIFY(int(Priority::Interactive) < int(Priority::Background));
}

void TestErrorClass::eventKindsRoundTrip()
{
    for (int i = int(EventKind::Submitted); i <= int(EventKind::Warning); ++i) {
        const auto kind = EventKind(i);
        QCOMPARE(eventKindFromName(eventKindName(kind)), kind);
    }
    QVERIFY(isTerminal(EventKind::Succeeded));
    QVERIFY(isTerminal(EventKind::Interrupted));
    QVERIFY(!isTerminal(EventKind::RetryScheduled));
    QVERIFY(!eventKindFromName(QStringLiteral("exploded")).has_value());
}

QTEST_GUILESS_MAIN(TestErrorClass)
#include "tst_errorclass.moc"
