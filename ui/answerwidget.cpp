#include "ui/answerwidget.h"

#include "core/wire/costmodel.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QToolButton>
#include <QVBoxLayout>

namespace gp {

AnswerWidget::AnswerWidget(const QString &prompt, const QString &model, QWidget *parent)
    : QFrame(parent)
    , m_prompt(prompt)
{
    setFrameShape(QFrame::StyledPanel);
    setAccessibleName(tr("Answer"));
    auto *layout = new QVBoxLayout(this);
    auto *question = new QLabel(this);
    question->setTextFormat(Qt::PlainText);
    question->setWordWrap(true);
    question->setText(tr("You → %1: %2").arg(model, prompt));
    question->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = question->font();
    bold.setBold(true);
    question->setFont(bold);
    layout->addWidget(question);

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
    if (m_answerText.isEmpty())
        m_answer->setText(attempt > 1 ? tr("…attempt %1 sent").arg(attempt)
                                      : tr("…sent, waiting for the answer"));
}

void AnswerWidget::noteRetry(int attempt, qint64 delayMs, const QString &reason)
{
    m_footer->setText(tr("Attempt %1 failed (%2): retrying in %3 s")
                          .arg(attempt)
                          .arg(reason)
                          .arg(double(delayMs) / 1000.0, 0, 'f', 1));
}

void AnswerWidget::finish(const Outcome &outcome)
{
    m_finished = true;
    m_succeeded = outcome.isSuccess();
    const ChatResponse &r = outcome.response;
    if (m_succeeded) {
        if (m_answerText.isEmpty())
            m_answerText = r.text();
        if (m_reasoningText.isEmpty() && !r.choices.isEmpty()
            && !r.choices.first().reasoningContent.isEmpty())
            appendDelta({}, r.choices.first().reasoningContent);
        m_answer->setText(m_answerText);
    } else {
        const QString partial = outcome.partialText.isEmpty() ? m_answerText : outcome.partialText;
        m_answer->setText((partial.isEmpty() ? QString() : partial + QStringLiteral("\n\n"))
                          + tr("⚠ %1 (%2): %3")
                                .arg(jobStatusName(outcome.status), errorClassName(outcome.error.errorClass),
                                     outcome.error.message));
    }
    const Usage &u = r.usage;
    QString line = (outcome.attempts == 1 ? tr("1 attempt") : tr("%1 attempts").arg(outcome.attempts))
        + tr(" · %1 s").arg(double(outcome.latencyMs) / 1000.0, 0, 'f', 2);
    if (u.present) {
        line += tr(" · %1 tokens (prompt %2, completion %3, reasoning %4) · %5")
                    .arg(u.billedTokens())
                    .arg(u.promptTokens)
                    .arg(u.completionTokens)
                    .arg(u.reasoningTokens)
                    .arg(CostModel::costOf(u, r.model).text());
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
