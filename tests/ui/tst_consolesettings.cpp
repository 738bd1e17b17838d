// Settings round-trip through QSettings and never hold the API key.
#include "sessionfixture.h"
#include "ui/apikeystore.h"
#include "ui/mainwindow.h"
#include "ui/promptpanel.h"
#include "ui/settingsdialog.h"

#include <QComboBox>
#include <QDirIterator>
#include <QFile>
#include <QSettings>

using namespace gp;

class TestConsoleSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void badValuesKeepDefaults();
    void neverHoldsTheKey();
    void apiChoiceIsRemembered();
};

void TestConsoleSettings::roundTrip_data()
{
    QTest::addColumn<int>("variant");
    QTest::newRow("defaults") << 0;
    QTest::newRow("everything changed") << 1;
    QTest::newRow("through the dialog") << 2;
}

static ConsoleSettings changed()
{
    ConsoleSettings s;
    s.endpoint = QUrl(QStringLiteral("http://127.0.0.1:9999/v1"));
    s.defaultModel = QStringLiteral("grok-4-0709");
    s.retry.jitter = JitterKind::Decorrelated;
    s.retry.baseMs = 250;
    s.retry.capMs = 9000;
    s.retry.maxAttempts = 7;
    s.retry.hintCeilingMs = 60000;
    s.retry.budgetRatio = 0.3;
    s.timeouts.firstByteMs = 1234;
    s.timeouts.idleMs = 4321;
    s.timeouts.attemptMs = 99999;
    s.timeouts.defaultDeadlineMs = 45000;
    s.requestsPerSecond = 2.5;
    s.requestsPerMinute = 120;
    s.tokensPerMinute = 16000;
    s.maxInFlight = 3;
    s.interactiveShare = 0.4;
    s.alerts.errorSpikeMultiplier = 4.0;
    s.alerts.sustained429Rate = 0.1;
    s.alerts.quotaLowFraction = 0.2;
    s.alerts.latencyP95ThresholdMs = 5000;
    s.redisUrl = QStringLiteral("redis://127.0.0.1:6379/2");
    s.simulatorScenario = QStringLiteral("flaky");
    s.demoRatePerSecond = 3.0;
    s.useResponsesApi = false;
    s.eventLogWindowMs = 24 * 3'600'000;
    return s;
}

void TestConsoleSettings::roundTrip()
{
    QFETCH(int, variant);
    QTemporaryDir dir;
    ConsoleSettings original = variant == 0 ? ConsoleSettings() : changed();
    if (variant == 2)
        original = SettingsDialog(original).settings(); // the dialog loses nothing
    QCOMPARE(original == (variant == 0 ? ConsoleSettings() : changed()), true);
    const QString path = dir.filePath(QStringLiteral("settings.ini"));
    {
        QSettings store(path, QSettings::IniFormat);
        original.save(store);
    }
    QSettings store(path, QSettings::IniFormat);
    QVERIFY(ConsoleSettings::load(store) == original);
    QVERIFY(variant == 0 || !(ConsoleSettings::load(store) == ConsoleSettings()));
}

void TestConsoleSettings::badValuesKeepDefaults()
{
    QTemporaryDir dir;
    QSettings store(dir.filePath(QStringLiteral("bad.ini")), QSettings::IniFormat);
    store.setValue(QStringLiteral("retry/baseMs"), QStringLiteral("soon"));
    store.setValue(QStringLiteral("connection/endpoint"), QStringLiteral("::not a url"));
    store.setValue(QStringLiteral("limits/maxInFlight"), -4);
    const ConsoleSettings loaded = ConsoleSettings::load(store);
    QCOMPARE(loaded.retry.baseMs, ConsoleSettings().retry.baseMs);
    QCOMPARE(loaded.endpoint, ConsoleSettings().endpoint);
    QCOMPARE(loaded.maxInFlight, 1);
}

void TestConsoleSettings::neverHoldsTheKey()
{
    QTemporaryDir dir;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    const QString secret = QStringLiteral("xai-PLANTED-secret-0123456789abcdef");
    ApiKeyStore keys;
    keys.setKeychainEnabled(false);
    keys.store(secret, true);
    QCOMPARE(keys.key(), secret);
    QVERIFY(keys.isSessionOnly());
    SessionOptions options;
    options.simulate = true;
    options.scenario = QStringLiteral("steady");
    options.apiKey = secret;
    options.apiKeySource = keys.source();
    options.journalPath = dir.filePath(QStringLiteral("journal.sqlite"));
    ConsoleSession session(changed(), options);
    QVERIFY(session.start());
    {
        MainWindow window(&session, &keys);
        QSettings store;
        session.settings().save(store);
        store.sync();
    }
    int files = 0;
    QDirIterator it(dir.path(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (!file.fileName().endsWith(u".ini") && !file.fileName().endsWith(u".conf"))
            continue;
        QVERIFY(file.open(QIODevice::ReadOnly));
        ++files;
        QVERIFY2(!file.readAll().contains(secret.toUtf8()), qPrintable(file.fileName()));
    }
    QVERIFY(files > 0);
}

// The prompt panel's API (Responses or Chat Completions) is saved when picked and is the
// one picked again at the next start.
void TestConsoleSettings::apiChoiceIsRemembered()
{
    QTemporaryDir dir;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    {
        QSettings store;
        QVERIFY(ConsoleSettings::load(store).useResponsesApi); // Responses unless told otherwise
    }
    {
        QSettings store;
        auto session = test::startSession(dir, QStringLiteral("steady"), ConsoleSettings::load(store));
        MainWindow window(session.get());
        window.restoreLayout(); // the app's window: it saves what changes
        auto *panel = window.findChild<PromptPanel *>();
        QVERIFY(panel && panel->usesResponses());
        panel->apiPicker()->setCurrentIndex(panel->apiPicker()->findData(false));
        QVERIFY(!session->settings().useResponsesApi);
    }
    QSettings store;
    const ConsoleSettings loaded = ConsoleSettings::load(store);
    QVERIFY(!loaded.useResponsesApi);
    auto session = test::startSession(dir, QStringLiteral("steady"), loaded);
    MainWindow window(session.get());
    auto *panel = window.findChild<PromptPanel *>();
    QVERIFY(panel && !panel->usesResponses());
    QCOMPARE(panel->apiPicker()->currentText(), QStringLiteral("Chat Completions"));
}

QTEST_MAIN(TestConsoleSettings)
#include "tst_consolesettings.moc"
