#pragma once

#include "app/batch/inputline.h"

#include <QHash>
#include <QJsonObject>
#include <QUrl>

namespace gp {

// Parses batch input lines: the OpenAI Batch form
//   {"custom_id", "method": "POST", "url": "/v1/chat/completions", "body": {...}}
// or the short form {"id", "prompt", "system"?, ...request fields}. Remembers the ids
// it has seen, so a repeated id is an input error. Pure: no I/O.
class InputLineParser final
{
public:
    // baseUrl: where requests go; a line's url must resolve (joinApiUrl) to
    // chatCompletionsUrl(baseUrl) or to the Responses URL beside it. defaultModel fills requests that name
    // none.
    InputLineParser(const QUrl &baseUrl, const QString &defaultModel);

    static QUrl chatCompletionsUrl(const QUrl &baseUrl);
    QUrl chatCompletionsUrl() const { return m_chatUrl; }

    InputLine parse(const QByteArray &line, qint64 lineNumber);
    // The id a line names, without validating the rest (for skipping and draining).
    static QString peekId(const QJsonObject &object);

private:
    bool readId(const QJsonObject &object, InputLine *line);
    bool readBatchForm(const QJsonObject &object, InputLine *line) const;
    bool readShortForm(const QJsonObject &object, InputLine *line) const;
    bool readBody(const QJsonObject &body, InputLine *line) const;
    bool readResponsesBody(const QJsonObject &body, InputLine *line) const;

    QUrl m_baseUrl;
    QUrl m_chatUrl;
    QUrl m_responsesUrl;
    QString m_defaultModel;
    QHash<QString, qint64> m_seen; // id -> first line
};

} // namespace gp
