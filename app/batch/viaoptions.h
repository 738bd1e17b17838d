#pragma once

#include "app/batch/batchoptions.h"

class QCommandLineParser;

namespace gp {

// --via, --poll-interval, --batch-chunk-bytes and --exact-tokens; false and *error on a bad value.
bool readViaOptions(const QCommandLineParser &parser, BatchOptions *options, QString *error);
QString viaName(BatchOptions::Via via); // "direct", "xai-batch", "deferred"

} // namespace gp
