// What a screenshot of the console shows must not hold the API key: window and dialog
// titles, labels, buttons, the status bar, the answers and the event log, after requests
// that succeed, fail, retry and ask for a new key.
#include "core/client/client.h"
#include "core/sim/simserver.h"
#include "ui/consolesession.h"
#include "ui/consolesettings.h"
#include "ui/eventlogmodel.h"
#include "ui/eventlogpanel.h"
#include "ui/mainwindow.h"
#include "ui/promptpanel.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>

using namespace Qt::StringLiterals;

namespace {

const QString Needle = u"xai-PLANTED-ui-7f3c9a1e5b"_s;

// Every piece of text the widget puts on screen (or in a window title).
QStringList visibleTexts(const QWidget *w)
{
    QStringList texts { w->windowTitle(), w->toolTip(), w->statusTip(), w->accessibleName(),
                        w->accessibleDescription() };
    if (const auto *label = qobject_cast<const QLabel *>(w))
        texts << label->text();
    if (const auto *button = qobject_cast<const QAbstractButton *>(w))
        texts << button->text();
    if (const auto *edit = qobject_cast<const QLineEdit *>(w); edit && edit->echoMode() == QLineEdit::Normal)
        texts << edit->text() << edit->placeholderText();
    if (const auto *plain = qobject_cast<const QPlainTextEdit *>(w))
        texts << plain->toPlainText();
    if (const auto *rich = qobject_cast<const QTextEdit *>(w))
        texts << rich->toPlainText();
    if (const auto *combo = qobject_cast<const QComboBox *>(w)) {
        for (int i = 0; i < combo->count(); ++i)
            texts << combo->itemText(i);
    }
    if (const auto *tabs = qobject_cast<const QTabWidget *>(w)) {
        for (int i = 0; i < tabs->count(); ++i)
            texts << tabs->tabText(i) << tabs->tabToolTip(i);
    }
    if (const auto *bar = qobject_cast<const QStatusBar *>(w))
        texts << bar->currentMessage();
    for (const QAction *action : w->actions())
        texts << action->text() << action->toolTip() << action->statusTip();
    return texts;
}

QStringList modelTexts(const QAbstractItemModel *model)
{
    QStringList texts;
    for (int c = 0; c < model->columnCount(); ++c)
        texts << model->headerData(c, Qt::Horizontal).toString();
    QList<QModelIndex> parents { QModelIndex() }; // every level: a request's attempts too
    while (!parents.isEmpty()) {
        const QModelIndex parent = parents.takeLast();
        for (int r = 0; r < model->rowCount(parent); ++r) {
            for (int c = 0; c < model->columnCount(parent); ++c) {
                const QModelIndex index = model->index(r, c, parent);
                texts << index.data(Qt::DisplayRole).toString() << index.data(Qt::ToolTipRole).toString();
            }
            parents << model->index(r, 0, parent);
        }
    }
    return texts;
}

} // namespace

class TestSecretsUi final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keyNotOnScreen();

private:
    // Where the needle shows, "" when nowhere; also counts what was looked at.
    QString findNeedle(const gp::MainWindow &window, int *looked);
};

QString TestSecretsUi::findNeedle(const gp::MainWindow &window, int *looked)
{
    QList<const QWidget *> widgets;
    for (const QWidget *top : QApplication::topLevelWidgets()) {
        widgets << top;
        const auto children = top->findChildren<QWidget *>();
        widgets.append(QList<const QWidget *>(children.cbegin(), children.cend()));
    }
    for (const QWidget *w : std::as_const(widgets)) {
        for (const QString &text : visibleTexts(w)) {
            *looked += text.isEmpty() ? 0 : 1;
            if (text.contains(Needle))
                return QString::fromLatin1(w->metaObject()->className()) + u": "_s + text;
        }
    }
    for (const QString &text : modelTexts(window.eventLog()->model())) {
        *looked += text.isEmpty() ? 0 : 1;
        if (text.contains(Needle))
            return u"event log: "_s + text;
    }
    return {};
}

void TestSecretsUi::keyNotOnScreen()
{
    QTemporaryDir dir;
    gp::ConsoleSettings settings;
    settings.demoRatePerSecond = 0.0; // the test drives the traffic
    gp::SessionOptions options;
    options.simulate = true; // the in-process simulator, fed the planted key
    options.apiKey = Needle;
    options.apiKeySource = u"XAI_API_KEY"_s;
    options.journalPath = dir.filePath(u"journal.sqlite"_s);
    options.seed = 7;
    gp::ConsoleSession session(settings, options);
    QString error;
    QVERIFY2(session.start(&error), qPrintable(error));
    QCOMPARE(session.apiKey(), Needle);
    gp::MainWindow window(&session);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    gp::PromptPanel *prompt = window.promptPanel();
    // A success, then faults that retry (429, 503) and a 401 that asks for a new key.
    session.simulator()->enqueueFaults(QJsonArray {
        QJsonObject { { u"kind"_s, u"rate_limit"_s } },
        QJsonObject { { u"kind"_s, u"status"_s }, { u"status"_s, 503 } },
    });
    prompt->setPromptText(u"Say hello."_s);
    prompt->send();
    QTRY_COMPARE_WITH_TIMEOUT(prompt->inFlight(), 0, 10000);
    session.simulator()->enqueueFaults(QJsonArray { QJsonObject { { u"kind"_s, u"unauthorized"_s } } });
    prompt->setStreaming(true);
    prompt->setPromptText(u"Say hello again."_s);
    prompt->send();
    QDialog *keyDialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((keyDialog = window.findChild<QDialog *>()) != nullptr, 10000);
    QVERIFY(keyDialog->isVisible());
    QVERIFY(!keyDialog->windowTitle().isEmpty());

    QVERIFY(session.flushJournal(&error));
    window.eventLog()->reload();
    QTRY_VERIFY_WITH_TIMEOUT(window.eventLog()->model()->rowCount() > 0, 5000);
    int looked = 0;
    const QString where = findNeedle(window, &looked);
    QVERIFY2(where.isEmpty(), qPrintable(where));
    QVERIFY2(looked > 20, qPrintable(QString::number(looked))); // the search saw real text

    keyDialog->reject(); // declined: the held request fails
    QTRY_COMPARE_WITH_TIMEOUT(prompt->inFlight(), 0, 10000);
    QVERIFY(session.flushJournal(&error));
    window.eventLog()->reload();
    looked = 0;
    const QString after = findNeedle(window, &looked);
    QVERIFY2(after.isEmpty(), qPrintable(after));
}

QTEST_MAIN(TestSecretsUi)
#include "tst_secrets_ui.moc"
