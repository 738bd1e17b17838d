#include "core/sim/completionsynth.h"

#include "core/sim/simrng.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <array>

namespace gp::sim {

namespace {

constexpr std::array<const char *, 48> kWords { {
    "quota",   "pulse",   "token",    "stream", "gentle", "rate",   "window",  "bucket", "signal", "steady",
    "careful", "latency", "answer",   "grok",   "model",  "retry",  "backoff", "jitter", "header", "limit",
    "burst",   "minute",  "second",   "queue",  "pacing", "budget", "circuit", "server", "client", "request",
    "reply",   "chunk",   "usage",    "prompt", "reason", "light",  "river",   "stone",  "cloud",  "orbit",
    "signal",  "patient", "measured", "calm",   "bright", "swift",  "quiet",   "clear",
} };

QJsonObject chunkObject(const QString &id, qint64 created, const SimModel &model, const QJsonArray &choices)
{
    return QJsonObject { { QStringLiteral("id"), id },
                         { QStringLiteral("object"), QStringLiteral("chat.completion.chunk") },
                         { QStringLiteral("created"), created },
                         { QStringLiteral("model"), model.id },
                         { QStringLiteral("choices"), choices },
                         { QStringLiteral("system_fingerprint"), QStringLiteral("fp_grokpulse_sim") } };
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

const QList<SimModel> &CompletionSynth::models()
{
    static const QList<SimModel> list {
        { QStringLiteral("grok-4-0709"),
          { QStringLiteral("grok-4"), QStringLiteral("grok-4-latest") },
          true,
          30000,
          7500,
          150000 },
        { QStringLiteral("grok-3-mini"), { QStringLiteral("grok-3-mini-latest") }, true, 3000, 750, 5000 },
        { QStringLiteral("grok-3"), { QStringLiteral("grok-3-latest") }, false, 30000, 7500, 150000 },
    };
    return list;
}

const SimModel *CompletionSynth::resolve(const QString &nameOrAlias)
{
    for (const SimModel &model : models()) {
        if (model.id == nameOrAlias || model.aliases.contains(nameOrAlias))
            return &model;
    }
    return nullptr;
}

quint64 CompletionSynth::hashText(const QString &text)
{
    quint64 hash = 1469598103934665603ULL; // FNV-1a 64
    for (const char byte : text.toUtf8()) {
        hash ^= quint8(byte);
        hash *= 1099511628211ULL;
    }
    return hash;
}

Completion CompletionSynth::complete(const SimModel &model, const QString &prompt, int words,
                                     int wordsPerChunk, std::optional<qint64> maxCompletionTokens,
                                     bool promptCached)
{
    Completion c;
    const quint64 hash = hashText(prompt);
    SimRng rng(hash);
    QString piece;
    int inPiece = 0;
    for (int i = 0; i < words; ++i) {
        QString word = QLatin1String(kWords.at(rng.next() % kWords.size()));
        if (i == 0)
            word[0] = word.at(0).toUpper();
        const QString addition
            = (i == 0 ? QString() : QStringLiteral(" ")) + word + (i == words - 1 ? u"." : u"");
        if (maxCompletionTokens && estimateTokens(c.text.size() + addition.size()) > *maxCompletionTokens) {
            c.finishReason = QStringLiteral("length");
            break;
        }
        c.text += addition;
        piece += addition;
        if (++inPiece == wordsPerChunk) {
            c.pieces.append(piece);
            piece.clear();
            inPiece = 0;
        }
    }
    if (!piece.isEmpty())
        c.pieces.append(piece);
    c.promptTokens = estimateTokens(prompt.size());
    c.completionTokens = estimateTokens(c.text.size());
    c.reasoningTokens = model.reasoning ? qint64(8 + hash % 24) : 0;
    c.cachedTokens = promptCached ? c.promptTokens : 0;
    return c;
}

QJsonObject CompletionSynth::usageJson(const SimModel &model, const Completion &c)
{
    const qint64 cost = (c.promptTokens - c.cachedTokens) * model.inputTicks
        + c.cachedTokens * model.cachedTicks + (c.completionTokens + c.reasoningTokens) * model.outputTicks;
    return QJsonObject {
        { QStringLiteral("prompt_tokens"), c.promptTokens },
        { QStringLiteral("completion_tokens"), c.completionTokens },
        { QStringLiteral("total_tokens"), c.totalTokens() },
        { QStringLiteral("prompt_tokens_details"),
          QJsonObject { { QStringLiteral("text_tokens"), c.promptTokens },
                        { QStringLiteral("audio_tokens"), 0 },
                        { QStringLiteral("image_tokens"), 0 },
                        { QStringLiteral("cached_tokens"), c.cachedTokens } } },
        { QStringLiteral("completion_tokens_details"),
          QJsonObject { { QStringLiteral("reasoning_tokens"), c.reasoningTokens },
                        { QStringLiteral("audio_tokens"), 0 },
                        { QStringLiteral("accepted_prediction_tokens"), 0 },
                        { QStringLiteral("rejected_prediction_tokens"), 0 } } },
        { QStringLiteral("num_sources_used"), 0 },
        { QStringLiteral("cost_in_usd_ticks"), cost },
    };
}

QByteArray CompletionSynth::responseBody(const QString &id, qint64 created, const SimModel &model,
                                         const Completion &c)
{
    const QJsonObject message { { QStringLiteral("role"), QStringLiteral("assistant") },
                                { QStringLiteral("content"), c.text },
                                { QStringLiteral("refusal"), QJsonValue::Null } };
    const QJsonArray choices { QJsonObject { { QStringLiteral("index"), 0 },
                                             { QStringLiteral("message"), message },
                                             { QStringLiteral("finish_reason"), c.finishReason } } };
    return compact(
        QJsonObject { { QStringLiteral("id"), id },
                      { QStringLiteral("object"), QStringLiteral("chat.completion") },
                      { QStringLiteral("created"), created },
                      { QStringLiteral("model"), model.id },
                      { QStringLiteral("choices"), choices },
                      { QStringLiteral("usage"), usageJson(model, c) },
                      { QStringLiteral("system_fingerprint"), QStringLiteral("fp_grokpulse_sim") } });
}

QList<QByteArray> CompletionSynth::streamEvents(const QString &id, qint64 created, const SimModel &model,
                                                const Completion &c, bool includeUsage)
{
    QList<QByteArray> events;
    for (qsizetype i = 0; i < c.pieces.size(); ++i) {
        QJsonObject delta { { QStringLiteral("content"), c.pieces.at(i) } };
        if (i == 0)
            delta.insert(QStringLiteral("role"), QStringLiteral("assistant"));
        const QJsonObject choice { { QStringLiteral("index"), 0 },
                                   { QStringLiteral("delta"), delta },
                                   { QStringLiteral("finish_reason"), QJsonValue::Null } };
        events.append(sseEvent(compact(chunkObject(id, created, model, QJsonArray { choice }))));
    }
    QJsonObject finalDelta;
    if (c.pieces.isEmpty())
        finalDelta.insert(QStringLiteral("role"), QStringLiteral("assistant"));
    const QJsonObject finish { { QStringLiteral("index"), 0 },
                               { QStringLiteral("delta"), finalDelta },
                               { QStringLiteral("finish_reason"), c.finishReason } };
    events.append(sseEvent(compact(chunkObject(id, created, model, QJsonArray { finish }))));
    if (includeUsage) {
        QJsonObject usageChunk = chunkObject(id, created, model, QJsonArray());
        usageChunk.insert(QStringLiteral("usage"), usageJson(model, c));
        events.append(sseEvent(compact(usageChunk)));
    }
    events.append(sseEvent(QByteArrayLiteral("[DONE]")));
    return events;
}

} // namespace gp::sim
