#include "ui/answerwidget.h"

#include "core/client/client.h"
#include "core/client/requestjob.h"
#include "core/pacing/pacer.h"
#include "core/wire/costmodel.h"
#include "ui/headlinestats.h"

#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QToolButton>
#include <QVBoxLayout>

namespace gp {

AnswerWidget::AnswerWidget(const QString &prompt, const QString &model, QWidget *parent)
    : QFrame(parent)
    , m_prompt(prompt)
    , m_model(model)
{
    setFrameShape(QFrame::StyledPanel);
    setAccessibleName(tr("Answer"));
    auto *layout = new QVBoxLayout(this);
    auto *question = new QLabel(this);
    question->setTextFormat(Qt::PlainText);
    question->setWordWrap(true);
    question->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = question->font();
    bold.setBold(true);
    question->setFont(bold);
    layout->addWidget(question);
    addPrompt(layout, question);

    m_reasoningToggle = new QToolButton(this);
    m_reasoningToggle->setCheckable(true);
    m_reasoningToggle->setAutoRaise(true);
    m_reasoningToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_reasoningToggle->setArrowType(Qt::RightArrow);
    m_reasoningToggle->setText(tr("Reasoning"));
    m_reasoningToggle->setAccessibleName(tr("Show reasoning"));
    m_reasoningToggle->hide();
    connect(m_reasoningToggle, &QToolButton::toggled, this, &AnswerWidget::showReasoning);
    layout->addWidget(m_reasoningToggle);
    m_reasoning = new QPlainTextEdit(this);
    m_reasoning->setReadOnly(true);
    m_reasoning->setMaximumHeight(120);
    m_reasoning->setAccessibleName(tr("Reasoning"));
    m_reasoning->hide();
    layout->addWidget(m_reasoning);

    m_answer = new QLabel(tr("…waiting in queue"), this);
    m_answer->setTextFormat(Qt::PlainText);
    m_answer->setWordWrap(true);
    m_answer->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_answer->setAccessibleName(tr("Answer text"));
    layout->addWidget(m_answer);

    m_footer = new QLabel(this);
    m_footer->setTextFormat(Qt::PlainText);
    m_footer->setForegroundRole(QPalette::PlaceholderText);
    m_footer->setAccessibleName(tr("Answer details"));
    layout->addWidget(m_footer);
    m_live.setInterval(200);
    connect(&m_live, &QTimer::timeout, this, &AnswerWidget::updateLive);
    m_since.start();
}

void AnswerWidget::track(RequestJob *job, Client *client)
{
    m_job = job;
    m_client = client;
    m_live.start();
    updateLive();
}

namespace {

QString words(ErrorClass errorClass)
{
    return errorClassName(errorClass).replace(u'_', u' ');
}

// The usage of a request sent and cut short: its prompt and an estimate of the text it streamed.
void estimateCutShortUsage(Usage *u, const QString &streamedText, qint64 promptTokens)
{
    ChatRequest streamed;
    streamed.messages = { { QStringLiteral("assistant"), streamedText } };
    u->promptTokens = promptTokens;
    u->completionTokens = streamedText.isEmpty()
        ? 0
        : std::max<qint64>(0, streamed.estimatePromptTokens() - ChatRequest {}.estimatePromptTokens() - 4);
    u->present = u->promptTokens + u->completionTokens > 0;
}

} // namespace

// What the job waits for right now, with a countdown where one is known.
void AnswerWidget::updateLive()
{
    if (m_finished || !m_job) {
        m_live.stop();
        return;
    }
    const QString elapsed = HeadlineStats::seconds(double(m_since.elapsed()));
    const QString failed = m_lastFailure.isEmpty()
        ? QString()
        : tr("Attempt %1 failed (%2). ").arg(m_attempt).arg(m_lastFailure);
    QString text;
    switch (m_job->stage()) {
    case RequestJob::Stage::Queued: {
        const qint64 left = m_retryDelayMs - m_retryClock.elapsed();
        if (m_retryDelayMs >= 0 && left > 0) {
            text = failed + tr("Retrying in %1").arg(HeadlineStats::seconds(double(left)));
        } else {
            QString reason
                = m_client && m_client->pacer() ? m_client->pacer()->state().waitReason : QString();
            text = failed
                + (reason.isEmpty() ? tr("Waiting in the pacing queue")
                                    : tr("Waiting for the pacer: %1").arg(reason));
        }
        break;
    }
    case RequestJob::Stage::Holding:
        text = failed + tr("Circuit breaker open: held until the server recovers");
        break;
    case RequestJob::Stage::InFlight:
        text = m_attempt > 1
            ? tr("Attempt %1 sent (earlier: %2)").arg(m_attempt).arg(m_failures.join(QStringLiteral(", ")))
            : tr("Sent, waiting for the answer");
        break;
    case RequestJob::Stage::AwaitingCredential: text = tr("Waiting for a new API key"); break;
    case RequestJob::Stage::Finished: return;
    }
    m_footer->setText(text + QStringLiteral(" · ") + elapsed);
}

QString AnswerWidget::liveText() const
{
    return m_finished ? QString() : m_footer->text();
}

QString AnswerWidget::failureSummary(int attempts) const
{
    QString line = attempts == 1 ? tr("1 attempt") : tr("%1 attempts").arg(attempts);
    if (!m_failures.isEmpty())
        line += QStringLiteral(": ") + m_failures.join(QStringLiteral(", "));
    return line;
}

void AnswerWidget::showReasoning(bool shown)
{
    m_reasoningToggle->setArrowType(shown ? Qt::DownArrow : Qt::RightArrow);
    m_reasoning->setVisible(shown);
}

void AnswerWidget::appendDelta(const QString &content, const QString &reasoning)
{
    if (!reasoning.isEmpty()) {
        m_reasoningText += reasoning;
        m_reasoningToggle->show();
        m_reasoning->setPlainText(m_reasoningText);
    }
    if (!content.isEmpty()) {
        m_answerText += content;
        m_answer->setText(m_answerText);
    }
}

void AnswerWidget::noteAttempt(int attempt)
{
    m_attempt = attempt;
    m_retryDelayMs = -1;
    if (m_answerText.isEmpty())
        m_answer->setText(attempt > 1 ? tr("…attempt %1 sent").arg(attempt)
                                      : tr("…sent, waiting for the answer"));
    updateLive();
}

void AnswerWidget::noteRetry(int attempt, qint64 delayMs, const QString &reason, int httpStatus)
{
    m_attempt = attempt;
    m_lastFailure = httpStatus > 0 ? QString::number(httpStatus) + u' ' + QString(reason).replace(u'_', u' ')
                                   : QString(reason).replace(u'_', u' ');
    m_failures.append(httpStatus > 0 ? QString::number(httpStatus) : QString(reason).replace(u'_', u' '));
    m_retryDelayMs = delayMs;
    m_retryClock.start();
    if (m_answerText.isEmpty())
        m_answer->setText(tr("…attempt %1 failed, will retry").arg(attempt));
    if (m_job)
        updateLive();
    else
        m_footer->setText(tr("Attempt %1 failed (%2): retrying in %3")
                              .arg(attempt)
                              .arg(m_lastFailure, HeadlineStats::seconds(double(delayMs))));
}

// A long prompt (a pasted file) shows its first lines and its size; the rest on request.
void AnswerWidget::addPrompt(QVBoxLayout *layout, QLabel *question)
{
    const QString head = tr("You → %1: ").arg(m_model);
    const qsizetype lines = m_prompt.count(u'\n') + 1;
    if (m_prompt.size() <= kLongPromptChars && lines <= kLongPromptLines) {
        question->setText(head + m_prompt);
        return;
    }
    QString excerpt = m_prompt.left(kLongPromptChars);
    excerpt = excerpt.section(u'\n', 0, kLongPromptLines - 1);
    const QString collapsed = head + excerpt + QStringLiteral(" …");
    question->setText(collapsed);
    m_promptToggle = new QToolButton(this);
    m_promptToggle->setCheckable(true);
    m_promptToggle->setAutoRaise(true);
    const QString size = QLocale().formattedDataSize(m_prompt.toUtf8().size(), 0);
    const QString expand = tr("Show the whole prompt (%1, %n line(s))", nullptr, int(lines)).arg(size);
    m_promptToggle->setText(expand);
    m_promptToggle->setAccessibleName(tr("Show the whole prompt"));
    connect(m_promptToggle, &QToolButton::toggled, question,
            [this, question, head, collapsed, expand](bool on) {
                question->setText(on ? head + m_prompt : collapsed);
                m_promptToggle->setText(on ? tr("Collapse the prompt") : expand);
            });
    layout->addWidget(m_promptToggle);
}

bool AnswerWidget::isPromptCollapsed() const
{
    return m_promptToggle && !m_promptToggle->isChecked();
}

void AnswerWidget::finish(const Outcome &outcome, bool cancelledByUser, qint64 promptTokens)
{
    m_finished = true;
    m_live.stop();
    m_succeeded = outcome.isSuccess();
    const ChatResponse &r = outcome.response;
    const bool cancelled = outcome.status == JobStatus::Cancelled;
    const QString partial = outcome.partialText.isEmpty() ? m_answerText : outcome.partialText;
    if (m_succeeded) {
        if (m_answerText.isEmpty())
            m_answerText = r.text();
        if (m_reasoningText.isEmpty() && !r.choices.isEmpty()
            && !r.choices.first().reasoningContent.isEmpty())
            appendDelta({}, r.choices.first().reasoningContent);
        m_answer->setText(m_answerText);
    } else if (cancelled) {
        const QString who = cancelledByUser ? tr("Cancelled by you") : tr("Cancelled");
        m_answer->setText((partial.isEmpty() ? QString() : partial + QStringLiteral("\n\n"))
                          + (outcome.attempts == 0
                                 ? tr("%1 while it waited in the queue; nothing was sent.").arg(who)
                                 : who + u'.'));
    } else {
        const QString what = outcome.status == JobStatus::Interrupted ? tr("Interrupted") : tr("Failed");
        m_answer->setText(
            (partial.isEmpty() ? QString() : partial + QStringLiteral("\n\n"))
            + tr("⚠ %1 — %2: %3").arg(what, words(outcome.error.errorClass), outcome.error.message));
    }
    Usage u = r.usage;
    bool estimatedUsage = false;
    if (!u.present && !m_succeeded && outcome.attempts > 0 && (cancelled || !partial.isEmpty())) {
        // Sent and cut short: the server still charges the prompt and what it streamed.
        estimateCutShortUsage(&u, partial + m_reasoningText, promptTokens);
        estimatedUsage = u.present;
    }
    QString line = failureSummary(outcome.attempts) + QStringLiteral(" · ")
        + HeadlineStats::seconds(double(outcome.latencyMs));
    if (u.present) {
        Cost cost = CostModel::costOf(u, r.model.isEmpty() ? m_model : r.model);
        cost.estimated = cost.estimated || estimatedUsage;
        if (estimatedUsage)
            line += tr(" · ≈%1 tokens so far (prompt %2, streamed %3) · %4")
                        .arg(u.billedTokens())
                        .arg(u.promptTokens)
                        .arg(u.completionTokens)
                        .arg(cost.text());
        else
            line += tr(" · %1 tokens (prompt %2, completion %3, reasoning %4) · %5")
                        .arg(u.billedTokens())
                        .arg(u.promptTokens)
                        .arg(u.completionTokens)
                        .arg(u.reasoningTokens)
                        .arg(cost.text());
    }
    if (!r.model.isEmpty())
        line += QStringLiteral(" · ") + r.model;
    m_footer->setText(line);
}

QString AnswerWidget::footerText() const
{
    return m_footer->text();
}

} // namespace gp
