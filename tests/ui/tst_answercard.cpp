// The answer card says what is happening and what happened: a live retry countdown,
// "3 attempts: 503, 503" after retries, "Cancelled by you" with what was already spent.
#include "sessionfixture.h"
#include "ui/answerwidget.h"
#include "ui/mainwindow.h"
#include "ui/promptpanel.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QRegularExpression>

using namespace gp;

namespace {

QJsonObject fault503(int retryAfterSeconds = 0)
{
    QJsonObject fault { { QStringLiteral("kind"), QStringLiteral("status") },
                        { QStringLiteral("status"), 503 } };
    if (retryAfterSeconds > 0)
        fault.insert(QStringLiteral("headers"),
                     QJsonObject { { QStringLiteral("Retry-After"), QString::number(retryAfterSeconds) } });
    return fault;
}

QString cardText(const AnswerWidget *card)
{
    QStringList texts;
    for (const QLabel *label : card->findChildren<QLabel *>())
        texts.append(label->text());
    return texts.join(u'\n');
}

double secondsIn(const QString &text)
{
    const auto match = QRegularExpression(QStringLiteral("Retrying in ([0-9.]+) s")).match(text);
    return match.hasMatch() ? match.captured(1).toDouble() : -1.0;
}

} // namespace

class TestAnswerCard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void successAfterRetriesSaysWhy_data();
    void successAfterRetriesSaysWhy();
    void liveRetryCountdown();
    void cancelledByYouKeepsPartialCost();
    void cancelledWhileQueued();
};

void TestAnswerCard::successAfterRetriesSaysWhy_data()
{
    QTest::addColumn<int>("failures");
    QTest::addColumn<QString>("summary");
    QTest::newRow("two 503s") << 2 << QStringLiteral("3 attempts: 503, 503");
    QTest::newRow("one 503") << 1 << QStringLiteral("2 attempts: 503");
    QTest::newRow("clean") << 0 << QStringLiteral("1 attempt ·");
}

void TestAnswerCard::successAfterRetriesSaysWhy()
{
    QFETCH(int, failures);
    QFETCH(QString, summary);
    QTemporaryDir dir;
    ConsoleSettings settings;
    settings.retry.baseMs = 20;
    settings.retry.capMs = 50;
    auto session = test::startSession(dir, QStringLiteral("steady"), settings);
    QJsonArray faults;
    for (int i = 0; i < failures; ++i)
        faults.append(fault503());
    session->simulator()->enqueueFaults(faults);
    MainWindow window(session.get());
    PromptPanel *panel = window.promptPanel();
    panel->setPromptText(QStringLiteral("Hello"));
    panel->send();
    AnswerWidget *card = panel->answer(0);
    QTRY_VERIFY_WITH_TIMEOUT(card->isFinished(), 10000);
    QVERIFY2(card->succeeded(), qPrintable(card->footerText()));
    QVERIFY2(card->footerText().startsWith(summary), qPrintable(card->footerText()));
}

void TestAnswerCard::liveRetryCountdown()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    session->simulator()->enqueueFaults(QJsonArray { fault503(3) });
    MainWindow window(session.get());
    PromptPanel *panel = window.promptPanel();
    panel->setPromptText(QStringLiteral("Hello"));
    panel->send();
    AnswerWidget *card = panel->answer(0);
    QTRY_VERIFY_WITH_TIMEOUT(secondsIn(card->liveText()) > 1.5, 5000);
    const double first = secondsIn(card->liveText());
    QVERIFY2(card->liveText().contains(QStringLiteral("Attempt 1 failed (503 server error)")),
             qPrintable(card->liveText()));
    // The countdown moves while the job waits: never a stale "retrying in 3 s".
    QTRY_VERIFY_WITH_TIMEOUT(secondsIn(card->liveText()) >= 0 && secondsIn(card->liveText()) < first - 0.5,
                             3000);
    QTRY_VERIFY_WITH_TIMEOUT(card->isFinished(), 10000);
    QVERIFY2(card->footerText().startsWith(QStringLiteral("2 attempts: 503")),
             qPrintable(card->footerText()));
}

void TestAnswerCard::cancelledByYouKeepsPartialCost()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    // Streams a little, then stalls: cancelled with text on screen.
    session->simulator()->enqueueFaults(
        QJsonArray { QJsonObject { { QStringLiteral("kind"), QStringLiteral("stall_mid_stream") },
                                   { QStringLiteral("after_chunks"), 3 },
                                   { QStringLiteral("ms"), 20000 } } });
    MainWindow window(session.get());
    PromptPanel *panel = window.promptPanel();
    panel->setStreaming(true);
    panel->setPromptText(QStringLiteral("Tell me a long story"));
    panel->send();
    AnswerWidget *card = panel->answer(0);
    QTRY_VERIFY_WITH_TIMEOUT(!card->answerText().isEmpty(), 5000);
    panel->cancelAll();
    QVERIFY(card->isFinished());
    const QString text = cardText(card);
    QVERIFY2(text.contains(QStringLiteral("Cancelled by you")), qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral("cancelled (cancelled)")), qPrintable(text));
    QVERIFY2(!text.contains(QStringLiteral("by the caller")), qPrintable(text));
    QVERIFY2(text.contains(card->answerText()), "the streamed part stays on the card");
    QVERIFY2(card->footerText().contains(QStringLiteral("tokens so far")), qPrintable(card->footerText()));
    QVERIFY2(card->footerText().contains(QStringLiteral("≈$")), qPrintable(card->footerText()));
}

void TestAnswerCard::cancelledWhileQueued()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    session->simulator()->enqueueFaults(
        QJsonArray { QJsonObject { { QStringLiteral("kind"), QStringLiteral("stall_before_headers") },
                                   { QStringLiteral("ms"), 20000 } } });
    MainWindow window(session.get());
    PromptPanel *panel = window.promptPanel();
    panel->setPromptText(QStringLiteral("Slow"));
    panel->send();
    AnswerWidget *card = panel->answer(0);
    QTRY_VERIFY_WITH_TIMEOUT(card->liveText().contains(QStringLiteral("Sent")), 5000);
    panel->cancelAll();
    const QString text = cardText(card);
    QVERIFY2(text.contains(QStringLiteral("Cancelled by you")), qPrintable(text));
    QVERIFY2(card->footerText().startsWith(QStringLiteral("1 attempt")), qPrintable(card->footerText()));
}

QTEST_MAIN(TestAnswerCard)
#include "tst_answercard.moc"
