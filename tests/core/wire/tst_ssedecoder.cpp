#include "core/wire/chatresponse.h"
#include "core/wire/ssedecoder.h"

#include <QRandomGenerator>
#include <QTest>

using namespace gp;
using namespace Qt::StringLiterals;

class TestSseDecoder final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decode_data();
    void decode();
    void crlfSplitAcrossFeeds();
    void finishResetsForANewStream();
    void errorStopsDecodingForGood();
    void memoryStaysBoundedOnAnEndlessLine();
    void realStreamInAnySplit();
};

// One event as "event|id|data" so tables can list expected events as strings.
static QByteArray describe(const SseEvent &e)
{
    return e.event + '|' + e.id + '|' + e.data;
}

static QByteArrayList describeAll(const QList<SseEvent> &events)
{
    QByteArrayList out;
    for (const SseEvent &e : events)
        out.append(describe(e));
    return out;
}

struct Decoded
{
    QByteArrayList events;
    bool error = false;
};

// Feeds `input` in pieces whose sizes come from `nextSize`, then finishes.
template<typename NextSize>
static Decoded decodeInPieces(const QByteArray &input, qsizetype maxLine, NextSize nextSize)
{
    SseDecoder decoder(maxLine);
    QList<SseEvent> events;
    for (qsizetype at = 0; at < input.size();) {
        const qsizetype size = qMin(nextSize(), input.size() - at);
        events += decoder.feed(QByteArrayView(input).sliced(at, size));
        at += size;
    }
    events += decoder.finish();
    return { describeAll(events), decoder.hasError() };
}

void TestSseDecoder::decode_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("maxLine");
    QTest::addColumn<QByteArrayList>("events");
    QTest::addColumn<bool>("error");

    const int big = 1024;
    QTest::newRow("one event") << "data: hello\n\n"_ba << big << QByteArrayList { "||hello" } << false;
    QTest::newRow("no space after colon")
        << "data:hello\n\n"_ba << big << QByteArrayList { "||hello" } << false;
    QTest::newRow("only one space removed")
        << "data:  two\n\n"_ba << big << QByteArrayList { "|| two" } << false;
    QTest::newRow("multi-line data joined")
        << "data: a\ndata: b\ndata:\n\n"_ba << big << QByteArrayList { "||a\nb\n" } << false;
    QTest::newRow("CRLF lines") << "data: a\r\n\r\ndata: b\r\n\r\n"_ba << big
                                << QByteArrayList { "||a", "||b" } << false;
    QTest::newRow("lone CR lines") << "data: a\r\rdata: b\r\r"_ba << big << QByteArrayList { "||a", "||b" }
                                   << false;
    QTest::newRow("mixed endings") << "data: a\r\ndata: b\n\rdata: c\r\n\n"_ba << big
                                   << QByteArrayList { "||a\nb", "||c" } << false;
    QTest::newRow("comments skipped")
        << ": keep-alive\ndata: x\n: more\n\n:\n\n"_ba << big << QByteArrayList { "||x" } << false;
    QTest::newRow("event and id fields")
        << "event: delta\nid: 7\ndata: {}\n\n"_ba << big << QByteArrayList { "delta|7|{}" } << false;
    QTest::newRow("id persists, event resets") << "event: e\nid: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\n"_ba
                                               << big << QByteArrayList { "e|1|a", "|1|b", "||c" } << false;
    QTest::newRow("done sentinel") << "data: {\"a\":1}\n\ndata: [DONE]\n\n"_ba << big
                                   << QByteArrayList { "||{\"a\":1}", "||[DONE]" } << false;
    QTest::newRow("finish flushes unterminated line")
        << "data: last"_ba << big << QByteArrayList { "||last" } << false;
    QTest::newRow("finish flushes without blank line")
        << "data: a\n\ndata: last\n"_ba << big << QByteArrayList { "||a", "||last" } << false;
    QTest::newRow("bare data field is empty data")
        << "data\n\n"_ba << big << QByteArrayList { "||" } << false;
    QTest::newRow("leading BOM dropped") << "\xEF\xBB\xBF"
                                            "data: x\n\n"_ba
                                         << big << QByteArrayList { "||x" } << false;
    QTest::newRow("UTF-8 kept as bytes") << "data: h\xc3\xa9 \xf0\x9f\x98\x80\n\n"_ba << big
                                         << QByteArrayList { "||h\xc3\xa9 \xf0\x9f\x98\x80" } << false;
    QTest::newRow("line of exactly the bound")
        << "data:12345\n\n"_ba << 10 << QByteArrayList { "||12345" } << false;

    QTest::newRow("empty input") << QByteArray() << big << QByteArrayList() << false;
    QTest::newRow("blank lines only") << "\n\r\n\r\n\n"_ba << big << QByteArrayList() << false;
    QTest::newRow("event without data not dispatched")
        << "event: ping\nid: 3\n\ndata: x\n\n"_ba << big << QByteArrayList { "|3|x" } << false;
    QTest::newRow("unknown fields and retry ignored")
        << "retry: 100\nfoo: bar\nDATA: no\ndata : no\ndata: y\n\n"_ba << big << QByteArrayList { "||y" }
        << false;
    QTest::newRow("id with NUL ignored") << "id: 1\ndata: a\n\nid: 2\x00x\ndata: b\n\n"_ba << big
                                         << QByteArrayList { "|1|a", "|1|b" } << false;
    QTest::newRow("BOM only at stream start") << "data: a\n\n\xEF\xBB\xBF"
                                                 "data: b\n\n"_ba
                                              << big << QByteArrayList { "||a" } << false;
    QTest::newRow("NUL bytes in data kept")
        << "data: a\x00z\n\n"_ba << big << QByteArrayList { "||a\x00z"_ba } << false;
    QTest::newRow("colon-only lines are comments") << ":\n:\r\n:\r\r"_ba << big << QByteArrayList() << false;
    QTest::newRow("spaces-only line is an unknown field")
        << "   \n\n data: x\n\n"_ba << big << QByteArrayList() << false;
    QTest::newRow("event without data at the end")
        << "data: a\n\nevent: x\nid: 4"_ba << big << QByteArrayList { "||a" } << false;
    QTest::newRow("oversized event name")
        << "event: 01234567890123456789\ndata: x\n\n"_ba << 16 << QByteArrayList() << true;
    QTest::newRow("oversized line") << "data: ok\n\ndata: 0123456789012345\n\ndata: after\n\n"_ba << 16
                                    << QByteArrayList { "||ok" } << true;
    QTest::newRow("oversized unterminated line")
        << "data: ok\n\ndata: 01234567890123456789"_ba << 16 << QByteArrayList { "||ok" } << true;
    QTest::newRow("oversized joined data")
        << "data: 12345\ndata: 12345\ndata: 12345\n\ndata: x\n\n"_ba << 16 << QByteArrayList() << true;
    QTest::newRow("oversized comment line")
        << ":01234567890123456789\ndata: x\n\n"_ba << 16 << QByteArrayList() << true;
    QTest::newRow("bound of one byte") << "d\n\n"_ba << 1 << QByteArrayList() << false;
}

