#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace gp {

// Asks for the xAI API key (hidden input). After a 401 it explains why and offers to
// resend the held requests.
class KeyDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyDialog)

public:
    explicit KeyDialog(const QString &reason, bool offerResend, QWidget *parent = nullptr);

    QString key() const;
    bool remember() const;
    void setKey(const QString &key); // tests

private:
    QLineEdit *m_key = nullptr;
    QCheckBox *m_remember = nullptr;
};

} // namespace gp
