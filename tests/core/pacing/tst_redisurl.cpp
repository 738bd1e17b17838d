#include "core/pacing/redisurl.h"

#include <QTest>

using gp::RedisUrl;

class TestRedisUrl final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void displayHidesPassword();
};

void TestRedisUrl::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<int>("db");

    QTest::newRow("host only") << "redis://cache" << true << "cache" << 6379 << ""
                               << "" << 0;
    QTest::newRow("host port db") << "redis://127.0.0.1:6380/2" << true << "127.0.0.1" << 6380 << ""
                                  << "" << 2;
    QTest::newRow("password only") << "redis://:s3cret@h:1/0" << true << "h" << 1 << ""
                                   << "s3cret" << 0;
    QTest::newRow("user and password") << "redis://bob:p%40ss@h:7000/15" << true << "h" << 7000 << "bob"
                                       << "p@ss" << 15;
    QTest::newRow("trailing slash") << "redis://h:1/" << true << "h" << 1 << ""
                                    << "" << 0;
    QTest::newRow("ipv6") << "redis://[::1]:6379/1" << true << "::1" << 6379 << ""
                          << "" << 1;
    QTest::newRow("wrong scheme") << "http://h:1/0" << false << "" << 0 << ""
                                  << "" << 0;
    QTest::newRow("no host") << "redis://:1/0" << false << "" << 0 << ""
                             << "" << 0;
    QTest::newRow("db not a number") << "redis://h:1/x" << false << "" << 0 << ""
                                     << "" << 0;
    QTest::newRow("negative db") << "redis://h:1/-1" << false << "" << 0 << ""
                                 << "" << 0;
    QTest::newRow("port out of range") << "redis://h:70000/0" << false << "" << 0 << ""
                                       << "" << 0;
    QTest::newRow("garbage") << "::::" << false << "" << 0 << ""
                             << "" << 0;
    QTest::newRow("empty") << "" << false << "" << 0 << ""
                           << "" << 0;
}

void TestRedisUrl::parse()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QString error;
    const auto url = RedisUrl::parse(text, &error);
    QCOMPARE(url.has_value(), valid);
    if (!valid) {
        QVERIFY(!error.isEmpty());
        return;
    }
    QTEST(url->host, "host");
    QTEST(url->port, "port");
    QTEST(url->user, "user");
    QTEST(url->password, "password");
    QTEST(url->db, "db");
}

void TestRedisUrl::displayHidesPassword()
{
    const auto url = RedisUrl::parse(QStringLiteral("redis://bob:hunter2@h:1/3"), nullptr);
    QVERIFY(url);
    QCOMPARE(url->toDisplayString(), QStringLiteral("redis://bob:***@h:1/3"));
    QVERIFY(!url->toDisplayString().contains(QStringLiteral("hunter2")));
}

QTEST_APPLESS_MAIN(TestRedisUrl)
#include "tst_redisurl.moc"
