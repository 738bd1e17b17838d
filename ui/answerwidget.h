#pragma once

#include "core/client/outcome.h"

#include <QElapsedTimer>
#include <QFrame>
#include <QPointer>
#include <QStringList>
#include <QTimer>

class QLabel;
class QPlainTextEdit;
class QToolButton;
class QVBoxLayout;

namespace gp {

class Client;
class RequestJob;

// One prompt and its answer in the conversation: streamed text, folded reasoning and a
// footer with attempts, latency, tokens and cost.
class AnswerWidget final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AnswerWidget)

public:
    AnswerWidget(const QString &prompt, const QString &model, QWidget *parent = nullptr);

    // Follows the job live (queue, retry countdown, breaker hold) until finish(). Not owned.
    void track(RequestJob *job, Client *client);
    void appendDelta(const QString &content, const QString &reasoning);
    void noteAttempt(int attempt);
    // httpStatus 0 when the attempt got no response (reset, timeout): the reason names it.
    void noteRetry(int attempt, qint64 delayMs, const QString &reason, int httpStatus = 0);
    // cancelledByUser: the console cancelled it (Esc, Cancel); promptTokens: the request's
    // estimate, charged once an attempt was sent.
    void finish(const Outcome &outcome, bool cancelledByUser = false, qint64 promptTokens = 0);
    QString liveText() const; // the live status line while unfinished
    QStringList failedAttempts() const { return m_failures; } // "503", "network", ...

    QString prompt() const { return m_prompt; }
    bool isPromptCollapsed() const; // a long prompt shows only its start
    static constexpr int kLongPromptChars = 400;
    static constexpr int kLongPromptLines = 6;
    QString answerText() const { return m_answerText; }
    QString footerText() const;
    bool isFinished() const { return m_finished; }
    bool succeeded() const { return m_succeeded; }

private:
    void addPrompt(QVBoxLayout *layout, QLabel *question);
    void showReasoning(bool shown);
    void updateLive();
    QString failureSummary(int attempts) const;

    QString m_prompt;
    QString m_model; // as requested; the answer names the resolved one
    QString m_answerText;
    QString m_reasoningText;
    QLabel *m_answer = nullptr;
    QToolButton *m_reasoningToggle = nullptr;
    QToolButton *m_promptToggle = nullptr; // long prompts only
    QPlainTextEdit *m_reasoning = nullptr;
    QLabel *m_footer = nullptr;
    QPointer<RequestJob> m_job;
    QPointer<Client> m_client;
    QTimer m_live;
    QElapsedTimer m_since; // since submit
    QElapsedTimer m_retryClock; // since the last retry was scheduled
    qint64 m_retryDelayMs = -1;
    QString m_lastFailure;
    QStringList m_failures;
    int m_attempt = 0;
    bool m_finished = false;
    bool m_succeeded = false;
};

} // namespace gp