void TestSseDecoder::decode()
{
    QFETCH(QByteArray, input);
    QFETCH(int, maxLine);
    QFETCH(QByteArrayList, events);
    QFETCH(bool, error);

    const Decoded whole = decodeInPieces(input, maxLine, [&] { return input.size(); });
    QCOMPARE(whole.events, events);
    QCOMPARE(whole.error, error);
    const Decoded bytes = decodeInPieces(input, maxLine, [] { return qsizetype(1); });
    QCOMPARE(bytes.events, events);
    QCOMPARE(bytes.error, error);
    QRandomGenerator random(7);
    for (int round = 0; round < 20; ++round) {
        const Decoded pieces
            = decodeInPieces(input, maxLine, [&] { return qsizetype(random.bounded(1, 6)); });
        QCOMPARE(pieces.events, events);
        QCOMPARE(pieces.error, error);
    }
}

void TestSseDecoder::crlfSplitAcrossFeeds()
{
    SseDecoder decoder;
    QVERIFY(decoder.feed("data: a\r").isEmpty());
    // The \n completes the \r\n: no blank line, so no dispatch yet.
    QVERIFY(decoder.feed("\n").isEmpty());
    QVERIFY(decoder.feed("data: b\r").isEmpty());
    const QList<SseEvent> events = decoder.feed("\n\r\n");
    QCOMPARE(describeAll(events), QByteArrayList { "||a\nb" });
    QVERIFY(decoder.finish().isEmpty());
}

