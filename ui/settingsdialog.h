#pragma once

#include "core/engine/engineconfig.h"
#include "ui/consolesettings.h"

#include <QDialog>

#include <functional>

class QAbstractButton;
class QComboBox;
class QLabel;
class QListWidget;
class QDoubleSpinBox;
class QFormLayout;
class QLineEdit;
class QSpinBox;

namespace gp {

// Edits ConsoleSettings. The API key is not here: it has its own dialog and never
// reaches QSettings. With an applier, Apply (and OK) apply at once what the running session
// can take and a line says what waits for the next start; fields that only take effect at
// the next start are marked beside them.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    explicit SettingsDialog(const ConsoleSettings &settings, QWidget *parent = nullptr);

    ConsoleSettings settings() const;
    // "Running now: simulator scenario "flaky"" above the pages (what the session really runs).
    void setRunning(const QString &description);
    QStringList pageNames() const;
    void showPage(int index);
    using Applier = std::function<ApplyReport(const ConsoleSettings &)>;
    void setApplier(Applier applier);
    QString resultLine() const; // after Apply: what applied now, what waits for a restart
    QStringList restartOnlyFields() const; // the accessible names of the marked fields
    static QString describe(const ApplyReport &report);

private:
    bool applyNow(); // false when the session refused the settings
    void addField(QFormLayout *form, const QString &label, QWidget *field, bool live = true);
    QWidget *connectionPage();
    QWidget *retryPage();
    QWidget *limitsPage();
    QWidget *alertsPage();
    QDoubleSpinBox *secondsBox(qint64 ms, double maxSeconds, const QString &tip);
    QDoubleSpinBox *percentBox(double share, const QString &tip);
    QDoubleSpinBox *numberBox(double value, double max, int decimals);
    static qint64 msOf(const QDoubleSpinBox *seconds);

    ConsoleSettings m_settings;
    Applier m_applier;
    QStringList m_restartOnly;
    QAbstractButton *m_apply = nullptr;
    QLabel *m_result = nullptr;
    QListWidget *m_pages = nullptr;
    QLabel *m_running = nullptr;
    QLineEdit *m_endpoint = nullptr;
    QLineEdit *m_model = nullptr;
    QLineEdit *m_redis = nullptr;
    QComboBox *m_scenario = nullptr;
    QDoubleSpinBox *m_demoRate = nullptr;
    QComboBox *m_jitter = nullptr;
    QDoubleSpinBox *m_base = nullptr; // seconds
    QDoubleSpinBox *m_cap = nullptr; // seconds
    QSpinBox *m_attempts = nullptr;
    QDoubleSpinBox *m_ceiling = nullptr; // seconds
    QDoubleSpinBox *m_budget = nullptr;
    QDoubleSpinBox *m_rps = nullptr;
    QDoubleSpinBox *m_rpm = nullptr;
    QDoubleSpinBox *m_tpm = nullptr;
    QSpinBox *m_inFlight = nullptr;
    QDoubleSpinBox *m_share = nullptr;
    QDoubleSpinBox *m_firstByte = nullptr; // seconds
    QDoubleSpinBox *m_idle = nullptr; // seconds
    QDoubleSpinBox *m_attempt = nullptr; // seconds
    QDoubleSpinBox *m_deadline = nullptr; // seconds; 0: none
    QDoubleSpinBox *m_spike = nullptr;
    QDoubleSpinBox *m_rate429 = nullptr;
    QDoubleSpinBox *m_quotaLow = nullptr;
    QDoubleSpinBox *m_latency = nullptr; // seconds
};

} // namespace gp
