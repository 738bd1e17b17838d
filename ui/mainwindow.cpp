#include "ui/mainwindow.h"

#include <QLabel>

namespace gp {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("GrokPulse"));
    auto *placeholder = new QLabel(tr("GrokPulse console"), this);
    placeholder->setAlignment(Qt::AlignCenter);
    setCentralWidget(placeholder);
    resize(1280, 800);
}

MainWindow::~MainWindow() = default;

} // namespace gp
