#pragma once

#include <QObject>

class QSystemTrayIcon;
class QWidget;

namespace gp {

// Tray notifications for alerts while the window is not focused; nothing at all when
// the desktop has no system tray.
class TrayNotifier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayNotifier)

public:
    explicit TrayNotifier(QWidget *window);

    bool isAvailable() const { return m_icon != nullptr; }
    // True when a notification was shown.
    bool notify(const QString &title, const QString &message);

private:
    QWidget *m_window = nullptr;
    QSystemTrayIcon *m_icon = nullptr;
};

} // namespace gp
