// Before a prompt is sent the panel says what it will cost, warns when the resent history
// dominates, and will not send nothing; a pasted file is collapsed in its card.
#include "sessionfixture.h"
#include "ui/answerwidget.h"
#include "ui/promptestimate.h"
#include "ui/promptpanel.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>

using namespace gp;

class TestPromptEstimate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void estimateCountsHistory_data();
    void estimateCountsHistory();
    void sendNeedsAPrompt();
    void estimateShownBeforeSending();
    void heavyHistoryWarns();
    void longPromptCollapsed();
};

void TestPromptEstimate::estimateCountsHistory_data()
{
    QTest::addColumn<int>("historyChars");
    QTest::addColumn<bool>("expensive");
    QTest::newRow("no history") << 0 << false;
    QTest::newRow("short history") << 400 << false;
    QTest::newRow("40 KB of history") << 40'000 << true;
}

void TestPromptEstimate::estimateCountsHistory()
{
    QFETCH(int, historyChars);
    QFETCH(bool, expensive);
    QList<ChatMessage> history;
    if (historyChars > 0)
        history = { { QStringLiteral("user"), QString(historyChars / 2, u'a') },
                    { QStringLiteral("assistant"), QString(historyChars / 2, u'b') } };
    ChatRequest request;
    request.model = QStringLiteral("grok-4");
    request.messages = { { QStringLiteral("system"), QStringLiteral("Be brief.") } };
    request.messages += history;
    request.messages.append({ QStringLiteral("user"), QStringLiteral("What is jitter?") });
    request.maxCompletionTokens = 1000;
    const PromptEstimate e = PromptEstimate::of(request, history);
    QVERIFY(e.promptTokens > 0 && e.promptTokens < 50);
    QCOMPARE(e.historyTokens > 0, historyChars > 0);
    QCOMPARE(e.promptTokens + e.historyTokens, request.estimatePromptTokens());
    QCOMPARE(e.maxOutputTokens, qint64(1000));
    QVERIFY(e.inputUsd > 0.0 && e.maxUsd > e.inputUsd); // output allowed costs more
    QCOMPARE(e.level() == PromptEstimate::Level::Expensive, expensive);
    QCOMPARE(e.warning().isEmpty(), !expensive);
    QVERIFY2(e.text().contains(QStringLiteral("tokens in")) && e.text().contains(u'$'), qPrintable(e.text()));
    QCOMPARE(e.text().contains(QStringLiteral("history")), historyChars > 0);
}

void TestPromptEstimate::sendNeedsAPrompt()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    PromptPanel panel(session.get());
    QVERIFY(!panel.sendButton()->isEnabled());
    panel.setPromptText(QStringLiteral("   \n  "));
    QVERIFY(!panel.sendButton()->isEnabled());
    panel.setPromptText(QStringLiteral("Hello"));
    QVERIFY(panel.sendButton()->isEnabled());
    panel.send();
    QVERIFY(!panel.sendButton()->isEnabled()); // the box is empty again
}

void TestPromptEstimate::estimateShownBeforeSending()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    PromptPanel panel(session.get());
    QVERIFY(panel.estimateLabel()->text().isEmpty());
    panel.setPromptText(QStringLiteral("Explain in two sentences why clients should back off with jitter."));
    QTRY_VERIFY(!panel.estimateLabel()->text().isEmpty());
    QVERIFY2(panel.estimateLabel()->text().contains(QStringLiteral("tokens in")),
             qPrintable(panel.estimateLabel()->text()));
    QVERIFY(panel.estimateLabel()->text().contains(QStringLiteral("up to 1,024 out")));
    QVERIFY(!panel.estimateLabel()->text().contains(u'⚠'));
}

void TestPromptEstimate::heavyHistoryWarns()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    PromptPanel panel(session.get());
    panel.setUsesResponses(false); // Chat Completions resends the history (Responses keeps it)
    panel.setPromptText(QString(12'000, u'x') + QStringLiteral(" Summarise."));
    panel.send();
    QTRY_VERIFY_WITH_TIMEOUT(panel.answer(0)->isFinished(), 15000);
    QVERIFY(panel.answer(0)->succeeded());
    panel.setPromptText(QStringLiteral("And now?"));
    QTRY_VERIFY2(panel.estimateLabel()->text().contains(QStringLiteral("⚠")),
                 qPrintable(panel.estimateLabel()->text()));
    QVERIFY(panel.estimateLabel()->text().contains(QStringLiteral("sent again")));
    panel.clearConversation();
    panel.setPromptText(QStringLiteral("And now, fresh?"));
    QTRY_VERIFY(!panel.estimateLabel()->text().contains(QStringLiteral("⚠")));
}

void TestPromptEstimate::longPromptCollapsed()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    PromptPanel panel(session.get());
    QString paste;
    for (int i = 0; i < 1000; ++i)
        paste += QStringLiteral("line %1 of a pasted log file, fifty bytes or so\n").arg(i);
    panel.setPromptText(paste + QStringLiteral("What went wrong?"));
    panel.send();
    AnswerWidget *card = panel.answer(0);
    QVERIFY(card->isPromptCollapsed());
    QCOMPARE(card->prompt(),
             QString(paste + QStringLiteral("What went wrong?")).trimmed()); // all of it is sent
    int longest = 0;
    for (const QLabel *label : card->findChildren<QLabel *>())
        longest = std::max(longest, int(label->text().size()));
    QVERIFY2(longest < 1000, qPrintable(QString::number(longest)));
    // A short prompt is shown whole.
    panel.setPromptText(QStringLiteral("Short one."));
    panel.send();
    QVERIFY(!panel.answer(1)->isPromptCollapsed());
}

QTEST_MAIN(TestPromptEstimate)
#include "tst_promptestimate.moc"
