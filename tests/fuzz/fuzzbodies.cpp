// JSON bodies: error bodies, completions, stream chunks and chat requests.
#include "tests/fuzz/fuzzentries.h"

#include "core/wire/chatrequest.h"
#include "core/wire/chatresponse.h"
#include "core/wire/errorbody.h"

#include <QJsonDocument>

namespace gp::fuzz {

namespace {

bool isOneLine(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t u = text.at(i).unicode();
        if (u < 0x20 || u == 0x7f || u == 0x85 || u == 0x2028 || u == 0x2029)
            return false;
        if (text.at(i).isHighSurrogate() && (i + 1 == text.size() || !text.at(i + 1).isLowSurrogate()))
            return false;
        if (text.at(i).isLowSurrogate() && (i == 0 || !text.at(i - 1).isHighSurrogate()))
            return false;
    }
    return !text.startsWith(u' ') && !text.endsWith(u' ');
}

// errorbody.h: message never empty, single line, bounded; code/type/param the same.
void checkErrorBody(const ErrorBody &body, qsizetype max)
{
    GP_FUZZ_CHECK(!body.message.isEmpty());
    for (const QString *text : { &body.message, &body.code, &body.type, &body.param }) {
        GP_FUZZ_CHECK(text->size() <= max);
        GP_FUZZ_CHECK(isOneLine(*text));
    }
}

void checkFailure(bool parsed, const QString &error)
{
    if (!parsed)
        GP_FUZZ_CHECK(!error.isEmpty() && !error.contains(u'\n') && !error.contains(u'\r'));
}

} // namespace

void fuzzErrorBody(QByteArrayView data)
{
    const QByteArray body = data.toByteArray();
    checkErrorBody(parseErrorBody(body), DefaultMaxErrorMessageLength);
    const int small = 1 + int(data.size() % 40); // short limits reach the cutting paths
    checkErrorBody(parseErrorBody(body, small), small);
    if (const std::optional<ErrorBody> streamError = parseStreamError(body))
        checkErrorBody(*streamError, DefaultMaxErrorMessageLength);
}

void fuzzChatResponse(QByteArrayView data)
{
    const QByteArray body = data.toByteArray();
    QString error;
    const std::optional<ChatResponse> response = parseChatResponse(body, &error);
    checkFailure(response.has_value(), error);
    GP_FUZZ_CHECK(parseChatResponse(body, nullptr).has_value() == response.has_value());
    if (!response)
        return;
    GP_FUZZ_CHECK(!response->choices.isEmpty());
    for (const ChatChoice &choice : response->choices)
        GP_FUZZ_CHECK(choice.index >= 0);
    checkUsage(response->usage);
}

void fuzzChatChunk(QByteArrayView data)
{
    const QByteArray payload = data.toByteArray();
    QString error;
    const std::optional<ChatChunk> chunk = parseChatChunk(payload, &error);
    checkFailure(chunk.has_value(), error);
    GP_FUZZ_CHECK(parseChatChunk(payload, nullptr).has_value() == chunk.has_value());
    if (chunk && chunk->usage)
        checkUsage(*chunk->usage);
}

// A request read back must serialise to JSON that reads back to the same JSON.
void fuzzChatRequest(QByteArrayView data)
{
    const QJsonDocument document = QJsonDocument::fromJson(data.toByteArray());
    if (!document.isObject())
        return;
    QString error;
    const std::optional<ChatRequest> request = ChatRequest::fromJsonObject(document.object(), &error);
    checkFailure(request.has_value(), error);
    GP_FUZZ_CHECK(ChatRequest::fromJsonObject(document.object(), nullptr).has_value() == request.has_value());
    if (!request)
        return;
    GP_FUZZ_CHECK(!request->messages.isEmpty());
    GP_FUZZ_CHECK(request->estimatePromptTokens() >= 3 + 4 * request->messages.size());
    const QJsonObject written = request->toJsonObject();
    const std::optional<ChatRequest> again = ChatRequest::fromJsonObject(written, &error);
    GP_FUZZ_CHECK(again.has_value());
    GP_FUZZ_CHECK(again->toJsonObject() == written);
    const QJsonDocument reread = QJsonDocument::fromJson(request->toJson());
    GP_FUZZ_CHECK(reread.isObject());
    GP_FUZZ_CHECK(ChatRequest::fromJsonObject(reread.object(), nullptr).has_value());
}

} // namespace gp::fuzz
