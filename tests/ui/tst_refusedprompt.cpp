// A prompt the pacer refuses at once (larger than the token limit) ends visibly: the card
// says why, nothing stays "in flight", Cancel is disabled, and the failure is counted.
#include "core/telemetry/telemetry.h"
#include "sessionfixture.h"
#include "ui/answerwidget.h"
#include "ui/demotraffic.h"
#include "ui/mainwindow.h"
#include "ui/promptpanel.h"

#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

using namespace gp;

class TestRefusedPrompt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refusedPromptEnds_data();
    void refusedPromptEnds();
};

void TestRefusedPrompt::refusedPromptEnds_data()
{
    QTest::addColumn<int>("maxTokens");
    QTest::addColumn<QString>("wording");
    QTest::newRow("100000 tokens on 6000 tpm") << 100000 << QStringLiteral("limit is 6000 tokens per minute");
    QTest::newRow("6001 tokens on 6000 tpm") << 6001 << QStringLiteral("Shorten the prompt");
}

void TestRefusedPrompt::refusedPromptEnds()
{
    QFETCH(int, maxTokens);
    QFETCH(QString, wording);
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("tpm-bound"));
    MainWindow window(session.get());
    window.show();
    PromptPanel *panel = window.promptPanel();
    QSpinBox *max = nullptr;
    for (QSpinBox *box : panel->findChildren<QSpinBox *>())
        if (box->accessibleName() == u"Max completion tokens")
            max = box;
    QVERIFY(max);
    // One small prompt first: its answer's headers teach the pacer the 6000 tpm limit.
    max->setValue(32);
    panel->setPromptText(QStringLiteral("Teach me the limit"));
    panel->send();
    QTRY_VERIFY_WITH_TIMEOUT(panel->answer(0)->isFinished(), 10000);
    QVERIFY2(panel->answer(0)->succeeded(), qPrintable(panel->answer(0)->footerText()));

    max->setValue(maxTokens);
    panel->setPromptText(QStringLiteral("Write a very long essay"));
    panel->send();
    AnswerWidget *answer = panel->answer(1);
    QTRY_VERIFY_WITH_TIMEOUT(answer->isFinished(), 3000);
    QVERIFY(!answer->succeeded());
    bool saysWhy = false;
    for (QLabel *label : answer->findChildren<QLabel *>())
        saysWhy = saysWhy || label->text().contains(wording);
    QVERIFY2(saysWhy, "the card must carry the refusal's sentence");
    QCOMPARE(panel->inFlight(), 0);
    for (QPushButton *button : panel->findChildren<QPushButton *>())
        if (button->accessibleName() == u"Cancel prompts in flight")
            QVERIFY(!button->isEnabled());
    // Counted where the errors chart reads: one failed request, one error of its class.
    const MetricsSnapshot &totals = session->telemetry()->hub().snapshot();
    QTRY_COMPARE_WITH_TIMEOUT(totals.outcomes[MetricsSnapshot::Failed], quint64(1), 2000);
    QCOMPARE(totals.errors[size_t(errorBucketOf(ErrorClass::RequestTooLarge))], quint64(1));
}

QTEST_MAIN(TestRefusedPrompt)
#include "tst_refusedprompt.moc"
