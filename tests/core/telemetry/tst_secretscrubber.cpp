#include "core/policy/secretscrubber.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using gp::SecretScrubber;

class TestSecretScrubber : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scrub_data();
    void scrub();
    void redactsValuesNotSyntax_data();
    void redactsValuesNotSyntax();
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

// A known key is removed from string values (and member names) only: numbers, literals
// and the JSON syntax stay as they are, and a key too short to tell apart is left alone.
void TestSecretScrubber::redactsValuesNotSyntax_data()
{
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<QByteArray>("out");
    const QByteArray line
        = R"({"attempts":1,"custom_id":"p1","index":0,"msg":"key xai-LONGSECRET-1 echoed"})";
    QTest::newRow("key 1: too short, untouched") << QStringLiteral("1") << line << line;
    QTest::newRow("key x: too short, untouched") << QStringLiteral("x") << line << line;
    QTest::newRow("7 chars: too short") << QStringLiteral("attempt") << line << line;
    QTest::newRow("long key in a value")
        << QStringLiteral("xai-LONGSECRET-1") << line
        << QByteArray(R"({"attempts":1,"custom_id":"p1","index":0,"msg":"key [redacted] echoed"})");
    QTest::newRow("long key as a member name and nested")
        << QStringLiteral("hunter2-hunter2")
        << QByteArray(R"({"a":[{"hunter2-hunter2":"x hunter2-hunter2"}],"n":123})")
        << QByteArray(R"({"a":[{"[redacted]":"x [redacted]"}],"n":123})");
    QTest::newRow("key equal to JSON syntax text stays valid")
        << QStringLiteral("\"attempts\":1") << line << line; // not inside any one string value
    QTest::newRow("no key") << QString() << line << line;
}

void TestSecretScrubber::redactsValuesNotSyntax()
{
    QFETCH(QString, secret);
    QFETCH(QByteArray, in);
    QFETCH(QByteArray, out);
    const QJsonObject redacted
        = SecretScrubber::redactJson(QJsonDocument::fromJson(in).object(), secret).toObject();
    const QByteArray serialised = QJsonDocument(redacted).toJson(QJsonDocument::Compact);
    QCOMPARE(serialised, QJsonDocument::fromJson(out).toJson(QJsonDocument::Compact));
    QVERIFY(!QJsonDocument::fromJson(serialised).isNull()); // always valid JSON
    QCOMPARE(SecretScrubber::canRedact(secret), secret.size() >= 8);
    if (SecretScrubber::canRedact(secret))
        QVERIFY(!SecretScrubber::redact(QString::fromUtf8(in), secret).contains(secret));
    else
        QCOMPARE(SecretScrubber::redact(QString::fromUtf8(in), secret), QString::fromUtf8(in));
}

QTEST_APPLESS_MAIN(TestSecretScrubber)
#include "tst_secretscrubber.moc"
