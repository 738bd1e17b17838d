// Pure pieces of `grokpulse batch`: input lines, options, output lines, resume.
#include "app/batch/batchoptions.h"
#include "app/batch/inputlineparser.h"
#include "app/batch/inputreader.h"
#include "app/batch/outputwriter.h"
#include "app/batch/resumestate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestBatchInput final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesGoodLines_data();
    void parsesGoodLines();
    void rejectsBadLines_data();
    void rejectsBadLines();
    void rejectsDuplicateIds();
    void parsesOptions_data();
    void parsesOptions();
    void writesOutcomeLines();
    void compactsOutputForResume();
    void readsLinesLazily();
};

void TestBatchInput::parsesGoodLines_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QStringList>("roles");
    QTest::addColumn<QString>("lastContent");

    const QStringList user { u"user"_s };
    QTest::newRow("batch form") << QByteArray(
        R"({"custom_id":"a","method":"POST","url":"/v1/chat/completions",)"
        R"("body":{"model":"grok-4-0709","messages":[{"role":"user","content":"hi"}]}})")
                                << u"a"_s << u"grok-4-0709"_s << user << u"hi"_s;
    QTest::newRow("batch form, default model") << QByteArray(
        R"({"custom_id":"b","method":"post","url":"/chat/completions","body":{"messages":[{"role":"user","content":"x"}]}})")
                                               << u"b"_s << u"grok-4"_s << user << u"x"_s;
    QTest::newRow("batch form, no method or url")
        << QByteArray(R"({"custom_id":"c","body":{"messages":[{"role":"user","content":"y"}]}})") << u"c"_s
        << u"grok-4"_s << user << u"y"_s;
    QTest::newRow("short form") << QByteArray(R"({"id":"s1","prompt":"hello"})") << u"s1"_s << u"grok-4"_s
                                << user << u"hello"_s;
    QTest::newRow("short form, system and fields") << QByteArray(
        R"({"id":"s2","prompt":"p","system":"be brief","model":"grok-3","max_completion_tokens":5,"temperature":0.5})")
                                                   << u"s2"_s << u"grok-3"_s
                                                   << QStringList { u"system"_s, u"user"_s } << u"p"_s;
    QTest::newRow("short form, messages")
        << QByteArray(R"({"id":"s3","messages":[{"role":"user","content":"m"}]})") << u"s3"_s << u"grok-4"_s
        << user << u"m"_s;
    QTest::newRow("numeric id") << QByteArray(R"({"id":42,"prompt":"n"})") << u"42"_s << u"grok-4"_s << user
                                << u"n"_s;
    QTest::newRow("trailing newline and spaces")
        << QByteArray("  {\"id\":\"t\",\"prompt\":\"q\"}  \r\n") << u"t"_s << u"grok-4"_s << user << u"q"_s;
}

void TestBatchInput::parsesGoodLines()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, id);
    QFETCH(QString, model);
    QFETCH(QStringList, roles);
    QFETCH(QString, lastContent);
    gp::InputLineParser parser(QUrl(u"https://api.x.ai/v1"_s), u"grok-4"_s);
    const gp::InputLine parsed = parser.parse(line, 7);
    QVERIFY2(parsed.valid, qPrintable(parsed.error));
    QCOMPARE(parsed.customId, id);
    QCOMPARE(parsed.lineNumber, 7);
    QCOMPARE(parsed.request.model, model);
    QStringList gotRoles;
    for (const gp::ChatMessage &message : parsed.request.messages)
        gotRoles << message.role;
    QCOMPARE(gotRoles, roles);
    QCOMPARE(parsed.request.messages.last().content, lastContent);
}

