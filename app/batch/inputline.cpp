#include "app/batch/inputline.h"

namespace gp {

QString InputLine::syntheticId(qint64 lineNumber)
{
    return QStringLiteral("line-%1").arg(lineNumber);
}

} // namespace gp
