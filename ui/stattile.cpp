#include "ui/stattile.h"

#include "ui/sparkline.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QResizeEvent>
#include <QVBoxLayout>

namespace gp {

StatTile::StatTile(const QString &id, const QString &title, const QString &help, QWidget *parent)
    : QFrame(parent)
    , m_id(id)
    , m_title(title)
    , m_help(help)
{
    setObjectName(id);
    setFrameShape(QFrame::StyledPanel);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    auto *column = new QVBoxLayout(this);
    column->setContentsMargins(5, 2, 4, 2);
    column->setSpacing(0);
    m_titleLabel = new QLabel(title, this);
    m_titleLabel->setTextFormat(Qt::PlainText); // a scope is a client's own name
    QFont small = m_titleLabel->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_titleLabel->setFont(small);
    column->addWidget(m_titleLabel);
    auto *row = new QHBoxLayout;
    row->setSpacing(3);
    m_valueLabel = new QLabel(QStringLiteral("—"), this);
    QFont big = m_valueLabel->font();
    big.setPointSizeF(big.pointSizeF() * 1.45);
    big.setBold(true);
    m_valueLabel->setFont(big);
    m_valueLabel->setTextFormat(Qt::PlainText);
    m_unitLabel = new QLabel(this);
    m_unitLabel->setFont(small);
    m_unitLabel->setTextFormat(Qt::PlainText);
    row->addWidget(m_valueLabel);
    row->addWidget(m_unitLabel, 1, Qt::AlignBottom);
    column->addLayout(row);
    m_detailLabel = new QLabel(this);
    m_detailLabel->setFont(small);
    m_detailLabel->setTextFormat(Qt::PlainText);
    column->addWidget(m_detailLabel);
    for (QLabel *label : { m_titleLabel, m_unitLabel, m_detailLabel })
        label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_spark = new Sparkline(this);
    column->addWidget(m_spark);
    setAccessibleName(title);
    applyLevelColors();
}

void StatTile::setScope(const QString &scope, const QString &shortTitle)
{
    const QString title = scope.isEmpty()
        ? m_title
        : (shortTitle.isEmpty() ? m_title : shortTitle) + QStringLiteral(" · ") + scope;
    m_titleLabel->setText(title);
    m_titleLabel->setToolTip(scope.isEmpty() ? QString()
                                             : tr("%1, only the traffic of %2").arg(m_title, scope));
    setAccessibleName(title);
}

QString StatTile::title() const
{
    return m_titleLabel->text();
}

void StatTile::setValue(const QString &value, const QString &unit, const QString &detail, Level level)
{
    m_valueLabel->setText(value);
    m_unitLabel->setText(unit);
    m_detail = detail;
    showDetail();
    const bool changed = level != m_level;
    m_level = level;
    static const char *const words[] = { "no data", "ok", "warning", "bad" };
    const QString sentence = m_title + QStringLiteral(": ") + value + u' ' + unit
        + (detail.isEmpty() ? QString() : QStringLiteral(" (") + detail + u')') + QStringLiteral(" — ")
        + tr(words[int(level)]);
    setAccessibleDescription(sentence);
    setToolTip(sentence + QStringLiteral("\n") + m_help);
    if (changed)
        applyLevelColors();
}

QString StatTile::value() const
{
    return m_valueLabel->text();
}

QString StatTile::unit() const
{
    return m_unitLabel->text();
}

QString StatTile::detail() const
{
    return m_detail;
}

void StatTile::showDetail()
{
    const int width = m_detailLabel->width();
    m_detailLabel->setText(
        width > 0 ? m_detailLabel->fontMetrics().elidedText(m_detail, Qt::ElideRight, width) : m_detail);
}

void StatTile::resizeEvent(QResizeEvent *event)
{
    QFrame::resizeEvent(event); // the layout has placed the labels already
    showDetail();
}

// Okabe-Ito derived: blue-green for ok, orange for warning, vermillion for bad.
QColor StatTile::levelColor(Level level, bool dark)
{
    switch (level) {
    case Level::Ok: return dark ? QColor(0x4F, 0xC3, 0xA1) : QColor(0x00, 0x7A, 0x5E);
    case Level::Warning: return dark ? QColor(0xF0, 0xB4, 0x3C) : QColor(0xA8, 0x64, 0x00);
    case Level::Bad: return dark ? QColor(0xFF, 0x7A, 0x5C) : QColor(0xC0, 0x39, 0x1B);
    case Level::Unknown: break;
    }
    return {};
}

void StatTile::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyLevelColors();
    if (event->type() == QEvent::FontChange)
        showDetail();
}

void StatTile::applyLevelColors()
{
    const QPalette base = parentWidget() ? parentWidget()->palette() : palette();
    const bool dark = base.color(QPalette::Window).lightness() < 128;
    QColor color = levelColor(m_level, dark);
    QPalette p = m_valueLabel->palette();
    p.setColor(QPalette::WindowText, color.isValid() ? color : base.color(QPalette::WindowText));
    m_valueLabel->setPalette(p);
    m_spark->setColor(color.isValid() ? color : base.color(QPalette::PlaceholderText));
}

} // namespace gp
