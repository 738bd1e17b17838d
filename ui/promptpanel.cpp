#include "ui/promptpanel.h"

#include "core/client/client.h"
#include "ui/answerwidget.h"
#include "ui/consolesession.h"
#include "ui/consolesettings.h"
#include "ui/modelcatalog.h"
#include "ui/promptestimate.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>

namespace gp {

PromptPanel::PromptPanel(ConsoleSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    auto *layout = new QHBoxLayout(this);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    layout->addWidget(splitter);
    splitter->addWidget(buildControls());

    auto *right = new QWidget(splitter);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(right);
    scroll->setWidgetResizable(true);
    scroll->setAccessibleName(tr("Conversation"));
    auto *conversation = new QWidget(scroll);
    m_conversationLayout = new QVBoxLayout(conversation);
    m_conversationLayout->addStretch(1);
    scroll->setWidget(conversation);
    // Keep the newest answer in view as it streams.
    connect(scroll->verticalScrollBar(), &QScrollBar::rangeChanged, scroll,
            [scroll](int, int max) { scroll->verticalScrollBar()->setValue(max); });
    rightLayout->addWidget(scroll, 1);
    rightLayout->addWidget(buildInput());
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 300, 900 });

    if (m_session && m_session->client()) {
        m_catalog = new ModelCatalog(m_session->client()->networkAccessManager(), this);
        connect(m_catalog, &ModelCatalog::modelsChanged, this, &PromptPanel::setModels);
        m_catalog->fetch(m_session->endpoint(), m_session->apiKey(),
                         m_session->client()->config().allowInsecureHttp);
    }
}

PromptPanel::~PromptPanel()
{
    cancelAll();
}

QWidget *PromptPanel::buildControls()
{
    auto *box = new QWidget(this);
    auto *outer = new QVBoxLayout(box);
    auto *form = new QFormLayout;
    outer->addLayout(form);
    outer->addStretch(1);
    m_model = new QComboBox(box);
    m_model->setEditable(true);
    m_model->setAccessibleName(tr("Model"));
    m_defaultModel = m_session ? m_session->settings().defaultModel : QStringLiteral("grok-4");
    m_model->addItem(m_defaultModel);
    if (m_session)
        connect(m_session, &ConsoleSession::settingsChanged, this, &PromptPanel::followDefaultModel);
    form->addRow(tr("&Model"), m_model);
    form->addRow(tr("&API"), buildApiPicker(box));
    m_system = new QPlainTextEdit(box);
    m_system->setPlaceholderText(tr("Optional system prompt"));
    m_system->setAccessibleName(tr("System prompt"));
    m_system->setTabChangesFocus(true);
    m_system->setMaximumHeight(100);
    form->addRow(tr("S&ystem"), m_system);
    m_temperature = new QDoubleSpinBox(box);
    m_temperature->setRange(0.0, 2.0);
    m_temperature->setSingleStep(0.1);
    m_temperature->setValue(0.7);
    m_temperature->setAccessibleName(tr("Temperature"));
    form->addRow(tr("&Temperature"), m_temperature);
    m_maxTokens = new QSpinBox(box);
    m_maxTokens->setRange(1, 256000);
    m_maxTokens->setValue(1024);
    m_maxTokens->setAccessibleName(tr("Max completion tokens"));
    form->addRow(tr("Max to&kens"), m_maxTokens);
    m_priority = new QComboBox(box);
    m_priority->addItem(tr("Interactive"), int(Priority::Interactive));
    m_priority->addItem(tr("Normal"), int(Priority::Normal));
    m_priority->addItem(tr("Background"), int(Priority::Background));
    m_priority->setAccessibleName(tr("Priority"));
    form->addRow(tr("Pri&ority"), m_priority);
    m_stream = new QCheckBox(tr("Stream the a&nswer"), box);
    m_stream->setChecked(true);
    m_stream->setAccessibleName(tr("Stream"));
    form->addRow(QString(), m_stream);
    auto *clear = new QPushButton(tr("C&lear conversation"), box);
    clear->setAccessibleName(tr("Clear conversation"));
    connect(clear, &QPushButton::clicked, this, &PromptPanel::clearConversation);
    form->addRow(QString(), clear);
    // Rendered text can run a pixel or two past its measured width: "Temperature" lost its "e".
    for (int row = 0; row < form->rowCount(); ++row) {
        if (QLayoutItem *item = form->itemAt(row, QFormLayout::LabelRole); item && item->widget())
            item->widget()->setMinimumWidth(item->widget()->sizeHint().width() + 4);
    }
    return box;
}

