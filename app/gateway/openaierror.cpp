#include "app/gateway/openaierror.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace gp {

QByteArray OpenAiError::toJson() const
{
    const QJsonObject inner {
        { u"message"_s, message }, { u"type"_s, type }, { u"code"_s, code }, { u"param"_s, QJsonValue::Null }
    };
    return QJsonDocument(QJsonObject { { u"error"_s, inner } }).toJson(QJsonDocument::Compact);
}

OpenAiError OpenAiError::fromError(const Error &error)
{
    OpenAiError e;
    e.code = errorClassName(error.errorClass);
    e.message = error.message.isEmpty() ? e.code : error.message;
    switch (error.errorClass) {
    case ErrorClass::RateLimited:
    case ErrorClass::RetryHintTooLong:
    case ErrorClass::QueueFull: e.status = 429, e.type = u"rate_limit_error"_s; break;
    case ErrorClass::CreditsExhausted: e.status = 429, e.type = u"insufficient_quota"_s; break;
    case ErrorClass::BadRequest: e.status = 400, e.type = u"invalid_request_error"_s; break;
    case ErrorClass::RequestTooLarge: e.status = 413, e.type = u"invalid_request_error"_s; break;
    case ErrorClass::NotFound: e.status = 404, e.type = u"invalid_request_error"_s; break;
    case ErrorClass::PermissionDenied: e.status = 403, e.type = u"permission_error"_s; break;
    // The upstream refused the gateway's key: not the client's token, so not a 401.
    case ErrorClass::Authentication: e.status = 502, e.type = u"upstream_authentication_error"_s; break;
    case ErrorClass::Capacity:
    case ErrorClass::CircuitOpen:
    case ErrorClass::RetryBudgetExhausted: e.status = 503, e.type = u"api_error"_s; break;
    case ErrorClass::Timeout:
    case ErrorClass::DeadlineExceeded: e.status = 504, e.type = u"timeout_error"_s; break;
    case ErrorClass::ServerError:
    case ErrorClass::Network:
    case ErrorClass::MalformedResponse:
    case ErrorClass::Tls:
    case ErrorClass::Interrupted: e.status = 502, e.type = u"api_error"_s; break;
    case ErrorClass::Cancelled: e.status = 499, e.type = u"api_error"_s; break;
    case ErrorClass::None:
    case ErrorClass::Internal: e.status = 500, e.type = u"api_error"_s; break;
    }
    return e;
}

bool OpenAiError::passesThrough(const Error &error)
{
    return error.httpStatus >= 400 && error.httpStatus < 500
        && (error.errorClass == ErrorClass::BadRequest || error.errorClass == ErrorClass::NotFound);
}

} // namespace gp
