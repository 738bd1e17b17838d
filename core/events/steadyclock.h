#pragma once

#include <QtGlobal>

namespace gp {

// The one steady clock of the engine: milliseconds on the monotonic base QDeadlineTimer,
// QElapsedTimer and QTimer use. Pace tickets, deadlines, PacingState::nextResetMs and the
// batch's give-up rule are all in these units; wall-clock time is only for events.
class SteadyClock final
{
public:
    static qint64 nowMs();
};

} // namespace gp
