#include "core/telemetry/secretscrubber.h"

#include <QTest>

using gp::SecretScrubber;

class TestSecretScrubber : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scrub_data();
    void scrub();
};

void TestSecretScrubber::scrub_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("plain") << QStringLiteral("Too many requests: 65605/16000 tokens")
                           << QStringLiteral("Too many requests: 65605/16000 tokens");
    QTest::newRow("xai key") << QStringLiteral("key xai-AbC123_def-456 used")
                             << QStringLiteral("key [redacted] used");
    QTest::newRow("sk key") << QStringLiteral("sk-proj-abcdef123456") << QStringLiteral("[redacted]");
    QTest::newRow("bearer") << QStringLiteral("got bearer abc.def.ghi back")
                            << QStringLiteral("got [redacted] back");
    QTest::newRow("authorization header")
        << QStringLiteral("Authorization: Bearer xyz\nnext") << QStringLiteral("[redacted]\nnext");
    QTest::newRow("api_key=") << QStringLiteral("url?api_key=abc123&x=1")
                              << QStringLiteral("url?[redacted]&x=1");
    QTest::newRow("json secret") << QStringLiteral("{\"secret\": \"hunter2\"}")
                                 << QStringLiteral("{\"[redacted]\"}");
    QTest::newRow("short xai- word kept")
        << QStringLiteral("the xai-api docs") << QStringLiteral("the xai-api docs");
    QTest::newRow("token word kept") << QStringLiteral("3 tokens left") << QStringLiteral("3 tokens left");
    QTest::newRow("empty") << QString() << QString();
}

void TestSecretScrubber::scrub()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(SecretScrubber::scrub(in), out);
    QVERIFY(!SecretScrubber::looksSecret(SecretScrubber::scrub(in)));
}

QTEST_APPLESS_MAIN(TestSecretScrubber)
#include "tst_secretscrubber.moc"
