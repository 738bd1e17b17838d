#pragma once

#include "core/client/outcome.h"

#include <QFrame>

class QLabel;
class QPlainTextEdit;
class QToolButton;

namespace gp {

// One prompt and its answer in the conversation: streamed text, folded reasoning and a
// footer with attempts, latency, tokens and cost.
class AnswerWidget final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AnswerWidget)

public:
    AnswerWidget(const QString &prompt, const QString &model, QWidget *parent = nullptr);

    void appendDelta(const QString &content, const QString &reasoning);
    void noteAttempt(int attempt);
    void noteRetry(int attempt, qint64 delayMs, const QString &reason);
    void finish(const Outcome &outcome);

    QString prompt() const { return m_prompt; }
    QString answerText() const { return m_answerText; }
    QString footerText() const;
    bool isFinished() const { return m_finished; }
    bool succeeded() const { return m_succeeded; }

private:
    void showReasoning(bool shown);

    QString m_prompt;
    QString m_answerText;
    QString m_reasoningText;
    QLabel *m_answer = nullptr;
    QToolButton *m_reasoningToggle = nullptr;
    QPlainTextEdit *m_reasoning = nullptr;
    QLabel *m_footer = nullptr;
    bool m_finished = false;
    bool m_succeeded = false;
};

} // namespace gp
