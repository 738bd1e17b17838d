#include "tests/fuzz/fuzzentries.h"

#include "core/wire/usage.h"

#include <cstdio>
#include <cstdlib>

namespace gp::fuzz {

QList<FuzzTarget> fuzzTargets()
{
    return {
        { "sse_decoder", &fuzzSseDecoder },
        { "error_body", &fuzzErrorBody },
        { "chat_response", &fuzzChatResponse },
        { "chat_chunk", &fuzzChatChunk },
        { "chat_request", &fuzzChatRequest },
        { "quota_headers", &fuzzQuotaHeaders },
        { "retry_hint", &fuzzRetryHint },
        { "duration", &fuzzDuration },
        { "http_date", &fuzzHttpDate },
        { "structured_list", &fuzzStructuredList },
        { "responses_stream", &fuzzResponsesStream },
        { "responses_response", &fuzzResponsesResponse },
        { "batch_bodies", &fuzzBatchBodies },
    };
}

FuzzEntry findFuzzTarget(QByteArrayView name)
{
    for (const FuzzTarget &target : fuzzTargets()) {
        if (name == QByteArrayView(target.name))
            return target.entry;
    }
    return nullptr;
}

void checkUsage(const Usage &usage)
{
    GP_FUZZ_CHECK(usage.promptTokens >= 0 && usage.completionTokens >= 0);
    GP_FUZZ_CHECK(usage.reasoningTokens >= 0 && usage.cachedTokens >= 0 && usage.totalTokens >= 0);
    GP_FUZZ_CHECK(usage.cachedTokens <= usage.promptTokens);
    GP_FUZZ_CHECK(!usage.costInUsdTicks || *usage.costInUsdTicks >= 0);
}

void checkFailed(const char *condition, const char *file, int line)
{
    std::fprintf(stderr, "GP_FUZZ_CHECK failed: %s (%s:%d)\n", condition, file, line);
    std::fflush(stderr);
    std::abort();
}

} // namespace gp::fuzz
