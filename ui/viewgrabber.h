#pragma once

#include <QPalette>
#include <QString>

namespace gp {

class MainWindow;

// Saves PNGs of the window's views for scripts/screenshots.sh: "{view}" in the pattern becomes
// each view's name, "{size}" 1024x700 and 1920x1080, "{palette}" light and dark.
class ViewGrabber final
{
public:
    explicit ViewGrabber(MainWindow &window)
        : m_window(window)
    { }

    bool grabViews(const QString &pattern); // false when a file fails
    static QPalette darkPalette();

private:
    bool grabEveryView(const QString &pattern);
    bool grabSettings(const QString &pattern);

    MainWindow &m_window;
};

} // namespace gp
