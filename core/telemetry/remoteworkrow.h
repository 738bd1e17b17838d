#pragma once

#include "core/telemetry/remotework.h"

#include <QString>

class QSqlQuery;

namespace gp {

// The remote_work columns in the order remoteWorkFromRow() reads them: the one mapping of that
// table's rows, for RemoteWorkReader and JournalReader::remoteWork.
QString remoteWorkColumns();
RemoteWork remoteWorkFromRow(const QSqlQuery &q);

} // namespace gp
