// Alt+letter reaches one control per screen: no two mnemonics clash in what is shown together
// (a tab page, its tab bar, the widgets around it and the menu bar).
#include "sessionfixture.h"
#include "ui/exportdialog.h"
#include "ui/keydialog.h"
#include "ui/mainwindow.h"
#include "ui/settingsdialog.h"

#include <QAbstractButton>
#include <QGroupBox>
#include <QLabel>
#include <QMenuBar>
#include <QStackedWidget>
#include <QTabWidget>

using namespace gp;

namespace {

// The letter after a single '&' ("&&" is a literal ampersand), lower-cased; null when none.
QChar mnemonicOf(const QString &text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != u'&')
            continue;
        if (text[i + 1] == u'&') {
            ++i;
            continue;
        }
        return text[i + 1].toLower();
    }
    return {};
}

// "letter -> text" for every labelled control under `root`, not descending into `skip`.
void collect(const QWidget *root, const QWidget *skip, QMultiHash<QChar, QString> &out)
{
    for (const QWidget *w : root->findChildren<QWidget *>(Qt::FindDirectChildrenOnly)) {
        if (w == skip || w->isWindow())
            continue;
        QString text;
        if (const auto *label = qobject_cast<const QLabel *>(w))
            text = label->text();
        else if (const auto *button = qobject_cast<const QAbstractButton *>(w))
            text = button->text();
        else if (const auto *box = qobject_cast<const QGroupBox *>(w))
            text = box->title();
        if (const QChar c = mnemonicOf(text); !c.isNull())
            out.insert(c, text);
        if (const auto *tabs = qobject_cast<const QTabWidget *>(w)) {
            for (int i = 0; i < tabs->count(); ++i) // the pages are checked one at a time by the caller
                if (const QChar c = mnemonicOf(tabs->tabText(i)); !c.isNull())
                    out.insert(c, tabs->tabText(i));
            continue;
        }
        collect(w, skip, out);
    }
}

QStringList clashes(const QMultiHash<QChar, QString> &letters)
{
    QStringList found;
    for (const QChar c : letters.uniqueKeys()) {
        if (letters.count(c) > 1) {
            QStringList texts = letters.values(c);
            texts.sort();
            found << QStringLiteral("'%1': %2").arg(c, texts.join(QStringLiteral(" / ")));
        }
    }
    return found;
}

// Every page of the window's first tab widget, with what surrounds it; or the window itself.
QStringList clashesIn(const QWidget *window)
{
    QMultiHash<QChar, QString> around;
    if (const auto *menus = window->findChild<QMenuBar *>()) {
        for (const QAction *menu : menus->actions())
            if (const QChar c = mnemonicOf(menu->text()); !c.isNull())
                around.insert(c, menu->text());
    }
    const auto *tabs = window->findChild<QTabWidget *>();
    // The tab widget's own labels (its tab texts) come in through collect(); its pages do not.
    QMultiHash<QChar, QString> outside = around;
    if (tabs) {
        collect(window, tabs, outside);
        for (int i = 0; i < tabs->count(); ++i)
            if (const QChar c = mnemonicOf(tabs->tabText(i)); !c.isNull())
                outside.insert(c, tabs->tabText(i));
    } else if (const auto *stack = window->findChild<QStackedWidget *>()) {
        // A list beside pages (the settings dialog): one page is shown at a time, like tabs.
        collect(window, stack, outside);
        QStringList found;
        for (int i = 0; i < stack->count(); ++i) {
            QMultiHash<QChar, QString> page = outside;
            collect(stack->widget(i), nullptr, page);
            for (const QString &clash : clashes(page))
                found << QStringLiteral("page %1: ").arg(i) + clash;
        }
        return found;
    } else {
        collect(window, nullptr, outside);
        return clashes(outside);
    }
    QStringList found;
    for (int i = 0; i < tabs->count(); ++i) {
        QMultiHash<QChar, QString> page = outside;
        collect(tabs->widget(i), nullptr, page);
        for (const QString &clash : clashes(page))
            found << tabs->tabText(i) + QStringLiteral(": ") + clash;
    }
    found.removeDuplicates();
    return found;
}

} // namespace

class TestMnemonics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void detectsAClash();
    void settingsDialog();
    void mainWindow();
    void smallDialogs();
};

void TestMnemonics::detectsAClash()
{
    QWidget window;
    auto *a = new QLabel(QStringLiteral("&Alpha"), &window);
    auto *b = new QLabel(QStringLiteral("&apple && pear"), &window);
    Q_UNUSED(a);
    Q_UNUSED(b);
    QCOMPARE(clashesIn(&window).size(), 1);
    b->setText(QStringLiteral("a&pple && pear"));
    QVERIFY(clashesIn(&window).isEmpty());
}

void TestMnemonics::settingsDialog()
{
    SettingsDialog dialog { ConsoleSettings {} };
    const QStringList found = clashesIn(&dialog);
    QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
}

void TestMnemonics::mainWindow()
{
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    MainWindow window(session.get());
    const QStringList found = clashesIn(&window);
    QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
}

void TestMnemonics::smallDialogs()
{
    ExportDialog exportDialog;
    QStringList found = clashesIn(&exportDialog);
    QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
    KeyDialog keyDialog(QStringLiteral("401 from the server"), true);
    found = clashesIn(&keyDialog);
    QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
}

QTEST_MAIN(TestMnemonics)
#include "tst_mnemonics.moc"
