#include "ui/settingsdialog.h"

#include "core/sim/simserver.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace gp {

SettingsDialog::SettingsDialog(const ConsoleSettings &settings, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
{
    setWindowTitle(tr("Settings"));
    auto *layout = new QVBoxLayout(this);
    auto *tabs = new QTabWidget(this);
    tabs->addTab(connectionPage(), tr("&Connection"));
    tabs->addTab(retryPage(), tr("&Retries and timeouts"));
    tabs->addTab(limitsPage(), tr("&Limits"));
    tabs->addTab(alertsPage(), tr("&Alerts"));
    layout->addWidget(tabs);
    auto *note = new QLabel(tr("Alert thresholds apply at once; the rest at the next start."), this);
    note->setWordWrap(true);
    layout->addWidget(note);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

QSpinBox *SettingsDialog::msBox(qint64 value, int max)
{
    auto *box = new QSpinBox(this);
    box->setRange(0, max);
    box->setSuffix(tr(" ms"));
    box->setValue(int(std::min<qint64>(value, max)));
    return box;
}

QDoubleSpinBox *SettingsDialog::numberBox(double value, double max, int decimals)
{
    auto *box = new QDoubleSpinBox(this);
    box->setDecimals(decimals);
    box->setRange(0.0, max);
    box->setValue(value);
    return box;
}

// Labels double as accessible names.
static void addRow(QFormLayout *form, const QString &label, QWidget *field)
{
    field->setAccessibleName(QString(label).remove(u'&'));
    form->addRow(label, field);
}

QWidget *SettingsDialog::connectionPage()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    m_endpoint = new QLineEdit(m_settings.endpoint.toString(), page);
    addRow(form, tr("&Endpoint"), m_endpoint);
    m_model = new QLineEdit(m_settings.defaultModel, page);
    addRow(form, tr("Default &model"), m_model);
    m_redis = new QLineEdit(m_settings.redisUrl, page);
    m_redis->setPlaceholderText(QStringLiteral("redis://127.0.0.1:6379/0"));
    addRow(form, tr("Redis &URL"), m_redis);
    m_scenario = new QComboBox(page);
    m_scenario->setEditable(true);
    m_scenario->addItems(sim::SimServer::builtInScenarios());
    m_scenario->setCurrentText(m_settings.simulatorScenario);
    addRow(form, tr("Simulator &scenario"), m_scenario);
    m_demoRate = numberBox(m_settings.demoRatePerSecond, 100.0, 2);
    m_demoRate->setSuffix(tr(" /s"));
    addRow(form, tr("&Demo prompts"), m_demoRate);
    return page;
}

QWidget *SettingsDialog::retryPage()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    m_jitter = new QComboBox(page);
    m_jitter->addItem(tr("Full jitter"), int(JitterKind::Full));
    m_jitter->addItem(tr("Equal jitter"), int(JitterKind::Equal));
    m_jitter->addItem(tr("Decorrelated jitter"), int(JitterKind::Decorrelated));
    m_jitter->setCurrentIndex(m_jitter->findData(int(m_settings.retry.jitter)));
    addRow(form, tr("&Jitter"), m_jitter);
    m_base = msBox(m_settings.retry.baseMs, 600000);
    addRow(form, tr("&Base delay"), m_base);
    m_cap = msBox(m_settings.retry.capMs, 3600000);
    addRow(form, tr("Ca&p"), m_cap);
    m_attempts = new QSpinBox(page);
    m_attempts->setRange(1, 50);
    m_attempts->setValue(m_settings.retry.maxAttempts);
    addRow(form, tr("Max attempt&s"), m_attempts);
    m_ceiling = msBox(m_settings.retry.hintCeilingMs, 3600000);
    addRow(form, tr("Server &hint ceiling"), m_ceiling);
    m_budget = numberBox(m_settings.retry.budgetRatio, 1.0, 2);
    addRow(form, tr("Retry b&udget (share)"), m_budget);
    m_firstByte = msBox(m_settings.timeouts.firstByteMs, 3600000);
    addRow(form, tr("&First byte timeout"), m_firstByte);
    m_idle = msBox(m_settings.timeouts.idleMs, 3600000);
    addRow(form, tr("&Idle timeout"), m_idle);
    m_attempt = msBox(m_settings.timeouts.attemptMs, 36000000);
    addRow(form, tr("Attempt &timeout"), m_attempt);
    return page;
}

QWidget *SettingsDialog::limitsPage()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    form->addRow(new QLabel(tr("0 = learn from the server's headers."), page));
    m_rps = numberBox(m_settings.requestsPerSecond, 100000.0, 2);
    addRow(form, tr("Requests per &second"), m_rps);
    m_rpm = numberBox(m_settings.requestsPerMinute, 1e7, 0);
    addRow(form, tr("Requests per &minute"), m_rpm);
    m_tpm = numberBox(m_settings.tokensPerMinute, 1e9, 0);
    addRow(form, tr("&Tokens per minute"), m_tpm);
    m_inFlight = new QSpinBox(page);
    m_inFlight->setRange(1, 1000);
    m_inFlight->setValue(m_settings.maxInFlight);
    addRow(form, tr("&In flight"), m_inFlight);
    m_share = numberBox(m_settings.interactiveShare, 1.0, 2);
    addRow(form, tr("Reser&ved interactive share"), m_share);
    return page;
}

QWidget *SettingsDialog::alertsPage()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    m_spike = numberBox(m_settings.alerts.errorSpikeMultiplier, 100.0, 1);
    m_spike->setSuffix(tr(" × baseline"));
    addRow(form, tr("Error &spike"), m_spike);
    m_rate429 = numberBox(m_settings.alerts.sustained429Rate, 1.0, 3);
    addRow(form, tr("Sustained &429 share"), m_rate429);
    m_quotaLow = numberBox(m_settings.alerts.quotaLowFraction, 1.0, 2);
    addRow(form, tr("Low &quota share"), m_quotaLow);
    m_latency = msBox(qint64(m_settings.alerts.latencyP95ThresholdMs), 3600000);
    addRow(form, tr("Latency &p95 above"), m_latency);
    return page;
}

ConsoleSettings SettingsDialog::settings() const
{
    ConsoleSettings s = m_settings;
    const QUrl url(m_endpoint->text().trimmed());
    if (url.isValid() && !url.scheme().isEmpty())
        s.endpoint = url;
    s.defaultModel = m_model->text().trimmed();
    s.redisUrl = m_redis->text().trimmed();
    s.simulatorScenario = m_scenario->currentText().trimmed();
    s.demoRatePerSecond = m_demoRate->value();
    s.retry.jitter = JitterKind(m_jitter->currentData().toInt());
    s.retry.baseMs = m_base->value();
    s.retry.capMs = m_cap->value();
    s.retry.maxAttempts = m_attempts->value();
    s.retry.hintCeilingMs = m_ceiling->value();
    s.retry.budgetRatio = m_budget->value();
    s.timeouts.firstByteMs = m_firstByte->value();
    s.timeouts.idleMs = m_idle->value();
    s.timeouts.attemptMs = m_attempt->value();
    s.requestsPerSecond = m_rps->value();
    s.requestsPerMinute = m_rpm->value();
    s.tokensPerMinute = m_tpm->value();
    s.maxInFlight = m_inFlight->value();
    s.interactiveShare = m_share->value();
    s.alerts.errorSpikeMultiplier = m_spike->value();
    s.alerts.sustained429Rate = m_rate429->value();
    s.alerts.quotaLowFraction = m_quotaLow->value();
    s.alerts.latencyP95ThresholdMs = m_latency->value();
    return s;
}

} // namespace gp