void TestBatchInput::rejectsBadLines_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("errorPart");
    QTest::newRow("not json") << QByteArray("hello") << QString() << u"not JSON"_s;
    QTest::newRow("torn json") << QByteArray(R"({"id":"x","prompt":"a)") << QString() << u"not JSON"_s;
    QTest::newRow("array") << QByteArray("[1,2]") << QString() << u"not a JSON object"_s;
    QTest::newRow("missing id") << QByteArray(R"({"prompt":"a"})") << QString() << u"missing id"_s;
    QTest::newRow("missing custom_id")
        << QByteArray(R"({"body":{"messages":[{"role":"user","content":"a"}]}})") << QString()
        << u"missing custom_id"_s;
    QTest::newRow("empty id") << QByteArray(R"({"id":"  ","prompt":"a"})") << QString() << u"non-empty"_s;
    QTest::newRow("object id") << QByteArray(R"({"id":{},"prompt":"a"})") << QString() << u"non-empty"_s;
    QTest::newRow("wrong method") << QByteArray(
        R"({"custom_id":"m","method":"GET","url":"/v1/chat/completions",)"
        R"("body":{"messages":[{"role":"user","content":"a"}]}})")
                                  << u"m"_s << u"method must be POST"_s;
    QTest::newRow("wrong url") << QByteArray(R"({"custom_id":"u","method":"POST","url":"/v1/embeddings",)"
                                             R"("body":{"messages":[{"role":"user","content":"a"}]}})")
                               << u"u"_s << u"not supported"_s;
    QTest::newRow("body not object") << QByteArray(R"({"custom_id":"b","body":"text"})") << u"b"_s
                                     << u"body is missing"_s;
    QTest::newRow("body without messages")
        << QByteArray(R"({"custom_id":"b2","body":{"model":"grok-4"}})") << u"b2"_s << u"bad body"_s;
    QTest::newRow("bad temperature") << QByteArray(
        R"({"custom_id":"t","body":{"messages":[{"role":"user","content":"a"}],"temperature":"hot"}})")
                                     << u"t"_s << u"bad body"_s;
    QTest::newRow("short form without prompt")
        << QByteArray(R"({"id":"p"})") << u"p"_s << u"missing prompt"_s;
    QTest::newRow("prompt not string")
        << QByteArray(R"({"id":"p2","prompt":5})") << u"p2"_s << u"prompt must be a string"_s;
    QTest::newRow("system not string")
        << QByteArray(R"({"id":"p3","prompt":"a","system":[]})") << u"p3"_s << u"system must be a string"_s;
    QTest::newRow("prompt and messages")
        << QByteArray(R"({"id":"p4","prompt":"a","messages":[{"role":"user","content":"a"}]})") << u"p4"_s
        << u"not both"_s;
}

void TestBatchInput::rejectsBadLines()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, id);
    QFETCH(QString, errorPart);
    gp::InputLineParser parser(QUrl(u"https://api.x.ai/v1"_s), u"grok-4"_s);
    const gp::InputLine parsed = parser.parse(line, 3);
    QVERIFY(!parsed.valid);
    QCOMPARE(parsed.customId, id);
    QVERIFY2(parsed.error.contains(errorPart), qPrintable(parsed.error));
}

void TestBatchInput::rejectsDuplicateIds()
{
    gp::InputLineParser parser(QUrl(u"http://127.0.0.1:1/v1"_s), u"grok-4"_s);
    QVERIFY(parser.parse(R"({"id":"same","prompt":"a"})", 1).valid);
    const gp::InputLine again = parser.parse(R"({"custom_id":"same","body":{"messages":[]}})", 2);
    QVERIFY(!again.valid);
    QVERIFY(again.customId.isEmpty()); // no made-up id: the output says "custom_id": null
    QVERIFY2(again.error.contains(u"duplicate"_s) && again.error.contains(u"line 1"_s),
             qPrintable(again.error));
    QVERIFY(parser.parse(R"({"id":"other","prompt":"b"})", 3).valid);
}

