#include "ui/traynotifier.h"

#include <QApplication>
#include <QStyle>
#include <QSystemTrayIcon>
#include <QWidget>

namespace gp {

TrayNotifier::TrayNotifier(QWidget *window)
    : QObject(window)
    , m_window(window)
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_icon = new QSystemTrayIcon(QApplication::style()->standardIcon(QStyle::SP_ComputerIcon), this);
    m_icon->setToolTip(QStringLiteral("GrokPulse"));
    connect(m_icon, &QSystemTrayIcon::activated, m_window, [this] {
        m_window->showNormal();
        m_window->activateWindow();
    });
    m_icon->show();
}

bool TrayNotifier::notify(const QString &title, const QString &message)
{
    if (!m_icon || m_window->isActiveWindow() || !QSystemTrayIcon::supportsMessages())
        return false;
    m_icon->showMessage(title, message, QSystemTrayIcon::Warning, 10000);
    return true;
}

} // namespace gp
