// Settings applied while the console runs: a lower rate paces the traffic already queued, a
// new max attempts holds for the next prompt (a running one keeps its own), and the dialog
// marks and names what takes effect only at the next start.
#include "core/client/client.h"
#include "core/engine/engine.h"
#include "core/events/steadyclock.h"
#include "core/pacing/scheduler.h"
#include "sessionfixture.h"
#include "ui/promptpanel.h"
#include "ui/settingsdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

using namespace gp;

class TestSettingsApply : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lowerRateWhileTrafficRuns();
    void maxAttemptsForTheNextPrompt();
    void deadlineForTheNextPrompt();
    void dialogNamesWhatNeedsARestart();
    void defaultModelFollows();
};

namespace {

QJsonArray fails503(int count)
{
    QJsonArray faults;
    for (int i = 0; i < count; ++i)
        faults.append(QJsonObject { { QStringLiteral("kind"), QStringLiteral("status") },
                                    { QStringLiteral("status"), 503 } });
    return faults;
}

ChatRequest prompt()
{
    ChatRequest request;
    request.messages = { { QStringLiteral("user"), QStringLiteral("hello") } };
    request.maxCompletionTokens = 16;
    return request;
}

} // namespace

// Admissions are counted where they happen: each attempt the client starts.
void TestSettingsApply::lowerRateWhileTrafficRuns()
{
    QTemporaryDir dir;
    ConsoleSettings settings;
    settings.requestsPerSecond = 20;
    settings.maxInFlight = 4;
    auto session = test::startSession(dir, QStringLiteral("steady"), settings);
    QVERIFY(session->client());
    QList<qint64> started;
    connect(session->client(), &Client::eventEmitted, this, [&started](const Event &event) {
        if (event.kind == EventKind::AttemptStarted)
            started.append(SteadyClock::nowMs());
    });
    for (int i = 0; i < 100; ++i) // a backlog the old rate would clear in 4 s
        session->client()->submit(prompt());
    QTRY_VERIFY_WITH_TIMEOUT(started.size() >= 50, 10000);
    // Past the first second's burst: about 20 per second.
    const double before = 10.0 * 1000.0 / double(std::max<qint64>(1, started[49] - started[39]));
    QVERIFY2(before > 15.0 && before < 25.0, qPrintable(QString::number(before)));

    settings.requestsPerSecond = 4;
    const ApplyReport report = session->updateSettings(settings);
    QVERIFY(report.applied.contains(EngineSetting::Limits));
    const int changedAt = int(started.size());
    // The bucket keeps at most 4 (one second at the new rate); after that, 4 per second.
    QTRY_VERIFY_WITH_TIMEOUT(started.size() >= changedAt + 14, 10000);
    const qint64 spanMs = started[changedAt + 13] - started[changedAt + 5];
    const double after = 8.0 * 1000.0 / double(std::max<qint64>(1, spanMs));
    qInfo("admissions per second: %.2f at 20 rps, %.2f after lowering it to 4", before, after);
    QVERIFY2(after > 3.0 && after < 5.0, qPrintable(QString::number(after)));
    QCOMPARE(session->scheduler()->config().requestsPerSecond, 4.0);
    session->client()->cancelAll();
}

void TestSettingsApply::maxAttemptsForTheNextPrompt()
{
    QTemporaryDir dir;
    ConsoleSettings settings;
    settings.retry.jitter = JitterKind::Equal;
    settings.retry.baseMs = 40;
    settings.retry.capMs = 40;
    settings.retry.maxAttempts = 5;
    auto session = test::startSession(dir, QStringLiteral("steady"), settings);
    QVERIFY(session->client());
    QString error;
    QVERIFY2(session->simulator()->enqueueFaults(fails503(3), &error), qPrintable(error));
    // The first prompt runs when max attempts drops to 2: it keeps its 5 and succeeds on the 4th.
    RequestJob *running = session->client()->submit(prompt());
    running->setAutoDelete(false);
    settings.retry.maxAttempts = 2;
    bool changed = false;
    connect(session->client(), &Client::eventEmitted, this, [&](const Event &event) {
        if (event.kind == EventKind::RetryScheduled && !changed) {
            changed = true;
            QVERIFY(session->updateSettings(settings).applied.contains(EngineSetting::Retry));
        }
    });
    QTRY_VERIFY_WITH_TIMEOUT(running->isFinished(), 10000);
    QVERIFY(changed);
    QCOMPARE(running->outcome().status, JobStatus::Succeeded);
    QCOMPARE(running->outcome().attempts, 4);
    delete running;
    // The next prompt has the new max: two attempts, then it fails.
    QVERIFY2(session->simulator()->enqueueFaults(fails503(3), &error), qPrintable(error));
    RequestJob *next = session->client()->submit(prompt());
    next->setAutoDelete(false);
    QTRY_VERIFY_WITH_TIMEOUT(next->isFinished(), 10000);
    QCOMPARE(next->outcome().status, JobStatus::Failed);
    QCOMPARE(next->outcome().attempts, 2);
    delete next;
}