QComboBox *PromptPanel::buildApiPicker(QWidget *parent)
{
    m_api = new QComboBox(parent);
    m_api->addItem(tr("Responses"), true);
    m_api->addItem(tr("Chat Completions"), false);
    m_api->setAccessibleName(tr("API"));
    m_api->setToolTip(tr("Responses keeps the conversation on the server (previous_response_id) and sends "
                         "only the new prompt; Chat Completions sends the whole conversation every turn."));
    if (m_session)
        m_api->setCurrentIndex(m_api->findData(m_session->settings().useResponsesApi));
    connect(m_api, &QComboBox::currentIndexChanged, this, &PromptPanel::updateEstimate);
    connect(m_api, &QComboBox::currentIndexChanged, this, &PromptPanel::rememberApi);
    return m_api;
}

void PromptPanel::followDefaultModel()
{
    const QString model = m_session->settings().defaultModel;
    if (model == m_defaultModel)
        return;
    if (m_model->currentText() == m_defaultModel)
        m_model->setCurrentText(model);
    m_defaultModel = model;
}

void PromptPanel::rememberApi()
{
    if (!m_session || m_session->settings().useResponsesApi == usesResponses())
        return;
    ConsoleSettings settings = m_session->settings();
    settings.useResponsesApi = usesResponses();
    m_session->updateSettings(settings);
}

bool PromptPanel::usesResponses() const
{
    return m_api->currentData().toBool();
}

void PromptPanel::setUsesResponses(bool responses)
{
    m_api->setCurrentIndex(m_api->findData(responses));
}

QWidget *PromptPanel::buildInput()
{
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    m_prompt = new QPlainTextEdit(box);
    m_prompt->setPlaceholderText(tr("Ask Grok… (Ctrl+Enter sends, Esc cancels)"));
    m_prompt->setAccessibleName(tr("Prompt"));
    m_prompt->setTabChangesFocus(true);
    m_prompt->setMaximumHeight(110);
    layout->addWidget(m_prompt);
    m_estimate = new QLabel(box);
    m_estimate->setWordWrap(true);
    m_estimate->setAccessibleName(tr("Estimated tokens and cost of this turn"));
    layout->addWidget(m_estimate);
    m_estimateTimer = new QTimer(this);
    m_estimateTimer->setSingleShot(true);
    m_estimateTimer->setInterval(150);
    connect(m_estimateTimer, &QTimer::timeout, this, &PromptPanel::updateEstimate);
    connect(m_prompt, &QPlainTextEdit::textChanged, m_estimateTimer, qOverload<>(&QTimer::start));
    connect(m_prompt, &QPlainTextEdit::textChanged, this,
            [this] { m_send->setEnabled(!m_prompt->toPlainText().trimmed().isEmpty()); });
    auto *row = new QHBoxLayout;
    m_hint = new QLabel(box);
    m_hint->setAccessibleName(tr("Prompts in flight"));
    row->addWidget(m_hint, 1);
    m_cancel = new QPushButton(tr("Cancel"), box);
    m_cancel->setAccessibleName(tr("Cancel prompts in flight"));
    m_cancel->setEnabled(false);
    row->addWidget(m_cancel);
    m_send = new QPushButton(tr("&Send"), box);
    m_send->setAccessibleName(tr("Send prompt"));
    m_send->setDefault(true);
    m_send->setEnabled(false); // nothing to send yet
    row->addWidget(m_send);
    layout->addLayout(row);
    connect(m_send, &QPushButton::clicked, this, &PromptPanel::send);
    connect(m_cancel, &QPushButton::clicked, this, &PromptPanel::cancelAll);
    for (const QKeySequence &keys :
         { QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter) }) {
        auto *shortcut = new QShortcut(keys, this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &PromptPanel::send);
    }
    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, this, &PromptPanel::cancelAll);
    return box;
}

void PromptPanel::updateEstimate()
{
    const QString prompt = m_prompt->toPlainText().trimmed();
    if (prompt.isEmpty()) {
        m_estimate->clear();
        return;
    }
    const PromptEstimate e = PromptEstimate::of(buildRequest(prompt), m_history);
    // The server holds the earlier turns: none are resent, though it still counts them as input.
    const bool kept = usesResponses() && !m_previousResponseId.isEmpty();
    const QString warning = kept ? QString() : e.warning();
    QString text = e.text();
    if (kept)
        text += u'\n'
            + tr("Responses: 0 history tokens resent (≈ %1 kept on the server by previous_response_id, "
                 "still counted as input)")
                  .arg(QLocale().toString(e.historyTokens));
    m_estimate->setText(warning.isEmpty() ? text : text + u'\n' + QStringLiteral("⚠ ") + warning);
    m_estimate->setForegroundRole(warning.isEmpty() ? QPalette::PlaceholderText : QPalette::WindowText);
}

void PromptPanel::setModels(const QStringList &models)
{
    const QString current = m_model->currentText();
    m_model->clear();
    m_model->addItems(models);
    m_model->setCurrentText(current); // an editable pick survives the refresh
}

void PromptPanel::setPromptText(const QString &text)
{
    m_prompt->setPlainText(text);
}

