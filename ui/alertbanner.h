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
    void setTone(Tone tone); // Alert: warm and urgent; Info: calm (also "Resolved")
    void followPalette() { applyTone(); } // after the application palette changed

Q_SIGNALS:
    void dismissed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyTone();
    QPixmap toneIcon() const;

    Tone m_tone = Tone::Info;
    bool m_applying = false;
    QLabel *m_text = nullptr;
    QLabel *m_icon = nullptr;
    QHBoxLayout *m_row = nullptr;
};

} // namespace gp
