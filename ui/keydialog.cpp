#include "ui/keydialog.h"

#include "ui/apikeystore.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace gp {

KeyDialog::KeyDialog(const QString &reason, bool offerResend, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("keyDialog"));
    setWindowTitle(tr("xAI API key"));
    auto *layout = new QVBoxLayout(this);
    auto *why = new QLabel(reason.isEmpty() ? tr("Enter your xAI API key.") : reason, this);
    why->setWordWrap(true);
    why->setTextFormat(Qt::PlainText);
    layout->addWidget(why);
    m_key = new QLineEdit(this);
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(QStringLiteral("xai-…"));
    m_key->setAccessibleName(tr("API key"));
    layout->addWidget(m_key);
    m_remember = new QCheckBox(tr("Re&member it in the system keychain"), this);
    m_remember->setChecked(ApiKeyStore::keychainCompiledIn());
    m_remember->setEnabled(ApiKeyStore::keychainCompiledIn());
    layout->addWidget(m_remember);
    auto *note
        = new QLabel(ApiKeyStore::keychainCompiledIn()
                         ? tr("If no keychain is reachable, the key is kept for this session only.")
                         : tr("This build has no keychain support: the key is kept for this session only."),
                     this);
    note->setWordWrap(true);
    layout->addWidget(note);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    QPushButton *ok = buttons->button(QDialogButtonBox::Ok);
    ok->setText(offerResend ? tr("Save and &resend") : tr("&Save"));
    ok->setEnabled(false);
    connect(m_key, &QLineEdit::textChanged, ok,
            [ok](const QString &text) { ok->setEnabled(!text.trimmed().isEmpty()); });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

QString KeyDialog::key() const
{
    return m_key->text().trimmed();
}

bool KeyDialog::remember() const
{
    return m_remember->isChecked();
}

void KeyDialog::setKey(const QString &key)
{
    m_key->setText(key);
}

} // namespace gp
