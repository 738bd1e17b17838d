#include "core/wire/responsesstreamdecoder.h"

#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(gp::ResponsesStreamDecoder::Ending)

class TestResponsesStream final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decode_data();
    void decode();
    void splitsAnywhereDecodeAlike();
    void eventsAfterTheEndAreIgnored();
    void textCapStopsTheStream();
    void parseEvent_data();
    void parseEvent();
};

static QByteArray sse(const QList<QByteArray> &datas, bool named = true)
{
    QByteArray out;
    for (const QByteArray &data : datas) {
        if (named) {
            const qsizetype at = data.indexOf("\"type\":\"");
            if (at >= 0) {
                const qsizetype start = at + 8;
                out += "event: " + data.mid(start, data.indexOf('"', start) - start) + '\n';
            }
        }
        out += "data: " + data + "\n\n";
    }
    return out;
}

static const QByteArray Created
    = R"({"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","status":"in_progress","model":"grok-4.3","output":[],"usage":null}})"_ba;
static const QByteArray InProgress
    = R"({"type":"response.in_progress","sequence_number":1,"response":{"id":"resp_1","status":"in_progress","output":[]}})"_ba;
static QByteArray delta(const char *text)
{
    return R"({"type":"response.output_text.delta","sequence_number":2,"item_id":"msg_1","output_index":0,"content_index":0,"delta":")"_ba
        + text + R"("})";
}
static const QByteArray Completed
    = R"({"type":"response.completed","sequence_number":9,"response":{"id":"resp_1","status":"completed","model":"grok-4.3","output":[{"type":"message","content":[{"type":"output_text","text":"Hello world"}]}],"usage":{"input_tokens":12,"output_tokens":5,"output_tokens_details":{"reasoning_tokens":1},"total_tokens":17,"cost_in_usd_ticks":158500}}})"_ba;

