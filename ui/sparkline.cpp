#include "ui/sparkline.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace gp {

Sparkline::Sparkline(QWidget *parent)
    : QWidget(parent)
{
    setMinimumHeight(14);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAttribute(Qt::WA_TransparentForMouseEvents);
}

void Sparkline::setPoints(const QList<QPointF> &points, qint64 fromMs, qint64 toMs, qint64 gapMs)
{
    m_points = points;
    m_fromMs = fromMs;
    m_toMs = std::max(fromMs + 1, toMs);
    m_gapMs = std::max<qint64>(1, gapMs);
    update();
}

void Sparkline::setColor(const QColor &color)
{
    m_color = color;
    update();
}

void Sparkline::paintEvent(QPaintEvent *)
{
    if (m_points.isEmpty())
        return;
    double top = m_ceiling;
    if (top <= 0.0) {
        for (const QPointF &p : std::as_const(m_points))
            top = std::max(top, p.y());
    }
    if (top <= 0.0)
        top = 1.0;
    const QRectF area = QRectF(rect()).adjusted(1, 2, -1, -1);
    const double span = double(m_toMs - m_fromMs);
    const auto map = [&](const QPointF &p) {
        return QPointF(area.left() + (p.x() - double(m_fromMs)) / span * area.width(),
                       area.bottom() - std::clamp(p.y() / top, 0.0, 1.0) * area.height());
    };
    QPainterPath path;
    double lastX = -1e300;
    for (const QPointF &p : std::as_const(m_points)) {
        const QPointF at = map(p);
        if (p.x() - lastX > double(m_gapMs) * 1.5)
            path.moveTo(at);
        else
            path.lineTo(at);
        lastX = p.x();
    }
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor color = m_color.isValid() ? m_color : palette().color(QPalette::WindowText);
    painter.setPen(QPen(color, 1.5));
    painter.drawPath(path);
    if (m_points.size() == 1) // one bucket: a dot, not nothing
        painter.drawEllipse(map(m_points.first()), 1.5, 1.5);
}

} // namespace gp
