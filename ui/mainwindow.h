#pragma once

#include <QMainWindow>

namespace gp {

// The GrokPulse console: prompt panel, live charts, event log, status bar.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;
};

} // namespace gp
