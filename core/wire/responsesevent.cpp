#include "core/wire/responsesevent.h"

#include "core/wire/wirenumber.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

ResponsesEvent::Kind kindOf(const QString &type)
{
    using Kind = ResponsesEvent::Kind;
    if (type == "response.output_text.delta"_L1)
        return Kind::OutputTextDelta;
    if (type == "response.reasoning_text.delta"_L1 || type == "response.reasoning_summary_text.delta"_L1)
        return Kind::ReasoningDelta;
    if (type == "response.created"_L1)
        return Kind::Created;
    if (type == "response.in_progress"_L1)
        return Kind::InProgress;
    if (type == "response.completed"_L1)
        return Kind::Completed;
    if (type == "response.failed"_L1)
        return Kind::Failed;
    if (type == "response.incomplete"_L1)
        return Kind::Incomplete;
    if (type == "error"_L1)
        return Kind::Error;
    return Kind::Other;
}

bool fail(QString *error, const QString &reason)
{
    if (error)
        *error = reason;
    return false;
}

// The event's type (from its JSON, else its SSE event name), bounded and with no control
// characters.
QString eventType(const QJsonValue &type, const QByteArray &eventName)
{
    QString text = (type.isString() ? type.toString() : QString::fromUtf8(eventName)).left(80);
    for (QChar &c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = u'?'; // untrusted, and it may end up in a log line
    }
    return text;
}

} // namespace

std::optional<ResponsesEvent> parseResponsesEvent(const QByteArray &data, const QByteArray &eventName,
                                                  QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(data, &parseError);
    if (data.trimmed().isEmpty()) {
        fail(error, u"event is empty"_s);
        return std::nullopt;
    }
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        fail(error,
             parseError.error != QJsonParseError::NoError ? u"event is not JSON: "_s
                     + parseError.errorString() + u" at offset %1"_s.arg(parseError.offset)
                                                          : u"event is not a JSON object"_s);
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    ResponsesEvent event;
    const QJsonValue type = object.value("type"_L1);
    event.type = eventType(type, eventName);
    event.kind = kindOf(event.type);
    event.sequenceNumber = jsonInteger(object.value("sequence_number"_L1)).value_or(-1);
    if (!type.isString() && event.kind == ResponsesEvent::Kind::Other && parseStreamError(data)) {
        event.kind = ResponsesEvent::Kind::Error; // an error body a proxy put into the stream
        event.type = u"error"_s;
    }
    switch (event.kind) {
    case ResponsesEvent::Kind::OutputTextDelta:
    case ResponsesEvent::Kind::ReasoningDelta:
        if (!object.value("delta"_L1).isString()) {
            fail(error, event.type + " delta is not a string"_L1);
            return std::nullopt;
        }
        event.delta = object.value("delta"_L1).toString();
        break;
    case ResponsesEvent::Kind::Created:
    case ResponsesEvent::Kind::InProgress:
    case ResponsesEvent::Kind::Completed:
    case ResponsesEvent::Kind::Failed:
    case ResponsesEvent::Kind::Incomplete: {
        if (!object.value("response"_L1).isObject()) {
            fail(error, event.type + " has no response object"_L1);
            return std::nullopt;
        }
        event.response
            = responsesResponseFromObject(object.value("response"_L1).toObject(), "event response"_L1, error);
        if (!event.response)
            return std::nullopt;
        break;
    }
    case ResponsesEvent::Kind::Error:
        // {"type":"error","code","message","param"}, or a nested / flat error body.
        event.error = parseErrorBody(data);
        break;
    case ResponsesEvent::Kind::Other: break;
    }
    return event;
}

} // namespace gp
