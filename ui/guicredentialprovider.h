#pragma once

#include "core/client/credentialprovider.h"

#include <QPointer>

class QWidget;

namespace gp {

class ApiKeyStore;
class KeyDialog;

// On a 401 the client asks here: the key dialog opens (window-modal, not blocking) and
// the held requests are resent with the new key, or fail if the user cancels.
class GuiCredentialProvider final : public CredentialProvider
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GuiCredentialProvider)

public:
    GuiCredentialProvider(ApiKeyStore *store, QWidget *window);

    void requestNewKey(const gp::Error &reason, const QString &currentSource) override;
    KeyDialog *dialog() const { return m_dialog; } // open while asking, else null

private:
    ApiKeyStore *m_store = nullptr;
    QWidget *m_window = nullptr;
    QPointer<KeyDialog> m_dialog;
};

} // namespace gp
