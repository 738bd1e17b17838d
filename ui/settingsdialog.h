#pragma once

#include "ui/consolesettings.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLineEdit;
class QSpinBox;

namespace gp {

// Edits ConsoleSettings. The API key is not here: it has its own dialog and never
// reaches QSettings.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    explicit SettingsDialog(const ConsoleSettings &settings, QWidget *parent = nullptr);

    ConsoleSettings settings() const;

private:
    QWidget *connectionPage();
    QWidget *retryPage();
    QWidget *limitsPage();
    QWidget *alertsPage();
    QSpinBox *msBox(qint64 value, int max);
    QDoubleSpinBox *numberBox(double value, double max, int decimals);

    ConsoleSettings m_settings;
    QLineEdit *m_endpoint = nullptr;
    QLineEdit *m_model = nullptr;
    QLineEdit *m_redis = nullptr;
    QComboBox *m_scenario = nullptr;
    QDoubleSpinBox *m_demoRate = nullptr;
    QComboBox *m_jitter = nullptr;
    QSpinBox *m_base = nullptr;
    QSpinBox *m_cap = nullptr;
    QSpinBox *m_attempts = nullptr;
    QSpinBox *m_ceiling = nullptr;
    QDoubleSpinBox *m_budget = nullptr;
    QDoubleSpinBox *m_rps = nullptr;
    QDoubleSpinBox *m_rpm = nullptr;
    QDoubleSpinBox *m_tpm = nullptr;
    QSpinBox *m_inFlight = nullptr;
    QDoubleSpinBox *m_share = nullptr;
    QSpinBox *m_firstByte = nullptr;
    QSpinBox *m_idle = nullptr;
    QSpinBox *m_attempt = nullptr;
    QDoubleSpinBox *m_spike = nullptr;
    QDoubleSpinBox *m_rate429 = nullptr;
    QDoubleSpinBox *m_quotaLow = nullptr;
    QSpinBox *m_latency = nullptr;
};

} // namespace gp
