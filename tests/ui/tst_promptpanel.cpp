// The prompt panel sends to the simulator and shows the answer, streamed or not.
#include "sessionfixture.h"
#include "ui/answerwidget.h"
#include "ui/mainwindow.h"
#include "ui/promptpanel.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QPlainTextEdit>

using namespace gp;

class TestPromptPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answers_data();
    void answers();
    void ctrlEnterSendsAndEscCancels();
    void clearEmptiesConversation();
};

void TestPromptPanel::answers_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("streamed") << true;
    QTest::newRow("whole") << false;
}

void TestPromptPanel::answers()
{
    QFETCH(bool, stream);
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    MainWindow window(session.get());
    window.show();
    PromptPanel *panel = window.promptPanel();
    panel->setStreaming(stream);
    panel->setPromptText(QStringLiteral("Hello there"));
    panel->send();
    QCOMPARE(panel->answerCount(), 1);
    QCOMPARE(panel->inFlight(), 1);
    AnswerWidget *answer = panel->answer(0);
    QTRY_VERIFY_WITH_TIMEOUT(answer->isFinished(), 10000);
    QVERIFY2(answer->succeeded(), qPrintable(answer->footerText()));
    QVERIFY(!answer->answerText().isEmpty());
    QVERIFY2(answer->footerText().contains(QStringLiteral("1 attempt")), qPrintable(answer->footerText()));
    QVERIFY2(answer->footerText().contains(QStringLiteral("tokens")), qPrintable(answer->footerText()));
    QVERIFY(answer->footerText().contains(u'$'));
    QCOMPARE(panel->inFlight(), 0);
}

void TestPromptPanel::ctrlEnterSendsAndEscCancels()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    // The first request stalls long enough to be cancelled.
    session->simulator()->enqueueFaults(
        QJsonArray { QJsonObject { { QStringLiteral("kind"), QStringLiteral("stall_before_headers") },
                                   { QStringLiteral("ms"), 20000 } } });
    MainWindow window(session.get());
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    const auto edits = window.promptPanel()->findChildren<QPlainTextEdit *>();
    QPlainTextEdit *prompt = nullptr;
    for (QPlainTextEdit *e : edits)
        if (e->accessibleName() == u"Prompt")
            prompt = e;
    QVERIFY(prompt);
    prompt->setFocus();
    QTest::keyClicks(prompt, QStringLiteral("Slow one"));
    QTest::keyClick(prompt, Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(window.promptPanel()->answerCount(), 1);
    QTest::keyClick(prompt, Qt::Key_Escape);
    AnswerWidget *answer = window.promptPanel()->answer(0);
    QTRY_VERIFY_WITH_TIMEOUT(answer->isFinished(), 5000);
    QVERIFY(!answer->succeeded());
}

void TestPromptPanel::clearEmptiesConversation()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    MainWindow window(session.get());
    window.promptPanel()->setPromptText(QStringLiteral("One"));
    window.promptPanel()->send();
    window.promptPanel()->setPromptText(QStringLiteral("Two"));
    window.promptPanel()->send();
    QCOMPARE(window.promptPanel()->answerCount(), 2);
    window.promptPanel()->clearConversation();
    QCOMPARE(window.promptPanel()->answerCount(), 0);
    QCOMPARE(window.promptPanel()->inFlight(), 0);
}

QTEST_MAIN(TestPromptPanel)
#include "tst_promptpanel.moc"
