#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <optional>

namespace gp {

class Client;
struct ChatRequest;

// Exact prompt token counts for pacing: POST /tokenize-text once per distinct (model,
// text), cached for the client's life; concurrent asks for the same text share one call.
// A failed call answers nullopt (the caller keeps its estimate) and is not cached.
class TokenCounter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenCounter)

public:
    using Done = std::function<void(std::optional<qint64> tokens)>;

    explicit TokenCounter(Client *client);

    void count(const QString &model, const QString &text, QObject *context, Done done);
    // The whole prompt of a chat request (or a chat view): every message's text counted,
    // plus the framing per message and the reply primer, plus max completion tokens.
    void countRequest(const ChatRequest &request, QObject *context, Done done);

    qint64 calls() const { return m_calls; }
    qint64 failures() const { return m_failures; }
    qint64 cacheHits() const { return m_hits; }
    qint64 callMs() const { return m_callMs; } // summed wall time of the calls
    QString
    summary() const; // "exact tokens: N tokenize-text calls (M answered from the cache, F failed), T ms"

private:
    struct Waiter
    {
        QPointer<QObject> context;
        Done done;
    };
    void answer(const QString &key, std::optional<qint64> tokens);

    Client *m_client = nullptr;
    QHash<QString, qint64> m_cache;
    QHash<QString, QList<Waiter>> m_waiting;
    qint64 m_calls = 0;
    qint64 m_failures = 0;
    qint64 m_hits = 0;
    qint64 m_callMs = 0;
};

} // namespace gp
