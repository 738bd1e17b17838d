#include "app/guicommand.h"

#include "ui/mainwindow.h"

#include <QApplication>

namespace gp {

int runGuiCommand(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("GrokPulse"));
    QApplication::setOrganizationName(QStringLiteral("GrokPulse"));
    MainWindow window;
    window.show();
    return QApplication::exec();
}

} // namespace gp