void TestBatchInput::parsesOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("check"); // "field=value" on success, error part on failure
    const QStringList io { u"--input"_s, u"in"_s, u"--output"_s, u"out"_s };
    QTest::newRow("minimal") << io << true << u"base=https://api.x.ai/v1"_s;
    QTest::newRow("simulate alone") << (io + QStringList { u"--simulate"_s }) << true << u"simulate=demo"_s;
    QTest::newRow("simulate named") << (io + QStringList { u"--simulate=flaky"_s }) << true
                                    << u"simulate=flaky"_s;
    QTest::newRow("concurrency") << (io + QStringList { u"--concurrency"_s, u"3"_s }) << true
                                 << u"window=16"_s;
    QTest::newRow("big window") << (io + QStringList { u"--concurrency=10"_s }) << true << u"window=40"_s;
    QTest::newRow("priority") << (io + QStringList { u"--priority=background"_s }) << true << u"priority=2"_s;
    QTest::newRow("deadline") << (io + QStringList { u"--deadline=2.5"_s }) << true << u"deadline=2500"_s;
    QTest::newRow("insecure http off by default")
        << (io + QStringList { u"--base-url=http://example.invalid/v1"_s }) << true << u"insecure=0"_s;
    QTest::newRow("allow insecure http")
        << (io + QStringList { u"--base-url=http://example.invalid/v1"_s, u"--allow-insecure-http"_s })
        << true << u"insecure=1"_s;
    QTest::newRow("no input") << QStringList { u"--output"_s, u"o"_s } << false << u"required"_s;
    QTest::newRow("bad concurrency") << (io + QStringList { u"--concurrency=0"_s }) << false
                                     << u"concurrency"_s;
    QTest::newRow("bad priority") << (io + QStringList { u"--priority=urgent"_s }) << false << u"priority"_s;
    QTest::newRow("bad url") << (io + QStringList { u"--base-url=ftp://x"_s }) << false << u"base-url"_s;
    QTest::newRow("unknown option") << (io + QStringList { u"--frobnicate"_s }) << false << u"frobnicate"_s;
    QTest::newRow("stray argument") << (io + QStringList { u"extra"_s }) << false << u"extra"_s;
}

void TestBatchInput::parsesOptions()
{
    QFETCH(QStringList, arguments);
    QFETCH(bool, ok);
    QFETCH(QString, check);
    const gp::BatchOptionsResult result
        = gp::parseBatchOptions(QStringList { u"grokpulse"_s, u"batch"_s } + arguments, QString());
    QCOMPARE(result.options.has_value(), ok);
    if (!ok) {
        QVERIFY2(result.error.contains(check), qPrintable(result.error));
        return;
    }
    const gp::BatchOptions &o = *result.options;
    const QString field = check.section(u'=', 0, 0);
    const QString value = check.section(u'=', 1);
    if (field == "base"_L1)
        QCOMPARE(o.baseUrl.toString(), value);
    else if (field == "simulate"_L1)
        QCOMPARE(o.simulateScenario.value_or(QString()), value);
    else if (field == "window"_L1)
        QCOMPARE(o.submitWindow(), value.toInt());
    else if (field == "priority"_L1)
        QCOMPARE(int(o.priority), value.toInt());
    else if (field == "deadline"_L1)
        QCOMPARE(o.deadlineMs, value.toLongLong());
    else if (field == "insecure"_L1)
        QCOMPARE(int(o.allowInsecureHttp), value.toInt());
    else
        QFAIL("unknown check");
}

