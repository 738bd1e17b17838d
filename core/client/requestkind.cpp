#include "core/client/requestkind.h"

#include "core/client/attemptresult.h"
#include "core/client/responsesreader.h"
#include "core/wire/deferredcompletion.h"

using namespace Qt::StringLiterals;

namespace gp {

QString requestKindPath(RequestKind kind)
{
    return kind == RequestKind::Responses ? u"responses"_s : u"chat/completions"_s;
}

void readKindBody(RequestKind kind, AttemptResult &result)
{
    if (kind == RequestKind::Responses) {
        ResponsesReader::readPlainBody(result);
        return;
    }
    QString error;
    const std::optional<QString> id = parseDeferredRequestId(result.body, &error);
    if (!id) {
        result.malformed = true;
        result.malformedReason = error;
        return;
    }
    result.response = ChatResponse {};
    result.response.id = *id;
}

} // namespace gp
