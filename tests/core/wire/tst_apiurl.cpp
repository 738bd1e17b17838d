// The one URL joiner: every row a path some caller joins (the client's chat and models
// paths, batch input lines' url, the batch's --base-url given with or without /v1).
#include "core/wire/apiurl.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestApiUrl final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void joins_data();
    void joins();
    void findsRoot_data();
    void findsRoot();
};

void TestApiUrl::joins_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expected");
    QTest::newRow("xai v1 + v1 path")
        << u"https://api.x.ai/v1"_s << u"/v1/chat/completions"_s << u"https://api.x.ai/v1/chat/completions"_s;
    QTest::newRow("trailing slash") << u"https://api.x.ai/v1/"_s << u"/v1/chat/completions"_s
                                    << u"https://api.x.ai/v1/chat/completions"_s;
    QTest::newRow("path without v1") << u"https://api.x.ai/v1"_s << u"/chat/completions"_s
                                     << u"https://api.x.ai/v1/chat/completions"_s;
    QTest::newRow("relative path") << u"https://api.x.ai/v1"_s << u"chat/completions"_s
                                   << u"https://api.x.ai/v1/chat/completions"_s;
    QTest::newRow("bare host") << u"http://127.0.0.1:8080"_s << u"/v1/chat/completions"_s
                               << u"http://127.0.0.1:8080/v1/chat/completions"_s;
    QTest::newRow("prefix kept") << u"https://proxy.example/openai/v1"_s << u"/v1/chat/completions"_s
                                 << u"https://proxy.example/openai/v1/chat/completions"_s;
    QTest::newRow("no overlap") << u"https://h/api"_s << u"/v1/models"_s << u"https://h/api/v1/models"_s;
    QTest::newRow("query dropped") << u"https://h/v1?x=1"_s << u"/v1/chat/completions?y=2"_s
                                   << u"https://h/v1/chat/completions"_s;
    QTest::newRow("doubled slashes") << u"https://h//v1//"_s << u"//v1//chat//completions"_s
                                     << u"https://h/v1/chat/completions"_s;
    // What the client joins to its base URL.
    QTest::newRow("client, slash both sides")
        << u"http://h/v1/"_s << u"/chat/completions"_s << u"http://h/v1/chat/completions"_s;
    QTest::newRow("client, no slash")
        << u"http://h/v1"_s << u"chat/completions"_s << u"http://h/v1/chat/completions"_s;
    QTest::newRow("client, host only")
        << u"http://h"_s << u"chat/completions"_s << u"http://h/chat/completions"_s;
    QTest::newRow("client, models") << u"https://api.x.ai/v1"_s << u"models"_s
                                    << u"https://api.x.ai/v1/models"_s;
    QTest::newRow("port and user info kept")
        << u"http://u@127.0.0.1:9/v1"_s << u"models"_s << u"http://u@127.0.0.1:9/v1/models"_s;
}

void TestApiUrl::joins()
{
    QFETCH(QString, base);
    QFETCH(QString, path);
    QFETCH(QString, expected);
    QCOMPARE(gp::joinApiUrl(QUrl(base), path).toString(), expected);
}

void TestApiUrl::findsRoot_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("expected");
    QTest::newRow("with v1") << u"https://api.x.ai/v1"_s << u"https://api.x.ai/v1"_s;
    QTest::newRow("with v1 and slash") << u"https://api.x.ai/v1/"_s << u"https://api.x.ai/v1"_s;
    QTest::newRow("host only") << u"https://api.x.ai"_s << u"https://api.x.ai/v1"_s;
    QTest::newRow("the chat URL itself")
        << u"https://api.x.ai/v1/chat/completions"_s << u"https://api.x.ai/v1"_s;
    QTest::newRow("proxy prefix") << u"https://proxy.example/openai/v1"_s
                                  << u"https://proxy.example/openai/v1"_s;
    QTest::newRow("simulator") << u"http://127.0.0.1:4123/v1"_s << u"http://127.0.0.1:4123/v1"_s;
}

void TestApiUrl::findsRoot()
{
    QFETCH(QString, base);
    QFETCH(QString, expected);
    const QUrl root = gp::apiRootUrl(QUrl(base));
    QCOMPARE(root.toString(), expected);
    // The root is what the client joins its paths to: back to the chat URL every time.
    QCOMPARE(gp::joinApiUrl(root, u"chat/completions"_s),
             gp::joinApiUrl(QUrl(base), u"/v1/chat/completions"_s));
}

QTEST_GUILESS_MAIN(TestApiUrl)
#include "tst_apiurl.moc"