void TestBatchInput::writesOutcomeLines()
{
    gp::Outcome success;
    success.status = gp::JobStatus::Succeeded;
    success.attempts = 2;
    success.latencyMs = 120;
    success.httpStatus = 200;
    success.requestId = u"req-1"_s;
    success.responseBody = R"({"id":"c1","choices":[]})";
    const QJsonObject ok = gp::OutputWriter::outcomeLine(u"a"_s, 7, success);
    QCOMPARE(ok.value("status"_L1).toString(), u"succeeded"_s);
    QCOMPARE(ok.value("attempts"_L1).toInt(), 2);
    QCOMPARE(ok.value("latency_ms"_L1).toInt(), 120);
    QVERIFY(ok.value("error"_L1).isNull());
    const QJsonObject response = ok.value("response"_L1).toObject();
    QCOMPARE(response.value("status_code"_L1).toInt(), 200);
    QCOMPARE(response.value("request_id"_L1).toString(), u"req-1"_s);
    QCOMPARE(response.value("body"_L1).toObject().value("id"_L1).toString(), u"c1"_s);

    gp::Outcome failure;
    failure.status = gp::JobStatus::Failed;
    failure.attempts = 1;
    failure.error = gp::Error { gp::ErrorClass::RateLimited, 429, u"rate_limit_exceeded"_s, u"slow down"_s };
    const QJsonObject bad = gp::OutputWriter::outcomeLine(u"b"_s, 8, failure);
    QVERIFY(bad.value("response"_L1).isNull());
    const QJsonObject error = bad.value("error"_L1).toObject();
    QCOMPARE(error.value("class"_L1).toString(), u"rate_limited"_s);
    QCOMPARE(error.value("status_code"_L1).toInt(), 429);
    QCOMPARE(error.value("code"_L1).toString(), u"rate_limit_exceeded"_s);
    QCOMPARE(error.value("message"_L1).toString(), u"slow down"_s);

    const QJsonObject never
        = gp::OutputWriter::errorLine(QString(), 9, gp::JobStatus::Cancelled, gp::Error {});
    QCOMPARE(never.value("status"_L1).toString(), u"cancelled"_s);
    QVERIFY(never.value("custom_id"_L1).isNull());
    QCOMPARE(never.value("line"_L1).toInt(), 9);
    QCOMPARE(ok.value("line"_L1).toInt(), 7);
    QCOMPARE(never.value("error"_L1).toObject().value("class"_L1).toString(), u"cancelled"_s);
    QVERIFY(never.value("error"_L1).toObject().value("status_code"_L1).isNull());
}

void TestBatchInput::compactsOutputForResume()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"out.jsonl"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"custom_id":"a","status":"succeeded"})"
               "\n"
               R"({"custom_id":"b","status":"failed"})"
               "\n"
               "garbage\n"
               R"({"custom_id":"c","status":"cancelled"})"
               "\n"
               R"({"custom_id":"a","status":"succeeded"})"
               "\n"
               R"({"custom_id":"d","status":"succeeded"})"
               "\n"
               R"({"custom_id":"e","status":"succ)"); // torn by a kill -9
    file.close();
    QString error;
    const std::optional<QSet<QString>> kept = gp::ResumeState::compactOutput(path, &error);
    QVERIFY2(kept, qPrintable(error));
    QCOMPARE(*kept, (QSet<QString> { u"a"_s, u"d"_s }));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), 3); // two lines and the empty tail after the last newline
    QVERIFY(lines.last().isEmpty());

    const std::optional<QSet<QString>> none
        = gp::ResumeState::compactOutput(dir.filePath(u"missing"_s), &error);
    QVERIFY(none && none->isEmpty());
}

void TestBatchInput::readsLinesLazily()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"in.jsonl"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(
        "\xEF\xBB\xBF{\"id\":\"a\",\"prompt\":\"x\"}\n\n   \r\n{\"id\":\"b\",\"prompt\":\"y\"}"); // no final
                                                                                                  // newline
    file.close();
    QCOMPARE(gp::InputReader::countLines(path), 2);
    gp::InputReader reader(gp::InputLineParser(QUrl(u"https://api.x.ai/v1"_s), u"grok-4"_s));
    QString error;
    QVERIFY(reader.open(path, &error));
    const std::optional<gp::InputLine> first = reader.next();
    QVERIFY(first && first->valid);
    QCOMPARE(first->customId, u"a"_s);
    const std::optional<gp::InputLine> second = reader.next();
    QVERIFY(second && second->valid);
    QCOMPARE(second->lineNumber, 4); // blank lines count for numbering, not as input
    QVERIFY(!reader.next());
    QVERIFY(reader.atEnd());
    QVERIFY(!gp::InputReader(gp::InputLineParser(QUrl(), QString())).open(dir.filePath(u"none"_s), &error));
    QVERIFY(error.contains(u"cannot read input"_s));
}

QTEST_GUILESS_MAIN(TestBatchInput)
#include "tst_batchinput.moc"
