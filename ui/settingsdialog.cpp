#include "ui/settingsdialog.h"

#include "core/sim/simserver.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace gp {

namespace {

// Seconds as people write them: "0.5 s", "600 s", not "600.000 s"; milliseconds still kept.
class SecondsSpinBox final : public QDoubleSpinBox
{
public:
    using QDoubleSpinBox::QDoubleSpinBox;

protected:
    QString textFromValue(double value) const override
    {
        QString text = locale().toString(value, 'f', decimals());
        const QString point = locale().decimalPoint();
        if (text.contains(point)) {
            while (text.endsWith(u'0'))
                text.chop(1);
            if (text.endsWith(point))
                text.chop(point.size());
        }
        return text;
    }
};

} // namespace

SettingsDialog::SettingsDialog(const ConsoleSettings &settings, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
{
    setWindowTitle(tr("Settings"));
    auto *layout = new QVBoxLayout(this);
    m_running = new QLabel(this);
    m_running->setAccessibleName(tr("What runs now"));
    m_running->hide();
    layout->addWidget(m_running);
    // A list beside the pages, not tabs: nothing is clipped however narrow the dialog is.
    auto *body = new QHBoxLayout;
    m_pages = new QListWidget(this);
    m_pages->setAccessibleName(tr("Settings pages"));
    auto *stack = new QStackedWidget(this);
    const std::pair<QString, QWidget *> pages[] = { { tr("Connection"), connectionPage() },
                                                    { tr("Retries and timeouts"), retryPage() },
                                                    { tr("Limits"), limitsPage() },
                                                    { tr("Alerts"), alertsPage() } };
    for (const auto &[name, page] : pages) {
        m_pages->addItem(name);
        stack->addWidget(page);
    }
    m_pages->setFixedWidth(m_pages->sizeHintForColumn(0) + 2 * m_pages->frameWidth() + 12);
    connect(m_pages, &QListWidget::currentRowChanged, stack, &QStackedWidget::setCurrentIndex);
    m_pages->setCurrentRow(0);
    body->addWidget(m_pages);
    body->addWidget(stack, 1);
    layout->addLayout(body);
    auto *note = new QLabel(tr("Apply and OK change the running session at once: limits from the next "
                               "request, retries and timeouts for the next prompts (running ones keep "
                               "theirs), alerts and demo prompts. Fields marked "
                               "\"at next start\" wait until GrokPulse starts again."),
                            this);
    note->setWordWrap(true);
    layout->addWidget(note);
    m_result = new QLabel(this);
    m_result->setAccessibleName(tr("What Apply changed"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->hide();
    layout->addWidget(m_result);
    auto *buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Apply | QDialogButtonBox::Cancel, this);
    m_apply = buttons->button(QDialogButtonBox::Apply);
    m_apply->hide(); // until there is a session to apply to
    connect(m_apply, &QAbstractButton::clicked, this, [this] { applyNow(); });
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (!m_applier || applyNow())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

void SettingsDialog::setApplier(Applier applier)
{
    m_applier = std::move(applier);
    m_apply->setVisible(bool(m_applier));
}

bool SettingsDialog::applyNow()
{
    if (!m_applier)
        return true;
    const ConsoleSettings next = settings();
    const ApplyReport report = m_applier(next);
    if (!report.refused)
        m_settings = next; // the next Apply reports only what changes after this one
    m_result->setText(describe(report));
    m_result->show();
    return !report.refused;
}

QString SettingsDialog::resultLine() const
{
    return m_result->text();
}

QStringList SettingsDialog::restartOnlyFields() const
{
    return m_restartOnly;
}

QString SettingsDialog::describe(const ApplyReport &report)
{
    const auto names = [](const QList<EngineSetting> &settings) {
        QStringList list;
        for (const EngineSetting setting : settings)
            list.append(engineSettingName(setting));
        return list.join(QStringLiteral(", "));
    };
    if (report.refused) {
        QStringList problems;
        for (const ConfigProblem &problem : report.problems)
            problems.append(problem.message);
        return tr("Not applied: %1.").arg(problems.join(QStringLiteral("; ")));
    }
    QStringList parts;
    if (!report.applied.isEmpty())
        parts.append(tr("Applied now: %1.").arg(names(report.applied)));
    if (report.applied.contains(EngineSetting::Retry) || report.applied.contains(EngineSetting::Timeouts))
        parts.append(tr("Requests already running keep their retries and deadline."));
    if (!report.needsRestart.isEmpty())
        parts.append(tr("After a restart: %1.").arg(names(report.needsRestart)));
    for (const ConfigProblem &problem : report.problems)
        parts.append(tr("Not used (%1): %2.").arg(configFieldName(problem.field), problem.message));
    return parts.isEmpty() ? tr("Applied: nothing the session runs on changed.") : parts.join(u' ');
}

void SettingsDialog::setRunning(const QString &description)
{
    m_running->setText(tr("Running now: %1").arg(description));
    m_running->setVisible(!description.isEmpty());
}

void SettingsDialog::showPage(int index)
{
    m_pages->setCurrentRow(index);
}

QStringList SettingsDialog::pageNames() const
{
    QStringList names;
    for (int i = 0; i < m_pages->count(); ++i)
        names.append(m_pages->item(i)->text());
    return names;
}

// Durations in seconds (0.25 s, 600 s), not in milliseconds.
QDoubleSpinBox *SettingsDialog::secondsBox(qint64 ms, double maxSeconds, const QString &tip)
{
    auto *box = new SecondsSpinBox(this);
    box->setDecimals(3); // whole milliseconds survive the round trip
    box->setRange(0.0, maxSeconds);
    box->setSingleStep(0.5);
    box->setSuffix(tr(" s"));
    box->setValue(std::min(double(ms) / 1000.0, maxSeconds));
    box->setToolTip(tip);
    return box;
}

qint64 SettingsDialog::msOf(const QDoubleSpinBox *seconds)
{
    return qRound64(seconds->value() * 1000.0);
}

// Shares as percentages (5 %, not 0.050).
QDoubleSpinBox *SettingsDialog::percentBox(double share, const QString &tip)
{
    auto *box = new QDoubleSpinBox(this);
    box->setDecimals(1);
    box->setRange(0.0, 100.0);
    box->setSuffix(tr(" %"));
    box->setValue(share * 100.0);
    box->setToolTip(tip);
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

// Labels double as accessible names. A field read only at start says so beside it.
void SettingsDialog::addField(QFormLayout *form, const QString &label, QWidget *field, bool live)
{
    const QString name = QString(label).remove(u'&');
    field->setAccessibleName(name);
    if (live) {
        form->addRow(label, field);
        return;
    }
    m_restartOnly.append(name);
    const QString why = tr("Takes effect when GrokPulse starts again.");
    field->setToolTip(field->toolTip().isEmpty() ? why : field->toolTip() + u'\n' + why);
    auto *row = new QHBoxLayout;
    row->addWidget(field, 1);
    auto *mark = new QLabel(tr("at next start"), field->parentWidget());
    mark->setToolTip(why);
    mark->setForegroundRole(QPalette::PlaceholderText);
    row->addWidget(mark);
    auto *text = new QLabel(label, field->parentWidget());
    text->setBuddy(field);
    form->addRow(text, row);
}

static bool live(EngineSetting setting)
{
    return engineSettingIsLive(setting);
}

QWidget *SettingsDialog::connectionPage()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    m_endpoint = new QLineEdit(m_settings.endpoint.toString(), page);
    addField(form, tr("&Endpoint"), m_endpoint, live(EngineSetting::Endpoint));
    m_model = new QLineEdit(m_settings.defaultModel, page);
    addField(form, tr("Default &model"), m_model, live(EngineSetting::DefaultModel));
    m_redis = new QLineEdit(m_settings.redisUrl, page);
    m_redis->setPlaceholderText(QStringLiteral("redis://127.0.0.1:6379/0"));
    addField(form, tr("Redis &URL"), m_redis, live(EngineSetting::Redis));
    m_scenario = new QComboBox(page);
    m_scenario->setEditable(true);
    m_scenario->addItems(sim::SimServer::builtInScenarios());
    m_scenario->setCurrentText(m_settings.simulatorScenario);
    addField(form, tr("Simulator &scenario"), m_scenario, live(EngineSetting::Simulator));
    m_demoRate = numberBox(m_settings.demoRatePerSecond, 100.0, 2);
    m_demoRate->setSuffix(tr(" /s"));
    addField(form, tr("&Demo prompts"), m_demoRate);
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
    addField(form, tr("&Jitter"), m_jitter);
    m_base = secondsBox(m_settings.retry.baseMs, 600.0,
                        tr("First backoff before jitter; it doubles per retry up to the cap."));
    addField(form, tr("&Base delay"), m_base);
    m_cap = secondsBox(m_settings.retry.capMs, 3600.0, tr("Longest backoff between two attempts."));
    addField(form, tr("Ca&p"), m_cap);
    m_attempts = new QSpinBox(page);
    m_attempts->setRange(1, 50);
    m_attempts->setValue(m_settings.retry.maxAttempts);
    m_attempts->setToolTip(tr("Attempts per request, the first included. While the endpoint answers "
                              "most attempts, server errors may take a request further (up to 15): "
                              "a run of failures that chance explains does not lose it."));
    addField(form, tr("Max attempt&s"), m_attempts);
    m_ceiling
        = secondsBox(m_settings.retry.hintCeilingMs, 3600.0,
                     tr("A server's Retry-After longer than this fails the request instead of waiting."));
    addField(form, tr("Server &hint ceiling"), m_ceiling);
    m_budget = percentBox(
        m_settings.retry.budgetRatio,
        tr("Retries may be at most this share of all attempts, so a failing server is not flooded."));
    addField(form, tr("Retry b&udget (share)"), m_budget);
    m_firstByte = secondsBox(m_settings.timeouts.firstByteMs, 3600.0,
                             tr("Longest wait for the first byte of an answer."));
    addField(form, tr("&First byte timeout"), m_firstByte);
    m_idle = secondsBox(m_settings.timeouts.idleMs, 3600.0, tr("Longest silence inside a streamed answer."));
    addField(form, tr("&Idle timeout"), m_idle);
    m_attempt
        = secondsBox(m_settings.timeouts.attemptMs, 36000.0, tr("Longest one attempt may take in all."));
    addField(form, tr("Attempt time&out"), m_attempt);
    m_deadline = secondsBox(m_settings.timeouts.defaultDeadlineMs, 36000.0,
                            tr("Longest a prompt may take in all, waiting and retries included."));
    m_deadline->setSpecialValueText(tr("none")); // shown at 0
    addField(form, tr("&Deadline per prompt"), m_deadline);
    return page;
}

QWidget *SettingsDialog::limitsPage()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    auto *hint = new QLabel(tr("With no limit of your own, pacing follows the server's quota headers, "
                               "else what its 429s teach."),
                            page);
    hint->setWordWrap(true);
    form->addRow(hint);
    const auto limit = [this](double value, double max, int decimals, const QString &unit) {
        QDoubleSpinBox *box = numberBox(value, max, decimals);
        box->setSuffix(unit);
        box->setSpecialValueText(tr("none")); // shown at 0
        return box;
    };
    m_rps = limit(m_settings.requestsPerSecond, 100000.0, 2, tr(" requests/s"));
    addField(form, tr("Requests per &second"), m_rps);
    m_rpm = limit(m_settings.requestsPerMinute, 1e7, 0, tr(" requests/min"));
    addField(form, tr("Requests per &minute"), m_rpm);
    m_tpm = limit(m_settings.tokensPerMinute, 1e9, 0, tr(" tokens/min"));
    addField(form, tr("&Tokens per minute"), m_tpm);
    m_inFlight = new QSpinBox(page);
    m_inFlight->setRange(1, 1000);
    m_inFlight->setValue(m_settings.maxInFlight);
    addField(form, tr("&In flight"), m_inFlight);
    m_share = percentBox(m_settings.interactiveShare,
                         tr("Capacity kept free for prompts typed here, ahead of background traffic."));
    addField(form, tr("Reser&ved interactive share"), m_share);
    return page;
}

QWidget *SettingsDialog::alertsPage()
{
    auto *page = new QWidget(this);
    auto *form = new QFormLayout(page);
    m_spike = numberBox(m_settings.alerts.errorSpikeMultiplier, 100.0, 1);
    m_spike->setSuffix(tr(" × baseline"));
    addField(form, tr("Error &spike"), m_spike);
    m_rate429 = percentBox(m_settings.alerts.sustained429Rate,
                           tr("Alert when more than this share of attempts in 60 s got a quota 429."));
    addField(form, tr("Sustained &429 share"), m_rate429);
    m_quotaLow = percentBox(m_settings.alerts.quotaLowFraction,
                            tr("Alert when less than this share of the quota is left."));
    addField(form, tr("Low &quota share"), m_quotaLow);
    m_latency = secondsBox(qint64(m_settings.alerts.latencyP95ThresholdMs), 3600.0,
                           tr("Alert when p95 latency over 60 s is above this."));
    addField(form, tr("Latency &p95 above"), m_latency);
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
    s.retry.baseMs = msOf(m_base);
    s.retry.capMs = msOf(m_cap);
    s.retry.maxAttempts = m_attempts->value();
    s.retry.hintCeilingMs = msOf(m_ceiling);
    s.retry.budgetRatio = m_budget->value() / 100.0;
    s.timeouts.firstByteMs = msOf(m_firstByte);
    s.timeouts.idleMs = msOf(m_idle);
    s.timeouts.attemptMs = msOf(m_attempt);
    s.timeouts.defaultDeadlineMs = msOf(m_deadline);
    s.requestsPerSecond = m_rps->value();
    s.requestsPerMinute = m_rpm->value();
    s.tokensPerMinute = m_tpm->value();
    s.maxInFlight = m_inFlight->value();
    s.interactiveShare = m_share->value() / 100.0;
    s.alerts.errorSpikeMultiplier = m_spike->value();
    s.alerts.sustained429Rate = m_rate429->value() / 100.0;
    s.alerts.quotaLowFraction = m_quotaLow->value() / 100.0;
    s.alerts.latencyP95ThresholdMs = double(msOf(m_latency));
    return s;
}

} // namespace gp
