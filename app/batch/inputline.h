#pragma once

#include "core/wire/chatrequest.h"

#include <QString>

namespace gp {

// One parsed line of a batch input file: a request to send, or an input error that
// becomes a failed output line without stopping the run.
struct InputLine
{
    qint64 lineNumber = 0; // 1-based
    QString customId; // the line's id, or "line-N" when it has no usable one
    bool valid = false;
    ChatRequest request; // when valid
    QString error; // when invalid: one sentence, no line number

    static QString syntheticId(qint64 lineNumber);
};

} // namespace gp
