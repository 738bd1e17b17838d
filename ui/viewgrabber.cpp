#include "ui/viewgrabber.h"

#include "ui/charts/chartpanel.h"
#include "ui/consolesession.h"
#include "ui/eventlogpanel.h"
#include "ui/mainwindow.h"
#include "ui/settingsdialog.h"
#include "ui/statstrip.h"
#include "ui/statuspanel.h"

#include <QApplication>
#include <QStyle>

namespace gp {

QPalette ViewGrabber::darkPalette()
{
    QPalette p;
    const QColor window(0x2B, 0x2B, 0x2E);
    const QColor base(0x1E, 0x1E, 0x20);
    const QColor text(0xE8, 0xE8, 0xE8);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0xA0, 0xA0, 0xA0));
    p.setColor(QPalette::Highlight, QColor(0x3A, 0x7B, 0xD5));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    return p;
}

bool ViewGrabber::grabViews(const QString &pattern)
{
    // "{size}" grabs at 1024x700 and 1920x1080, "{palette}" in light and dark: one run, every look.
    QList<QSize> sizes { m_window.size() };
    if (pattern.contains(u"{size}"))
        sizes = { QSize(1024, 700), QSize(1920, 1080) };
    QStringList palettes { QString() };
    if (pattern.contains(u"{palette}"))
        palettes = { QStringLiteral("light"), QStringLiteral("dark") };
    const QPalette original = QApplication::palette();
    bool ok = true;
    for (const QString &palette : std::as_const(palettes)) {
        if (palette == u"dark")
            QApplication::setPalette(darkPalette());
        else if (palette == u"light")
            QApplication::setPalette(QApplication::style()->standardPalette());
        for (const QSize &s : std::as_const(sizes)) {
            m_window.resize(s);
            QCoreApplication::sendPostedEvents();
            QString variant = pattern;
            variant.replace(QStringLiteral("{size}"), QStringLiteral("%1x%2").arg(s.width()).arg(s.height()));
            variant.replace(QStringLiteral("{palette}"), palette);
            ok = grabEveryView(variant) && ok;
        }
    }
    if (palettes.size() > 1)
        QApplication::setPalette(original);
    return ok;
}

bool ViewGrabber::grabEveryView(const QString &pattern)
{
    if (!pattern.contains(u"{view}"))
        return m_window.grab().save(pattern, "PNG");
    const QString current = m_window.currentView();
    bool ok = true;
    ChartPanel *charts = m_window.chartPanel();
    const auto save = [this, &pattern](const QString &name) {
        m_window.statStrip()->refresh();
        m_window.statusPanel()->refresh();
        QCoreApplication::sendPostedEvents();
        return m_window.grab().save(QString(pattern).replace(QStringLiteral("{view}"), name), "PNG");
    };
    for (const QString &name : MainWindow::viewNames()) {
        m_window.setCurrentView(name);
        if (name == u"charts")
            charts->settle(); // a hidden chart panel does not redraw: catch up before the grab
        else if (name == u"events") {
            m_window.eventLog()->reload();
            m_window.eventLog()->expandNewestRetried();
        }
        ok = save(name) && ok;
    }
    // The longer windows too (charts-1h, charts-24h): their axes and bins differ.
    m_window.setCurrentView(QStringLiteral("charts"));
    const ChartPanel::Span span = charts->span();
    for (const auto &[suffix, longer] :
         { std::pair { "1h", ChartPanel::Span::OneHour }, std::pair { "24h", ChartPanel::Span::OneDay } }) {
        charts->setSpan(longer);
        charts->settle();
        ok = save(QStringLiteral("charts-") + QLatin1String(suffix)) && ok;
    }
    charts->setSpan(span);
    m_window.setCurrentView(current);
    return grabSettings(pattern) && ok;
}

// The settings dialog, each page ("settings-connection", ...), at the size it opens with.
bool ViewGrabber::grabSettings(const QString &pattern)
{
    if (!m_window.session())
        return true;
    SettingsDialog dialog(m_window.session()->settings(), &m_window);
    dialog.setRunning(m_window.session()->runningDescription());
    dialog.setApplier([](const ConsoleSettings &) { return ApplyReport {}; }); // shows Apply
    bool ok = true;
    const QStringList pages = dialog.pageNames();
    for (int i = 0; i < pages.size(); ++i) {
        dialog.showPage(i);
        dialog.adjustSize();
        QCoreApplication::sendPostedEvents();
        const QString name = QStringLiteral("settings-") + pages[i].section(u' ', 0, 0).toLower();
        ok = dialog.grab().save(QString(pattern).replace(QStringLiteral("{view}"), name), "PNG") && ok;
    }
    return ok;
}

} // namespace gp
