#pragma once

#include <QString>

#include <optional>

namespace gp {

// Scheduling priority: interactive > normal > background (the Scheduler's queue order, with aging).
enum class Priority { Interactive = 0, Normal = 1, Background = 2 };
inline constexpr int PriorityCount = 3;

QString priorityName(Priority priority); // "interactive", "normal", "background"
std::optional<Priority> priorityFromName(const QString &name);

} // namespace gp
