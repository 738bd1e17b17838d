#pragma once

#include <QCoreApplication>

namespace gp {

// The console's name on this machine: its settings and its journal (JournalConfig::defaultPath)
// live under it, so `grokpulse export` takes the same one to find that journal.
inline void setConsoleIdentity()
{
    QCoreApplication::setApplicationName(QStringLiteral("GrokPulse"));
    QCoreApplication::setOrganizationName(QStringLiteral("GrokPulse"));
}

} // namespace gp