// A deadline set while running ends the next prompt that would wait past it (here: for a retry).
void TestSettingsApply::deadlineForTheNextPrompt()
{
    QTemporaryDir dir;
    ConsoleSettings settings;
    settings.retry.jitter = JitterKind::Equal;
    settings.retry.baseMs = 2000; // the retry waits 1 to 2 s
    settings.retry.capMs = 2000;
    auto session = test::startSession(dir, QStringLiteral("steady"), settings);
    QVERIFY(session->client());
    settings.timeouts.defaultDeadlineMs = 300;
    QVERIFY(session->updateSettings(settings).applied.contains(EngineSetting::Timeouts));
    QString error;
    QVERIFY2(session->simulator()->enqueueFaults(fails503(1), &error), qPrintable(error));
    RequestJob *job = session->client()->submit(prompt());
    job->setAutoDelete(false);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), 5000);
    QCOMPARE(job->outcome().status, JobStatus::Failed);
    QCOMPARE(job->outcome().error.errorClass, ErrorClass::DeadlineExceeded);
    QCOMPARE(job->outcome().attempts, 1);
    delete job;
}

void TestSettingsApply::dialogNamesWhatNeedsARestart()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    SettingsDialog dialog(session->settings());
    dialog.setApplier([&session](const ConsoleSettings &s) { return session->updateSettings(s); });
    const QStringList marked { QStringLiteral("Endpoint"), QStringLiteral("Simulator scenario") };
    QCOMPARE(dialog.restartOnlyFields(), marked);
    int marks = 0;
    for (const QLabel *label : dialog.findChildren<QLabel *>())
        marks += label->text() == QStringLiteral("at next start") ? 1 : 0;
    QCOMPARE(marks, marked.size());
    const auto field = [&dialog](const QString &name) -> QWidget * {
        for (QWidget *w : dialog.findChildren<QWidget *>())
            if (w->accessibleName() == name)
                return w;
        return nullptr;
    };
    qobject_cast<QLineEdit *>(field(QStringLiteral("Endpoint")))
        ->setText(QStringLiteral("https://api.example.test/v1"));
    qobject_cast<QDoubleSpinBox *>(field(QStringLiteral("Requests per second")))->setValue(3.0);
    QAbstractButton *apply = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Apply);
    QVERIFY(apply && !apply->isHidden());
    apply->click();
    QCOMPARE(session->scheduler()->config().requestsPerSecond, 3.0);
    QVERIFY2(dialog.resultLine().contains(QStringLiteral("Applied now: rate limits.")),
             qPrintable(dialog.resultLine()));
    QVERIFY2(dialog.resultLine().contains(QStringLiteral("After a restart: endpoint.")),
             qPrintable(dialog.resultLine()));
    // A cap below its base is refused whole: the rate stays, the line says why.
    qobject_cast<QDoubleSpinBox *>(field(QStringLiteral("Requests per second")))->setValue(1.0);
    qobject_cast<QDoubleSpinBox *>(field(QStringLiteral("Base delay")))->setValue(20.0);
    qobject_cast<QDoubleSpinBox *>(field(QStringLiteral("Cap")))->setValue(5.0);
    apply->click();
    QVERIFY2(dialog.resultLine().startsWith(QStringLiteral("Not applied: the backoff cap")),
             qPrintable(dialog.resultLine()));
    QCOMPARE(session->scheduler()->config().requestsPerSecond, 3.0);
    QCOMPARE(session->settings().requestsPerSecond, 3.0);
    // OK applies too, and stays open while the settings are refused.
    QPushButton *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    ok->click();
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    qobject_cast<QDoubleSpinBox *>(field(QStringLiteral("Cap")))->setValue(30.0);
    ok->click();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(session->scheduler()->config().requestsPerSecond, 1.0);
}

// A new default model: the next prompt without a model uses it, and the prompt panel shows
// it unless the user had picked another.
void TestSettingsApply::defaultModelFollows()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    PromptPanel panel(session.get());
    PromptPanel picked(session.get());
    picked.modelPicker()->setCurrentText(QStringLiteral("grok-4-0709"));
    ConsoleSettings settings = session->settings();
    settings.defaultModel = QStringLiteral("grok-3-mini");
    QVERIFY(session->updateSettings(settings).applied.contains(EngineSetting::DefaultModel));
    QCOMPARE(panel.modelPicker()->currentText(), QStringLiteral("grok-3-mini"));
    QCOMPARE(picked.modelPicker()->currentText(), QStringLiteral("grok-4-0709"));
    RequestJob *job = session->client()->submit(prompt()); // no model of its own
    job->setAutoDelete(false);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), 5000);
    QCOMPARE(job->outcome().status, JobStatus::Succeeded);
    QCOMPARE(job->request().model, QStringLiteral("grok-3-mini"));
    delete job;
}

QTEST_MAIN(TestSettingsApply)
#include "tst_settingsapply.moc"
