#pragma once

#include "core/client/attemptresult.h"
#include "core/policy/classifier.h"
#include "core/wire/quotasnapshot.h"
#include "core/wire/retryhint.h"

#include <QByteArray>
#include <QString>

namespace gp {

// What one attempt's end means: its classification and what the server told us.
struct Judgement
{
    Classification classification;
    ErrorBody body;
    QuotaSnapshot quota;
    RetryHint hint;
};

// Glue between the wire parsers and the policy table; no state, no I/O.
class AttemptJudge final
{
public:
    static Judgement judge(const AttemptResult &result, qint64 nowEpochMs, qint64 requestTokens = 0);
    // A non-stream chat.completion JSON for an assembled stream, so outcomes look alike.
    static QByteArray synthesizeBody(const ChatResponse &response);
    // Names the cause and the key's source, never the key.
    static QString authMessage(const Classification &classification, const QString &keySource,
                               bool keyIsEmpty);
    // Removes any occurrence of the secret (servers sometimes echo part of a bad key).
    static QString redact(QString text, const QString &secret);
};

} // namespace gp
