#pragma once

#include <QFrame>

class QHBoxLayout;
class QLabel;
class QPushButton;

namespace gp {

// A dismissible banner above the views: one sentence, optional action buttons.
class AlertBanner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertBanner)

public:
    enum class Tone { Info, Alert };

    explicit AlertBanner(Tone tone, QWidget *parent = nullptr);

    void showMessage(const QString &text);
    QString message() const;
    QPushButton *addAction(const QString &text);
    void dismiss();

Q_SIGNALS:
    void dismissed();

private:
    QLabel *m_text = nullptr;
    QHBoxLayout *m_row = nullptr;
};

} // namespace gp