void TestResponsesStream::decode_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<ResponsesStreamDecoder::Ending>("ending");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("outputStarted");
    QTest::addColumn<QString>("error"); // prefix of errorString()
    QTest::addColumn<qint64>("billed"); // usage of the final response, -1 when none

    using E = ResponsesStreamDecoder::Ending;
    QTest::newRow("completed") << sse({ Created, InProgress, delta("Hello"), delta(" world"), Completed })
                               << E::Completed << u"Hello world"_s << true << QString() << qint64(17);
    QTest::newRow("completed without event names")
        << sse({ Created, delta("Hi"), Completed }, false) << E::Completed << u"Hi"_s << true << QString()
        << qint64(17);
    QTest::newRow("[DONE] after completed is fine")
        << sse({ Created, delta("Hi"), Completed }) + "data: [DONE]\n\n"
        << E::Completed << u"Hi"_s << true << QString() << qint64(17);
    QTest::newRow("reasoning delta starts output")
        << sse({ Created, R"({"type":"response.reasoning_summary_text.delta","delta":"hmm"})"_ba, Completed })
        << E::Completed << QString() << true << QString() << qint64(17);
    QTest::newRow("unknown events ignored")
        << sse({ Created, R"({"type":"response.output_item.added","item":{"type":"message"}})"_ba,
                 R"({"type":"ping"})"_ba, delta("x"), Completed })
        << E::Completed << u"x"_s << true << QString() << qint64(17);
    QTest::newRow("keep-alive comments") << ": ping\n\n" + sse({ Created, delta("x"), Completed })
                                         << E::Completed << u"x"_s << true << QString() << qint64(17);
    QTest::newRow("ends without completed, no output")
        << sse({ Created, InProgress }) << E::Truncated << QString() << false
        << u"stream ended without response.completed"_s << qint64(-1);
    QTest::newRow("ends without completed after output")
        << sse({ Created, delta("partial") }) << E::Truncated << u"partial"_s << true
        << u"stream ended without response.completed"_s << qint64(-1);
    QTest::newRow("cut mid-event") << sse({ Created, delta("a") }) + "data: {\"type\":\"response.comp"
                                   << E::Malformed << u"a"_s << true << u"event is not JSON"_s << qint64(-1);
    QTest::newRow("failed") << sse(
        { Created,
          R"({"type":"response.failed","response":{"id":"resp_1","status":"failed","output":[],"error":{"code":"server_error","message":"The model crashed"}}})"_ba })
                            << E::Failed << QString() << false << u"The model crashed"_s << qint64(-1);
    QTest::newRow("incomplete") << sse(
        { Created, delta("ab"),
          R"({"type":"response.incomplete","response":{"id":"resp_1","status":"incomplete","output":[],"incomplete_details":{"reason":"max_output_tokens"},"usage":{"input_tokens":3,"output_tokens":2}}})"_ba })
                                << E::Incomplete << u"ab"_s << true
                                << u"response incomplete: max_output_tokens"_s << qint64(5);
    QTest::newRow("error event") << sse(
        { Created,
          R"({"type":"error","code":"rate_limit_exceeded","message":"Too many requests","param":null,"sequence_number":3})"_ba })
                                 << E::ErrorEvent << QString() << false << u"Too many requests"_s
                                 << qint64(-1);
    QTest::newRow("xAI error body mid-stream")
        << sse({ Created, R"({"code":"resource-exhausted","error":"Too many tokens for team t"})"_ba })
        << E::ErrorEvent << QString() << false << u"Too many tokens for team t"_s << qint64(-1);
    QTest::newRow("delta not a string")
        << sse({ Created, R"({"type":"response.output_text.delta","delta":5})"_ba }) << E::Malformed
        << QString() << false << u"response.output_text.delta delta is not a string"_s << qint64(-1);
    QTest::newRow("completed without response")
        << sse({ Created, R"({"type":"response.completed"})"_ba }) << E::Malformed << QString() << false
        << u"response.completed has no response object"_s << qint64(-1);
    QTest::newRow("completed response without id")
        << sse({ R"({"type":"response.completed","response":{"status":"completed","output":[]}})"_ba })
        << E::Malformed << QString() << false << u"event response has no id"_s << qint64(-1);
    QTest::newRow("html from a proxy") << "<html><body>502</body></html>"_ba << E::Truncated << QString()
                                       << false << u"stream ended without"_s << qint64(-1);
    QTest::newRow("empty body") << QByteArray() << E::Truncated << QString() << false
                                << u"stream ended without"_s << qint64(-1);
    QTest::newRow("line over the cap") << "data: " + QByteArray(70'000, 'x') << E::Malformed << QString()
                                       << false << u"SSE line longer than 65536 bytes"_s << qint64(-1);
}

void TestResponsesStream::decode()
{
    QFETCH(QByteArray, stream);
    QFETCH(ResponsesStreamDecoder::Ending, ending);
    QFETCH(QString, text);
    QFETCH(bool, outputStarted);
    QFETCH(QString, error);
    QFETCH(qint64, billed);
    ResponsesStreamDecoder decoder(64 * 1024);
    decoder.feed(stream);
    decoder.finish();
    QCOMPARE(decoder.ending(), ending);
    QCOMPARE(decoder.text(), text);
    QCOMPARE(decoder.outputStarted(), outputStarted);
    QVERIFY2(decoder.errorString().startsWith(error), qPrintable(decoder.errorString()));
    QCOMPARE(error.isEmpty(), decoder.errorString().isEmpty());
    const bool hasUsage = decoder.response() && decoder.response()->usage.present;
    QCOMPARE(hasUsage ? decoder.response()->usage.billedTokens() : qint64(-1), billed);
    if (ending == ResponsesStreamDecoder::Ending::ErrorEvent)
        QVERIFY(decoder.streamError() && !decoder.streamError()->message.isEmpty());
}

