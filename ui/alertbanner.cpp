#include "ui/alertbanner.h"

#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>

#include <algorithm>

namespace gp {

AlertBanner::AlertBanner(Tone tone, QWidget *parent)
    : QFrame(parent)
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_tone = tone;
    applyTone();
    setAccessibleName(tone == Tone::Alert ? tr("Alert banner") : tr("Information banner"));
    m_row = new QHBoxLayout(this);
    m_row->setContentsMargins(8, 4, 4, 4);
    m_icon = new QLabel(this);
    m_icon->setPixmap(toneIcon());
    m_row->addWidget(m_icon);
    m_text = new QLabel(this);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // elided to fit, never wider
    m_row->addWidget(m_text, 1);
    auto *close = new QPushButton(tr("Dismiss"), this);
    close->setAccessibleName(tr("Dismiss banner"));
    connect(close, &QPushButton::clicked, this, &AlertBanner::dismiss);
    m_row->addWidget(close);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    hide();
}

// Tinted from the application's palette, again whenever it changes (light / dark).
void AlertBanner::applyTone()
{
    const QPalette app = QApplication::palette();
    const bool dark = app.color(QPalette::Window).lightness() < 128;
    const QColor background = m_tone == Tone::Alert
        ? (dark ? QColor(0x6B, 0x1F, 0x1F) : QColor(0xFD, 0xE2, 0xE2))
        : (dark ? QColor(0x1F, 0x3A, 0x5C) : QColor(0xE3, 0xEE, 0xFB));
    QPalette p = app;
    p.setColor(QPalette::Window, background);
    p.setColor(QPalette::WindowText, dark ? QColor(Qt::white) : QColor(0x20, 0x20, 0x20));
    m_applying = true;
    setPalette(p);
    m_applying = false;
}

void AlertBanner::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::ApplicationPaletteChange && !m_applying)
        applyTone();
}

void AlertBanner::setTone(Tone tone)
{
    if (tone == m_tone)
        return;
    m_tone = tone;
    applyTone();
    m_icon->setPixmap(toneIcon());
}

QPixmap AlertBanner::toneIcon() const
{
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize);
    return style()
        ->standardIcon(m_tone == Tone::Alert ? QStyle::SP_MessageBoxWarning
                                             : QStyle::SP_MessageBoxInformation)
        .pixmap(size, size);
}

void AlertBanner::showMessage(const QString &text)
{
    m_message = text;
    setToolTip(text);
    setAccessibleDescription(text);
    elide();
    show();
}

QString AlertBanner::message() const
{
    return m_message;
}

QString AlertBanner::shownText() const
{
    return m_text->text();
}

void AlertBanner::resizeEvent(QResizeEvent *event)
{
    QFrame::resizeEvent(event);
    elide();
}

void AlertBanner::setElides(bool elides)
{
    m_elides = elides;
    m_text->setSizePolicy(elides ? QSizePolicy::Ignored : QSizePolicy::Preferred, QSizePolicy::Preferred);
    elide();
}

void AlertBanner::elide()
{
    if (!m_elides) {
        m_text->setText(m_message);
        return;
    }
    const QStringList lines = m_message.split(u'\n', Qt::SkipEmptyParts);
    const QString more = lines.size() > 1 ? tr("  (+%1 more)").arg(lines.size() - 1) : QString();
    const QFontMetrics metrics(m_text->font());
    const int room = std::max(40, m_text->width() - metrics.horizontalAdvance(more));
    m_text->setText(metrics.elidedText(lines.value(0), Qt::ElideRight, room) + more);
}

QPushButton *AlertBanner::addAction(const QString &text)
{
    auto *button = new QPushButton(text, this);
    m_row->insertWidget(m_row->count() - 1, button);
    return button;
}

void AlertBanner::dismiss()
{
    hide();
    Q_EMIT dismissed();
}

} // namespace gp