void TestSseDecoder::finishResetsForANewStream()
{
    SseDecoder decoder;
    QCOMPARE(describeAll(decoder.feed("id: 9\ndata: a\n\ndata: b")), QByteArrayList { "|9|a" });
    QCOMPARE(describeAll(decoder.finish()), QByteArrayList { "|9|b" });
    QVERIFY(decoder.finish().isEmpty());
    QCOMPARE(describeAll(decoder.feed("data: c\n\n")), QByteArrayList { "||c" });
    QVERIFY(!decoder.hasError());
}

void TestSseDecoder::errorStopsDecodingForGood()
{
    SseDecoder decoder(8);
    QVERIFY(decoder.feed("data: 1234567").isEmpty());
    QVERIFY(decoder.hasError());
    QCOMPARE(decoder.errorString(), u"SSE line longer than 8 bytes"_s);
    QVERIFY(decoder.feed("\n\ndata: x\n\n").isEmpty());
    QVERIFY(decoder.finish().isEmpty());
    QVERIFY(decoder.hasError());

    SseDecoder joined(10); // each line fits, the joined data (11 bytes) does not
    QVERIFY(joined.feed("data:12345\ndata:12345\n").isEmpty());
    QCOMPARE(joined.errorString(), u"SSE event data longer than 10 bytes"_s);
}

void TestSseDecoder::memoryStaysBoundedOnAnEndlessLine()
{
    SseDecoder decoder(4096);
    const QByteArray chunk(1000, 'x');
    QVERIFY(decoder.feed("data: ").isEmpty());
    int fed = 0;
    while (!decoder.hasError() && fed < 100) {
        QVERIFY(decoder.feed(chunk).isEmpty());
        ++fed;
    }
    QVERIFY(decoder.hasError());
    QCOMPARE(fed, 5); // stopped as soon as the bound was passed, not at the end
    QVERIFY(decoder.feed(chunk).isEmpty());
}

void TestSseDecoder::realStreamInAnySplit()
{
    // A Grok stream as it comes off the wire: role, reasoning, content, finish, usage, done.
    const QByteArray stream
        = "data: "
          "{\"id\":\"a1\",\"object\":\"chat.completion.chunk\",\"model\":\"grok-4-0709\",\"choices\":[{"
          "\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\r\n\r\n"
          ": keep-alive\r\n\r\n"
          "data: {\"id\":\"a1\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"Th\xc3\xa9 "
          "user\"}}]}\r\n\r\n"
          "data: {\"id\":\"a1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Bonjour "
          "\xf0\x9f\x98\x80\"}}]}\r\n\r\n"
          "data: {\"id\":\"a1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\", "
          "caf\xc3\xa9\"}}]}\r\n\r\n"
          "data: {\"id\":\"a1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\r\n\r\n"
          "data: "
          "{\"id\":\"a1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":5,\"total_"
          "tokens\":30,\"completion_tokens_details\":{\"reasoning_tokens\":16}}}\r\n\r\n"
          "data: [DONE]\r\n\r\n"_ba;
    const Decoded whole = decodeInPieces(stream, 1 << 20, [&] { return stream.size(); });
    QCOMPARE(whole.events.size(), 7);
    QVERIFY(!whole.error);

    QCOMPARE(decodeInPieces(stream, 1 << 20, [] { return qsizetype(1); }).events, whole.events);
    QRandomGenerator random(12345);
    for (int round = 0; round < 200; ++round) {
        const Decoded pieces
            = decodeInPieces(stream, 1 << 20, [&] { return qsizetype(random.bounded(1, 40)); });
        QCOMPARE(pieces.events, whole.events);
    }

    // The decoded events carry the conversation intact.
    SseDecoder decoder;
    QString content;
    QString reasoning;
    std::optional<Usage> usage;
    bool done = false;
    for (const SseEvent &event : decoder.feed(stream) + decoder.finish()) {
        if (event.isDone()) {
            done = true;
            continue;
        }
        QString error;
        const std::optional<ChatChunk> chunk = parseChatChunk(event.data, &error);
        QVERIFY2(chunk, qPrintable(error));
        content += chunk->deltaContent;
        reasoning += chunk->deltaReasoning;
        if (chunk->usage)
            usage = chunk->usage;
    }
    QVERIFY(done);
    QCOMPARE(content, u"Bonjour 😀, café"_s);
    QCOMPARE(reasoning, u"Thé user"_s);
    QVERIFY(usage);
    QCOMPARE(usage->billedTokens(), 30);
}

QTEST_APPLESS_MAIN(TestSseDecoder)
#include "tst_ssedecoder.moc"
