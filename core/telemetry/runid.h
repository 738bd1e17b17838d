#pragma once

#include <QtGlobal>

namespace gp {

// A run's id: the journal's key for one process's run (events, requests, remote work).
// Milliseconds since the epoch times 1000 plus the process id modulo 1000, so ids sort by
// start time, two processes that open one journal in the same millisecond get different ids,
// and one process never hands out the same id twice (a later id moves on by 1000).
qint64 nextRunId();

// The same rule from given parts, for tests.
qint64 runIdFrom(qint64 epochMs, qint64 processId, qint64 lastIssued);

} // namespace gp
