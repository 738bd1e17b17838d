#include "core/wire/batchinfo.h"

#include "core/wire/errorbody.h"
#include "core/wire/wirenumber.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

constexpr qint64 MaxCount = 9'007'199'254'740'992;

qint64 readCount(const QJsonObject &object, QLatin1StringView key)
{
    const std::optional<qint64> value = jsonInteger(object.value(key));
    return value && *value >= 0 && *value <= MaxCount ? *value : 0;
}

QString boundedText(const QJsonValue &value)
{
    QString text = value.toString().left(200);
    for (QChar &c : text) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = u' ';
    }
    return text;
}

} // namespace

std::optional<BatchInfo> parseBatchInfo(const QByteArray &body, QString *error)
{
    QString reason;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    const QJsonObject object = document.object();
    if (body.trimmed().isEmpty())
        reason = u"batch is empty"_s;
    else if (parseError.error != QJsonParseError::NoError)
        reason
            = u"batch is not JSON: "_s + parseError.errorString() + u" at offset %1"_s.arg(parseError.offset);
    else if (!document.isObject())
        reason = u"batch is not a JSON object"_s;
    else if (!object.contains("batch_id"_L1) && parseStreamError(body))
        reason = u"batch carries an error: "_s + parseStreamError(body)->message;
    else if (!object.value("batch_id"_L1).isString() || object.value("batch_id"_L1).toString().isEmpty())
        reason = u"batch has no batch_id"_s;
    else if (!object.value("state"_L1).isUndefined() && !object.value("state"_L1).isNull()
             && !object.value("state"_L1).isObject())
        reason = u"batch state is not an object"_s;
    if (!reason.isEmpty()) {
        if (error)
            *error = reason;
        return std::nullopt;
    }
    BatchInfo info;
    info.batchId = object.value("batch_id"_L1).toString();
    info.name = boundedText(object.value("name"_L1));
    info.createTime = boundedText(object.value("create_time"_L1));
    info.expireTime = boundedText(object.value("expire_time"_L1));
    info.cancelTime = boundedText(object.value("cancel_time"_L1));
    info.cancelByXaiMessage = boundedText(object.value("cancel_by_xai_message"_L1));
    const QJsonObject state = object.value("state"_L1).toObject();
    info.state.numRequests = readCount(state, "num_requests"_L1);
    info.state.numPending = qMin(info.state.numRequests, readCount(state, "num_pending"_L1));
    info.state.numSuccess = readCount(state, "num_success"_L1);
    info.state.numError = readCount(state, "num_error"_L1);
    info.state.numCancelled = readCount(state, "num_cancelled"_L1);
    return info;
}

} // namespace gp
