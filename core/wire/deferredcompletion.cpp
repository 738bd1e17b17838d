#include "core/wire/deferredcompletion.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

constexpr qsizetype MaxRequestIdLength = 200;

bool isIdCharacter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-'
        || c == u'_';
}

} // namespace

std::optional<QString> parseDeferredRequestId(const QByteArray &body, QString *error)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    const QJsonValue id = document.object().value("request_id"_L1);
    QString reason;
    if (!document.isObject())
        reason = parseStreamError(body)
            ? u"deferred submission carries an error: "_s + parseStreamError(body)->message
            : u"deferred submission answer is not a JSON object"_s;
    else if (!id.isString() || id.toString().isEmpty())
        reason = parseStreamError(body)
            ? u"deferred submission carries an error: "_s + parseStreamError(body)->message
            : u"deferred submission answer has no request_id"_s;
    else if (const QString text = id.toString();
             text.size() > MaxRequestIdLength || !std::all_of(text.cbegin(), text.cend(), isIdCharacter))
        reason = u"deferred request_id has unexpected characters or length"_s;
    if (!reason.isEmpty()) {
        if (error)
            *error = reason;
        return std::nullopt;
    }
    return id.toString();
}

DeferredPoll readDeferredPoll(int httpStatus, const QByteArray &body)
{
    DeferredPoll poll;
    if (httpStatus == 202) {
        poll.state = DeferredPoll::State::Pending;
        return poll;
    }
    if (httpStatus == 200) {
        QString reason;
        if (std::optional<ChatResponse> response = parseChatResponse(body, &reason)) {
            poll.state = DeferredPoll::State::Ready;
            poll.response = std::move(*response);
            return poll;
        }
        poll.error = parseErrorBody(reason.toUtf8());
        return poll;
    }
    poll.state = httpStatus == 404 ? DeferredPoll::State::Gone : DeferredPoll::State::Failed;
    poll.error = parseErrorBody(body);
    return poll;
}

} // namespace gp
