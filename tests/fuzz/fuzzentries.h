#pragma once

#include <QByteArrayView>
#include <QList>

namespace gp {
struct Usage;
}

namespace gp::fuzz {

// One fuzz entry: takes any bytes, must never crash, and checks the parser's contract
// with GP_FUZZ_CHECK. The libFuzzer executables and the replay test call the same
// functions, so every crash found by fuzzing reproduces in the normal test suite.
using FuzzEntry = void (*)(QByteArrayView data);

struct FuzzTarget
{
    const char *name; // the folder under tests/fuzz/corpus and tests/fuzz/regressions
    FuzzEntry entry;
};

QList<FuzzTarget> fuzzTargets();
FuzzEntry findFuzzTarget(QByteArrayView name); // nullptr when unknown

void fuzzSseDecoder(QByteArrayView data);
void fuzzErrorBody(QByteArrayView data);
void fuzzChatResponse(QByteArrayView data);
void fuzzChatChunk(QByteArrayView data);
void fuzzChatRequest(QByteArrayView data);
void fuzzQuotaHeaders(QByteArrayView data);
void fuzzRetryHint(QByteArrayView data);
void fuzzDuration(QByteArrayView data);
void fuzzHttpDate(QByteArrayView data);
void fuzzStructuredList(QByteArrayView data);
void fuzzResponsesStream(QByteArrayView data);
void fuzzResponsesResponse(QByteArrayView data);
void fuzzBatchBodies(QByteArrayView data);

// usage.h's contract, whichever API the counts came from: no negative count, cached tokens
// within the prompt, no negative cost.
void checkUsage(const Usage &usage);

// Prints the broken contract and aborts, which libFuzzer records as a crash.
[[noreturn]] void checkFailed(const char *condition, const char *file, int line);

} // namespace gp::fuzz

// A contract check that stays on in release builds (unlike Q_ASSERT).
#define GP_FUZZ_CHECK(condition)                                                                             \
    ((condition) ? void() : ::gp::fuzz::checkFailed(#condition, __FILE__, __LINE__))
