#pragma once

#include "core/wire/chatrequest.h"
#include "core/wire/responsesrequest.h"

#include <QList>
#include <QPointer>
#include <QSet>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;
class QVBoxLayout;

namespace gp {

class AnswerWidget;
class ConsoleSession;
class ModelCatalog;
class RequestJob;

// Prompt, model and sampling controls, and the conversation. Ctrl+Enter sends, Esc
// cancels what this panel has in flight; several prompts may be in flight at once. With the
// Responses API (the default) a conversation continues by previous_response_id: the server
// keeps the earlier turns and only the new prompt is sent; Chat Completions resends them.
class PromptPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PromptPanel)

public:
    explicit PromptPanel(ConsoleSession *session, QWidget *parent = nullptr);
    ~PromptPanel() override;

    void setPromptText(const QString &text);
    void setStreaming(bool on);
    void send();
    void cancelAll();
    void clearConversation();
    int answerCount() const { return int(m_answers.size()); }
    AnswerWidget *answer(int index) const;
    int inFlight() const { return int(m_jobs.size()); }
    QComboBox *modelPicker() const { return m_model; }
    QComboBox *apiPicker() const { return m_api; } // data: true for Responses
    bool usesResponses() const;
    void setUsesResponses(bool responses);
    QString previousResponseId() const { return m_previousResponseId; } // empty: none yet
    QPushButton *sendButton() const { return m_send; }
    QLabel *estimateLabel() const { return m_estimate; } // tokens and cost of the next turn
    void updateEstimate();

Q_SIGNALS:
    void inFlightChanged(int count);
    void submitted(gp::RequestJob *job); // right after the client took it

private:
    void rememberApi(); // into the session's settings, which the window saves
    void followDefaultModel(); // a new default model replaces the shown one unless the user picked another
    QWidget *buildControls();
    QWidget *buildInput();
    QComboBox *buildApiPicker(QWidget *parent);
    ChatRequest buildRequest(const QString &prompt) const;
    ResponsesRequest buildResponsesRequest(const QString &prompt) const;
    RequestJob *submitTurn(const QString &prompt);
    void onFinished(RequestJob *job, AnswerWidget *answer, const QString &prompt);
    void setModels(const QStringList &models);

    ConsoleSession *m_session = nullptr;
    ModelCatalog *m_catalog = nullptr;
    QComboBox *m_model = nullptr;
    QString m_defaultModel; // the settings' default the picker was given
    QComboBox *m_api = nullptr;
    QPlainTextEdit *m_system = nullptr;
    QDoubleSpinBox *m_temperature = nullptr;
    QSpinBox *m_maxTokens = nullptr;
    QComboBox *m_priority = nullptr;
    QCheckBox *m_stream = nullptr;
    QPlainTextEdit *m_prompt = nullptr;
    QPushButton *m_send = nullptr;
    QPushButton *m_cancel = nullptr;
    QLabel *m_hint = nullptr;
    QLabel *m_estimate = nullptr;
    QTimer *m_estimateTimer = nullptr; // a 50 KB paste is estimated once, not per keystroke
    QVBoxLayout *m_conversationLayout = nullptr;
    QList<AnswerWidget *> m_answers;
    QList<ChatMessage> m_history; // completed turns, sent with the next chat prompt
    QString m_previousResponseId; // the last Responses answer, when the server holds the turns
    QList<QPointer<RequestJob>> m_jobs;
    QSet<const RequestJob *> m_cancelling; // cancelled from here (Esc, Cancel, Clear)
};

} // namespace gp
