#pragma once

#include "app/batch/batchdriver.h"
#include "app/batch/batchoptions.h"

#include <memory>

namespace gp {

class Client;
class InputReader;
class ResultCommitter;

// The driver --via asks for: BatchRunner (direct), XaiBatchRunner or DeferredRunner.
std::unique_ptr<BatchDriver> makeBatchDriver(const BatchOptions &options, Client *client, InputReader *reader,
                                             ResultCommitter *results);

} // namespace gp
