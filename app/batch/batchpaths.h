#pragma once

#include "app/batch/batchoptions.h"

#include <QString>

namespace gp {

// Checks the files a batch run names before anything is opened for writing: the input
// exists; output, journal and summary can be created where they are; and no two of
// them are the same file (by path, symlink or hard link), so a run can never truncate
// its own input or journal. Returns one sentence, empty when all is well.
class BatchPaths final
{
public:
    static QString check(const BatchOptions &options);
    static bool sameFile(const QString &a, const QString &b);
};

} // namespace gp
