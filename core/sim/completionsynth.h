#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace gp::sim {

struct SimModel
{
    QString id;
    QStringList aliases;
    bool reasoning = false;
    qint64 inputTicks = 0; // cost per token in USD ticks (1e-10 USD)
    qint64 cachedTicks = 0;
    qint64 outputTicks = 0; // completion and reasoning tokens
};

// One synthesized answer and its usage (xAI: total = prompt + completion + reasoning).
struct Completion
{
    QStringList pieces; // the text split as streamed, one piece per content chunk
    QString text;
    QString finishReason = QStringLiteral("stop");
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    qint64 reasoningTokens = 0;
    qint64 cachedTokens = 0;

    qint64 totalTokens() const { return promptTokens + completionTokens + reasoningTokens; }
};

// Deterministic answers: the text is derived from a hash of the prompt, token counts
// use the documented estimate ceil(characters / 4).
class CompletionSynth final
{
public:
    static const QList<SimModel> &models();
    static const SimModel *resolve(const QString &nameOrAlias);
    static qint64 estimateTokens(qsizetype characters) { return (characters + 3) / 4; }
    static quint64 hashText(const QString &text);

    static Completion complete(const SimModel &model, const QString &prompt, int words, int wordsPerChunk,
                               std::optional<qint64> maxCompletionTokens, bool promptCached);
    static QJsonObject usageJson(const SimModel &model, const Completion &completion);
    static QByteArray responseBody(const QString &id, qint64 created, const SimModel &model,
                                   const Completion &c);
    // content chunks, a finish chunk, the usage chunk when asked, then [DONE]
    static QList<QByteArray> streamEvents(const QString &id, qint64 created, const SimModel &model,
                                          const Completion &c, bool includeUsage);
    static QByteArray sseEvent(const QByteArray &data) { return "data: " + data + "\n\n"; }
};

} // namespace gp::sim
