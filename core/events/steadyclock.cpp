#include "core/events/steadyclock.h"

#include <QDeadlineTimer>

namespace gp {

qint64 SteadyClock::nowMs()
{
    return QDeadlineTimer::current(Qt::PreciseTimer).deadline();
}

} // namespace gp
