#include "core/wire/tokenizetext.h"

#include "core/wire/errorbody.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace gp {

QByteArray TokenizeText::requestBody(const QString &model, const QString &text)
{
    return QJsonDocument(QJsonObject { { "model"_L1, model }, { "text"_L1, text } })
        .toJson(QJsonDocument::Compact);
}

std::optional<qint64> TokenizeText::parseTokenCount(const QByteArray &body, QString *error)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    const QJsonValue tokens = document.object().value("token_ids"_L1);
    if (tokens.isArray())
        return tokens.toArray().size();
    if (error) {
        const std::optional<ErrorBody> serverError = parseStreamError(body);
        *error = serverError ? u"tokenize answer carries an error: "_s + serverError->message
                             : u"tokenize answer has no token_ids array"_s;
    }
    return std::nullopt;
}

} // namespace gp
