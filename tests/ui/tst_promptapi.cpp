// The prompt panel's API switch: with Responses a conversation continues by
// previous_response_id (only the new prompt is sent, the server keeps the turns); with
// Chat Completions the whole conversation is sent again.
#include "core/client/requestjob.h"
#include "core/wire/responsesresponse.h"
#include "sessionfixture.h"
#include "ui/answerwidget.h"
#include "ui/promptpanel.h"

#include <QComboBox>
#include <QLabel>
#include <QPointer>

using namespace gp;

class TestPromptApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void responsesIsTheDefault();
    void responsesKeepsTheConversation_data();
    void responsesKeepsTheConversation();

private:
    // Sends `prompt`, waits for its answer; the finished job's outcome in *outcome.
    static bool turn(PromptPanel &panel, const QString &prompt, RequestKind *kind, int *messages,
                     Outcome *outcome);
};

void TestPromptApi::responsesIsTheDefault()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    PromptPanel panel(session.get());
    QVERIFY(panel.usesResponses());
    QCOMPARE(panel.apiPicker()->count(), 2);
    panel.setUsesResponses(false);
    QVERIFY(!panel.usesResponses());
}

bool TestPromptApi::turn(PromptPanel &panel, const QString &prompt, RequestKind *kind, int *messages,
                         Outcome *outcome)
{
    QPointer<RequestJob> sent;
    auto link = connect(&panel, &PromptPanel::submitted, &panel, [&](RequestJob *job) {
        sent = job;
        *kind = job->kind();
        *messages = int(job->request().messages.size()); // what the job sends, as messages
        connect(job, &RequestJob::finished, &panel, [job, outcome] { *outcome = job->outcome(); });
    });
    const int index = panel.answerCount();
    panel.setPromptText(prompt);
    panel.send();
    disconnect(link);
    if (!sent || panel.answerCount() != index + 1)
        return false;
    AnswerWidget *card = panel.answer(index);
    if (!QTest::qWaitFor([card] { return card->isFinished(); }, 15000))
        return false;
    return card->succeeded() && !card->answerText().isEmpty();
}

void TestPromptApi::responsesKeepsTheConversation_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("streamed") << true;
    QTest::newRow("not streamed") << false;
}

void TestPromptApi::responsesKeepsTheConversation()
{
    QFETCH(bool, stream);
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    PromptPanel panel(session.get());
    panel.setStreaming(stream);
    RequestKind kind = RequestKind::ChatCompletions;
    int messages = 0;
    Outcome first;
    QVERIFY(turn(panel, QStringLiteral("Name three prime numbers."), &kind, &messages, &first));
    QCOMPARE(kind, RequestKind::Responses);
    QCOMPARE(messages, 1);
    QVERIFY(!first.response.id.isEmpty());
    QCOMPARE(panel.previousResponseId(), first.response.id);

    // The next turn's estimate says nothing is resent.
    panel.setPromptText(QStringLiteral("And two more."));
    QTRY_VERIFY2(panel.estimateLabel()->text().contains(QStringLiteral("0 history tokens resent")),
                 qPrintable(panel.estimateLabel()->text()));

    Outcome second;
    QVERIFY(turn(panel, QStringLiteral("And two more."), &kind, &messages, &second));
    QCOMPARE(kind, RequestKind::Responses);
    QCOMPARE(messages, 1); // only the new prompt: no history resent
    // The server echoes the id it received (streamed: in the object rebuilt from the events)
    // and bills the turns it kept for it.
    {
        QString error;
        const auto body = parseResponsesResponse(second.responseBody, &error);
        QVERIFY2(body.has_value(), qPrintable(error));
        QCOMPARE(body->previousResponseId, first.response.id);
    }
    QVERIFY2(second.response.usage.promptTokens
                 > first.response.usage.promptTokens + first.response.usage.completionTokens,
             qPrintable(QString::number(second.response.usage.promptTokens)));
    QCOMPARE(panel.previousResponseId(), second.response.id);

    // Chat Completions sends the whole conversation again, and says so.
    panel.setUsesResponses(false);
    panel.setPromptText(QStringLiteral("And the next one?"));
    QTRY_VERIFY2(panel.estimateLabel()->text().contains(QStringLiteral("history")),
                 qPrintable(panel.estimateLabel()->text()));
    QVERIFY(!panel.estimateLabel()->text().contains(QStringLiteral("0 history tokens resent")));
    Outcome third;
    QVERIFY(turn(panel, QStringLiteral("And the next one?"), &kind, &messages, &third));
    QCOMPARE(kind, RequestKind::ChatCompletions);
    QCOMPARE(messages, 5); // two turns of two messages, then the prompt
    QVERIFY(panel.previousResponseId().isEmpty()); // the chat turn is not in the server's chain

    // Clear conversation forgets the chain.
    panel.setUsesResponses(true);
    Outcome fourth;
    QVERIFY(turn(panel, QStringLiteral("Back to Responses."), &kind, &messages, &fourth));
    QCOMPARE(messages, 7); // no chain: the conversation so far goes as input once
    QVERIFY(!panel.previousResponseId().isEmpty());
    panel.clearConversation();
    QVERIFY(panel.previousResponseId().isEmpty());
    QVERIFY(turn(panel, QStringLiteral("Fresh start."), &kind, &messages, &fourth));
    QCOMPARE(messages, 1);
}

QTEST_MAIN(TestPromptApi)
#include "tst_promptapi.moc"
