#pragma once

#include "app/batch/batchdriver.h"
#include "app/batch/batchoptions.h"

#include <memory>

namespace gp {

class Client;
class InputReader;
class Journal;
class ResultCommitter;

// The driver --via asks for: BatchRunner (direct), XaiBatchRunner or DeferredRunner. journal:
// the run's journal or nullptr; the --via runners record their remote work in it when given.
std::unique_ptr<BatchDriver> makeBatchDriver(const BatchOptions &options, Client *client, InputReader *reader,
                                             ResultCommitter *results, Journal *journal);

} // namespace gp
