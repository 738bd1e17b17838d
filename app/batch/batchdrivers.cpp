#include "app/batch/batchdrivers.h"

#include "app/batch/batchrunner.h"
#include "app/batch/deferredrunner.h"
#include "app/batch/xaibatchrunner.h"

namespace gp {

std::unique_ptr<BatchDriver> makeBatchDriver(const BatchOptions &options, Client *client, InputReader *reader,
                                             ResultCommitter *results, Journal *journal)
{
    switch (options.via) {
    case BatchOptions::Via::XaiBatch:
        return std::make_unique<XaiBatchRunner>(options, client, reader, results, journal);
    case BatchOptions::Via::Deferred:
        return std::make_unique<DeferredRunner>(options, client, reader, results, journal);
    case BatchOptions::Via::Direct: break;
    }
    return std::make_unique<BatchRunner>(options, client, reader, results);
}

} // namespace gp
