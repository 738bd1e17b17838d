#include "core/client/outcome.h"

namespace gp {

QString jobStatusName(JobStatus status)
{
    switch (status) {
    case JobStatus::Succeeded: return QStringLiteral("succeeded");
    case JobStatus::Failed: return QStringLiteral("failed");
    case JobStatus::Cancelled: return QStringLiteral("cancelled");
    case JobStatus::Interrupted: return QStringLiteral("interrupted");
    }
    return QStringLiteral("failed");
}

} // namespace gp
