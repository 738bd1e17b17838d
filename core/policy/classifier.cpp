#include "core/policy/classifier.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

bool containsAny(const QString &text, std::initializer_list<QLatin1StringView> needles)
{
    for (const auto needle : needles) {
        if (text.contains(needle, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

QString bodyText(const ErrorBody &body)
{
    return body.code + u' ' + body.type + u' ' + body.message;
}

QString withServerMessage(const QString &head, const ErrorBody &body)
{
    if (body.message.isEmpty())
        return head;
    return head + u": " + body.message;
}

Classification make(ErrorClass cls, bool retriable, QString message)
{
    return Classification { cls, retriable, std::move(message), {} };
}

Classification classifyTransport(const ClassifierInput &in)
{
    const QString what = transportErrorName(in.transport).replace(u'_', u' ');
    if (isTimeout(in.transport))
        return make(ErrorClass::Timeout, true, u"timed out: "_s + what);
    if (in.transport == TransportError::Tls)
        return make(ErrorClass::Tls, false, u"TLS failure: certificate or handshake rejected"_s);
    // A 2xx whose body broke off is a truncated success body.
    if (in.httpStatus >= 200 && in.httpStatus < 300 && in.transport == TransportError::ClosedEarly)
        return make(ErrorClass::MalformedResponse, true, u"response body truncated"_s);
    return make(ErrorClass::Network, true, u"network error: "_s + what);
}

Classification classify429(const ErrorBody &body, qint64 requestTokens)
{
    Classification result;
    const QList<StatedLimit> stated = parseStatedLimits(body.message);
    if (messageSaysCreditsExhausted(body))
        result = make(
            ErrorClass::CreditsExhausted, false,
            withServerMessage(u"HTTP 429 credits or free quota exhausted; retrying cannot help"_s, body));
    else if (requestAloneExceedsTokenLimit(stated, requestTokens))
        result = make(
            ErrorClass::RequestTooLarge, false,
            withServerMessage(u"HTTP 429 this request alone exceeds the tokens-per-minute limit"_s, body));
    else if (messageSaysCapacity(body))
        result = make(ErrorClass::Capacity, true, withServerMessage(u"HTTP 429 server at capacity"_s, body));
    else
        result = make(ErrorClass::RateLimited, true, withServerMessage(u"HTTP 429 rate limited"_s, body));
    result.statedLimits = stated;
    return result;
}

Classification classifyStatus(int status, const ErrorBody &body, qint64 requestTokens)
{
    const QString head = u"HTTP "_s + QString::number(status);
    switch (status) {
    case 400:
        if (messageSaysBadApiKey(body))
            return make(ErrorClass::Authentication, false,
                        withServerMessage(head + u" API key rejected", body));
        return make(ErrorClass::BadRequest, false, withServerMessage(head + u" bad request", body));
    case 401:
        return make(ErrorClass::Authentication, false,
                    withServerMessage(head + u" missing or invalid API key", body));
    case 403:
        if (messageSaysCreditsExhausted(body))
            return make(ErrorClass::CreditsExhausted, false,
                        withServerMessage(head + u" credits or spending limit exhausted", body));
        return make(ErrorClass::PermissionDenied, false,
                    withServerMessage(head + u" permission denied", body));
    case 404: return make(ErrorClass::NotFound, false, withServerMessage(head + u" not found", body));
    case 405:
    case 415:
    case 422:
        return make(ErrorClass::BadRequest, false, withServerMessage(head + u" request rejected", body));
    case 413:
        return make(ErrorClass::RequestTooLarge, false,
                    withServerMessage(head + u" request too large", body));
    case 408:
    case 409:
        return make(ErrorClass::ServerError, true, withServerMessage(head + u" transient conflict", body));
    case 429: return classify429(body, requestTokens);
    case 529: return make(ErrorClass::Capacity, true, withServerMessage(head + u" overloaded", body));
    default: break;
    }
    if (status >= 500)
        return make(ErrorClass::ServerError, true, withServerMessage(head + u" server error", body));
    if (status >= 400)
        return make(ErrorClass::BadRequest, false, withServerMessage(head + u" client error", body));
    return make(ErrorClass::MalformedResponse, false, withServerMessage(head + u" unexpected status", body));
}

} // namespace

Classification classifyAttempt(const ClassifierInput &input)
{
    Classification result;
    if (input.transport != TransportError::None) {
        result = classifyTransport(input);
    } else if (input.streamErrorEvent) {
        // An error event after a 200: classify by its body as if it were the status it names.
        const int status = messageSaysCapacity(input.body) ? 529 : 500;
        result
            = (messageSaysCreditsExhausted(input.body)
               || requestAloneExceedsTokenLimit(parseStatedLimits(input.body.message), input.requestTokens))
            ? classify429(input.body, input.requestTokens)
            : classifyStatus(status, input.body, input.requestTokens);
        result.message = withServerMessage(u"error event in stream"_s, input.body);
    } else if (input.httpStatus >= 200 && input.httpStatus < 300) {
        if (!input.malformedSuccess)
            return result;
        result = make(ErrorClass::MalformedResponse, true, u"malformed success body"_s);
    } else {
        result = classifyStatus(input.httpStatus, input.body, input.requestTokens);
    }
    // The server knows best whether this particular failure is worth repeating.
    if (input.shouldRetry.has_value() && result.errorClass != ErrorClass::Tls)
        result.retriable = *input.shouldRetry;
    return result;
}

bool estimateExceedsTokenLimit(qint64 estimate, qint64 limit)
{
    return estimate > 0 && limit > 0 && double(estimate) > double(limit) * (1.0 + TokenEstimateMargin);
}

bool requestAloneExceedsTokenLimit(const QList<StatedLimit> &limits, qint64 requestTokens)
{
    for (const StatedLimit &stated : limits) {
        if (stated.unit != StatedLimit::Unit::Tokens)
            continue;
        if (estimateExceedsTokenLimit(requestTokens, stated.limit))
            return true;
        // The server's own count of this request (OpenAI's "Requested").
        if (stated.requested > stated.limit)
            return true;
        // The window held only this request: its count is ours, give or take the estimate's error.
        const bool onlyThisRequest = requestTokens > 0 && stated.actual > 0
            && std::abs(double(stated.actual - requestTokens)) <= TokenEstimateMargin * double(requestTokens);
        if (onlyThisRequest && stated.actual > stated.limit)
            return true;
    }
    return false;
}

bool messageSaysCreditsExhausted(const ErrorBody &body)
{
    return containsAny(bodyText(body),
                       { QLatin1StringView("credits"), QLatin1StringView("spending limit"),
                         QLatin1StringView("insufficient_quota"), QLatin1StringView("billing"),
                         QLatin1StringView("free usage quota"),
                         // xAI's free tier: a rolling 24-hour token allowance, not a rate.
                         QLatin1StringView("free-usage-exhausted"), QLatin1StringView("included free usage"),
                         QLatin1StringView("exceeded your current quota") });
}

bool messageSaysCapacity(const ErrorBody &body)
{
    return containsAny(bodyText(body), { QLatin1StringView("capacity"), QLatin1StringView("overloaded") });
}

bool messageSaysBadApiKey(const ErrorBody &body)
{
    return containsAny(bodyText(body),
                       { QLatin1StringView("incorrect api key"), QLatin1StringView("invalid api key"),
                         QLatin1StringView("invalid_api_key") });
}

} // namespace gp
