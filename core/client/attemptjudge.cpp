#include "core/client/attemptjudge.h"

#include "core/policy/secretscrubber.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace gp {

Judgement AttemptJudge::judge(const AttemptResult &result, qint64 nowEpochMs, qint64 requestTokens)
{
    Judgement j;
    ClassifierInput in;
    in.httpStatus = result.httpStatus;
    in.transport = result.transport;
    in.malformedSuccess = result.malformed;
    in.requestTokens = requestTokens;
    if (result.streamError) {
        in.streamErrorEvent = true;
        j.body = *result.streamError;
    } else if (result.httpStatus > 0 && (result.httpStatus < 200 || result.httpStatus >= 300)) {
        j.body = parseErrorBody(result.body);
    }
    in.body = j.body;
    const bool clean = result.httpStatus >= 200 && result.httpStatus < 300
        && result.transport == TransportError::None && !result.malformed && !result.streamError;
    if (!result.headers.isEmpty()) {
        j.quota = parseQuotaHeaders(result.headers, nowEpochMs);
        if (!clean) { // retry hints only matter for failures: skip the header scans on success
            in.shouldRetry = parseShouldRetry(result.headers);
            j.hint = parseRetryHint(result.headers, nowEpochMs);
        }
    }
    j.classification = classifyAttempt(in);
    if (result.malformed && !result.malformedReason.isEmpty()
        && j.classification.errorClass == ErrorClass::MalformedResponse)
        j.classification.message += u": "_s + result.malformedReason;
    // Over our size bound: the same response next time, so retrying only repeats the cost.
    if (result.overLimit)
        j.classification
            = Classification { ErrorClass::MalformedResponse, false, result.malformedReason, {} };
    if (j.classification.errorClass == ErrorClass::Tls && !result.transportDetail.isEmpty())
        j.classification.message = u"TLS failure: "_s + result.transportDetail;
    return j;
}

QByteArray AttemptJudge::synthesizeBody(const ChatResponse &response)
{
    QJsonArray choices;
    for (const ChatChoice &choice : response.choices) {
        QJsonObject message { { u"role"_s, u"assistant"_s }, { u"content"_s, choice.content } };
        if (!choice.reasoningContent.isEmpty())
            message.insert(u"reasoning_content"_s, choice.reasoningContent);
        choices.append(QJsonObject { { u"index"_s, choice.index },
                                     { u"message"_s, message },
                                     { u"finish_reason"_s,
                                       choice.finishReason.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                                     : QJsonValue(choice.finishReason) } });
    }
    QJsonObject body { { u"id"_s, response.id },
                       { u"object"_s, u"chat.completion"_s },
                       { u"created"_s, response.created },
                       { u"model"_s, response.model },
                       { u"choices"_s, choices } };
    const Usage &u = response.usage;
    if (u.present) {
        body.insert(u"usage"_s,
                    QJsonObject { { u"prompt_tokens"_s, u.promptTokens },
                                  { u"completion_tokens"_s, u.completionTokens },
                                  { u"total_tokens"_s, u.totalTokens },
                                  { u"prompt_tokens_details"_s,
                                    QJsonObject { { u"cached_tokens"_s, u.cachedTokens } } },
                                  { u"completion_tokens_details"_s,
                                    QJsonObject { { u"reasoning_tokens"_s, u.reasoningTokens } } } });
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QString AttemptJudge::authMessage(const Classification &classification, const QString &keySource,
                                  bool keyIsEmpty)
{
    const QString source = keySource.isEmpty() ? u"the configuration"_s : keySource;
    if (keyIsEmpty)
        return u"authentication failed: no API key is set (expected from "_s + source + u"); "_s
            + classification.message;
    return u"authentication failed: the API key from "_s + source + u" was rejected; "_s
        + classification.message;
}

QString AttemptJudge::redact(QString text, const QString &secret)
{
    return SecretScrubber::redact(std::move(text), secret);
}

} // namespace gp
