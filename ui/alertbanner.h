#pragma once

#include <QFrame>

class QHBoxLayout;
class QLabel;
class QPushButton;

namespace gp {

// A dismissible banner above the views, one line high whatever it says (the layout below never
// moves): the first sentence, elided, "+N more" when there are more; all of it in the tooltip.
class AlertBanner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertBanner)

public:
    enum class Tone { Info, Alert };

    explicit AlertBanner(Tone tone, QWidget *parent = nullptr);

    void showMessage(const QString &text);
    QString message() const; // the whole text, every line
    QString shownText() const; // what the one line shows now
    // Off: the banner is as wide as its (short, one-line) text, never elided.
    void setElides(bool elides);
    QPushButton *addAction(const QString &text);
    void dismiss();
    void setTone(Tone tone); // Alert: warm and urgent; Info: calm (also "Resolved")
    void followPalette() { applyTone(); } // after the application palette changed

Q_SIGNALS:
    void dismissed();

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void applyTone();
    void elide();
    QPixmap toneIcon() const;

    Tone m_tone = Tone::Info;
    bool m_applying = false;
    QLabel *m_text = nullptr;
    QLabel *m_icon = nullptr;
    QString m_message;
    bool m_elides = true;
    QHBoxLayout *m_row = nullptr;
};

} // namespace gp
