#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace gp {

// POST /v1/tokenize-text: {"model", "text"} -> {"token_ids": [{"token_id", "string_token",
// "token_bytes"}, ...]}, the exact token count of a prompt for a model.
struct TokenizeText
{
    static QByteArray requestBody(const QString &model, const QString &text);
    // The number of tokens; nullopt and a one-line *error (may be null) when the answer is
    // not a JSON object with a token_ids array, or carries an error.
    static std::optional<qint64> parseTokenCount(const QByteArray &body, QString *error);
};

} // namespace gp
