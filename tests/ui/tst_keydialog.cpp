// A 401 opens the key dialog; a new key resends the held request, cancel fails it.
#include "sessionfixture.h"
#include "ui/answerwidget.h"
#include "ui/apikeystore.h"
#include "ui/guicredentialprovider.h"
#include "ui/keydialog.h"
#include "ui/mainwindow.h"
#include "ui/promptpanel.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace gp;

class TestKeyDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unauthorizedOpensDialog_data();
    void unauthorizedOpensDialog();
};

void TestKeyDialog::unauthorizedOpensDialog_data()
{
    QTest::addColumn<bool>("accept");
    QTest::newRow("new key resends") << true;
    QTest::newRow("cancel fails") << false;
}

void TestKeyDialog::unauthorizedOpensDialog()
{
    QFETCH(bool, accept);
    QTemporaryDir dir;
    auto session = test::startSession(dir, QStringLiteral("steady"));
    session->simulator()->enqueueFaults(
        QJsonArray { QJsonObject { { QStringLiteral("kind"), QStringLiteral("unauthorized") } } });
    ApiKeyStore keys;
    keys.setKeychainEnabled(false);
    MainWindow window(session.get(), &keys);
    window.show();
    window.promptPanel()->setPromptText(QStringLiteral("Who am I?"));
    window.promptPanel()->send();
    QTRY_VERIFY_WITH_TIMEOUT(window.credentialProvider()->dialog() != nullptr, 10000);
    KeyDialog *dialog = window.credentialProvider()->dialog();
    QVERIFY(dialog->isVisible());
    AnswerWidget *answer = window.promptPanel()->answer(0);
    QVERIFY(!answer->isFinished()); // held while the user decides
    if (accept) {
        dialog->setKey(QStringLiteral("xai-new-key"));
        dialog->accept();
    } else {
        dialog->reject();
    }
    QTRY_VERIFY_WITH_TIMEOUT(answer->isFinished(), 10000);
    QCOMPARE(answer->succeeded(), accept);
    if (accept) {
        QCOMPARE(keys.key(), QStringLiteral("xai-new-key"));
        QVERIFY(keys.isSessionOnly());
        QVERIFY(session->apiKey() == QStringLiteral("xai-new-key"));
    }
}

QTEST_MAIN(TestKeyDialog)
#include "tst_keydialog.moc"