// One byte at a time, and in every two-piece split, gives the same result as the whole.
void TestResponsesStream::splitsAnywhereDecodeAlike()
{
    const QByteArray stream
        = sse({ Created, delta("Hé"), delta("llo \\u00e9"), Completed }).replace("\n", "\r\n");
    ResponsesStreamDecoder whole;
    QList<ResponsesEvent> all = whole.feed(stream);
    all += whole.finish();
    QVERIFY2(whole.ending() == ResponsesStreamDecoder::Ending::Completed, qPrintable(whole.errorString()));
    QCOMPARE(whole.text(), u"Héllo é"_s);
    for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
        ResponsesStreamDecoder split;
        QList<ResponsesEvent> events = split.feed(stream.first(cut));
        events += split.feed(stream.sliced(cut));
        events += split.finish();
        QCOMPARE(events, all);
        QCOMPARE(split.text(), whole.text());
    }
    ResponsesStreamDecoder bytes;
    QList<ResponsesEvent> events;
    for (const char c : stream)
        events += bytes.feed(QByteArrayView(&c, 1));
    events += bytes.finish();
    QCOMPARE(events, all);
}

void TestResponsesStream::eventsAfterTheEndAreIgnored()
{
    ResponsesStreamDecoder decoder;
    const QList<ResponsesEvent> events
        = decoder.feed(sse({ Created, Completed, delta("late"), "{broken"_ba }));
    QCOMPARE(events.size(), 2);
    QCOMPARE(decoder.ending(), ResponsesStreamDecoder::Ending::Completed);
    QVERIFY(decoder.text().isEmpty());
    QVERIFY(decoder.feed(sse({ delta("later") })).isEmpty());
    decoder.finish();
    QCOMPARE(decoder.ending(), ResponsesStreamDecoder::Ending::Completed);
}

void TestResponsesStream::textCapStopsTheStream()
{
    ResponsesStreamDecoder decoder(1024 * 1024, 8);
    decoder.feed(sse({ Created, delta("12345"), delta("6789"), Completed }));
    QCOMPARE(decoder.ending(), ResponsesStreamDecoder::Ending::Malformed);
    QCOMPARE(decoder.errorString(), u"streamed text longer than 8 characters"_s);
    QCOMPARE(decoder.text(), u"12345"_s);
}

void TestResponsesStream::parseEvent_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<int>("kind"); // -1: refused
    QTest::addColumn<qint64>("sequence");

    using K = ResponsesEvent::Kind;
    QTest::newRow("type wins over event name")
        << delta("x") << "response.completed"_ba << int(K::OutputTextDelta) << qint64(2);
    QTest::newRow("event name when no type")
        << R"({"delta":"x"})"_ba
        << "response.output_text.delta"_ba << int(K::OutputTextDelta) << qint64(-1);
    QTest::newRow("no type, no name") << R"({"x":1})"_ba << QByteArray() << int(K::Other) << qint64(-1);
    QTest::newRow("reasoning_text delta") << R"({"type":"response.reasoning_text.delta","delta":"r"})"_ba
                                          << QByteArray() << int(K::ReasoningDelta) << qint64(-1);
    QTest::newRow("OpenAI nested error body")
        << R"({"error":{"message":"overloaded","type":"server_error"}})"_ba << QByteArray() << int(K::Error)
        << qint64(-1);
    QTest::newRow("empty") << QByteArray() << QByteArray() << -1 << qint64(-1);
    QTest::newRow("array") << "[]"_ba << QByteArray() << -1 << qint64(-1);
    QTest::newRow("created without response")
        << R"({"type":"response.created","response":[]})"_ba << QByteArray() << -1 << qint64(-1);
}

void TestResponsesStream::parseEvent()
{
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, name);
    QFETCH(int, kind);
    QFETCH(qint64, sequence);
    QString error;
    const std::optional<ResponsesEvent> event = parseResponsesEvent(data, name, &error);
    if (kind < 0) {
        QVERIFY(!event);
        QVERIFY(!error.isEmpty());
        return;
    }
    QVERIFY2(event, qPrintable(error));
    QCOMPARE(int(event->kind), kind);
    QCOMPARE(event->sequenceNumber, sequence);
}

QTEST_APPLESS_MAIN(TestResponsesStream)
#include "tst_responsesstream.moc"
