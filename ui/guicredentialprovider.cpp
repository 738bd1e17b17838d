#include "ui/guicredentialprovider.h"

#include "ui/apikeystore.h"
#include "ui/keydialog.h"

#include <QWidget>

namespace gp {

GuiCredentialProvider::GuiCredentialProvider(ApiKeyStore *store, QWidget *window)
    : CredentialProvider(window)
    , m_store(store)
    , m_window(window)
{ }

void GuiCredentialProvider::requestNewKey(const Error &reason, const QString &currentSource)
{
    if (m_dialog)
        return; // already asking
    const QString why
        = tr("The server refused the API key (from %1): %2\nEnter a valid key to resend the held "
             "requests.")
              .arg(currentSource.isEmpty() ? tr("unknown source") : currentSource, reason.message);
    auto *dialog = new KeyDialog(why, true, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialog = dialog;
    connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
        if (result != QDialog::Accepted || dialog->key().isEmpty()) {
            Q_EMIT declined();
            return;
        }
        if (m_store)
            m_store->store(dialog->key(), dialog->remember());
        Q_EMIT keyProvided(dialog->key(), m_store ? m_store->source() : QStringLiteral("session"));
    });
    dialog->open();
}

} // namespace gp