void PromptPanel::setStreaming(bool on)
{
    m_stream->setChecked(on);
}

ChatRequest PromptPanel::buildRequest(const QString &prompt) const
{
    ChatRequest request;
    request.model = m_model->currentText().trimmed();
    const QString system = m_system->toPlainText().trimmed();
    if (!system.isEmpty())
        request.messages.append({ QStringLiteral("system"), system });
    request.messages += m_history;
    request.messages.append({ QStringLiteral("user"), prompt });
    request.temperature = m_temperature->value();
    request.maxCompletionTokens = m_maxTokens->value();
    request.stream = m_stream->isChecked();
    return request;
}

ResponsesRequest PromptPanel::buildResponsesRequest(const QString &prompt) const
{
    ResponsesRequest request;
    request.model = m_model->currentText().trimmed();
    request.instructions = m_system->toPlainText().trimmed();
    if (m_previousResponseId.isEmpty()) { // no stored chain (first turn, or after a chat turn)
        for (const ChatMessage &message : m_history)
            request.inputItems.append({ message.role, message.content, {}, {} });
    }
    request.inputItems.append({ QStringLiteral("user"), prompt, {}, {} });
    request.previousResponseId = m_previousResponseId;
    request.temperature = m_temperature->value();
    request.maxOutputTokens = m_maxTokens->value();
    request.stream = m_stream->isChecked();
    return request;
}

RequestJob *PromptPanel::submitTurn(const QString &prompt)
{
    RequestOptions options;
    options.priority = Priority(m_priority->currentData().toInt());
    options.stream = m_stream->isChecked();
    if (usesResponses())
        return m_session->client()->submit(buildResponsesRequest(prompt), options);
    return m_session->client()->submit(buildRequest(prompt), options);
}

void PromptPanel::send()
{
    const QString prompt = m_prompt->toPlainText().trimmed();
    if (prompt.isEmpty() || !m_session || !m_session->client())
        return;
    RequestJob *job = submitTurn(prompt); // never finishes inside submit()
    auto *answer = new AnswerWidget(prompt, m_model->currentText().trimmed(), this);
    m_conversationLayout->insertWidget(m_conversationLayout->count() - 1, answer);
    m_answers.append(answer);
    m_jobs.append(job);
    connect(job, &RequestJob::streamDelta, answer, &AnswerWidget::appendDelta);
    connect(job, &RequestJob::attemptStarted, answer, &AnswerWidget::noteAttempt);
    connect(job, &RequestJob::retryScheduled, answer,
            [answer, job](int attempt, qint64 delayMs, ErrorClass reason) {
                answer->noteRetry(attempt, delayMs, errorClassName(reason), job->outcome().httpStatus);
            });
    connect(job, &RequestJob::finished, this,
            [this, job, answer, prompt] { onFinished(job, answer, prompt); });
    answer->track(job, m_session->client());
    m_prompt->clear();
    updateEstimate();
    m_cancel->setEnabled(true);
    m_hint->setText(tr("%n prompt(s) in flight", nullptr, inFlight()));
    Q_EMIT inFlightChanged(inFlight());
    Q_EMIT submitted(job);
}

void PromptPanel::onFinished(RequestJob *job, AnswerWidget *answer, const QString &prompt)
{
    const Outcome outcome = job->outcome();
    if (m_answers.contains(answer)) {
        answer->finish(outcome, m_cancelling.contains(job), job->request().estimatePromptTokens());
        if (outcome.isSuccess()) {
            m_history.append({ QStringLiteral("user"), prompt });
            m_history.append({ QStringLiteral("assistant"), answer->answerText() });
            // A chat turn is not in the server's chain: the next Responses turn starts one.
            m_previousResponseId = job->kind() == RequestKind::Responses ? outcome.response.id : QString();
            updateEstimate();
        }
    }
    m_jobs.removeAll(job);
    m_cancelling.remove(job);
    m_cancel->setEnabled(!m_jobs.isEmpty());
    m_hint->setText(m_jobs.isEmpty() ? QString() : tr("%n prompt(s) in flight", nullptr, inFlight()));
    Q_EMIT inFlightChanged(inFlight());
}

void PromptPanel::cancelAll()
{
    const auto jobs = m_jobs; // cancel() finishes synchronously and edits m_jobs
    for (const QPointer<RequestJob> &job : jobs) {
        if (job) {
            m_cancelling.insert(job);
            job->cancel();
        }
    }
}

void PromptPanel::clearConversation()
{
    cancelAll();
    for (AnswerWidget *answer : std::as_const(m_answers))
        answer->deleteLater();
    m_answers.clear();
    m_history.clear();
    m_previousResponseId.clear();
}

AnswerWidget *PromptPanel::answer(int index) const
{
    return m_answers.value(index);
}

} // namespace gp
