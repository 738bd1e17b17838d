// libFuzzer driver: one executable per target, chosen by GP_FUZZ_TARGET_NAME at compile time.
#include "tests/fuzz/fuzzentries.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const gp::fuzz::FuzzEntry entry = [] {
        const gp::fuzz::FuzzEntry found = gp::fuzz::findFuzzTarget(GP_FUZZ_TARGET_NAME);
        if (!found) {
            std::fprintf(stderr, "unknown fuzz target %s\n", GP_FUZZ_TARGET_NAME);
            std::abort();
        }
        return found;
    }();
    entry(QByteArrayView(data, qsizetype(size)));
    return 0;
}
