#pragma once

#include <QSet>
#include <QString>

#include <optional>

namespace gp {

// What an earlier run of the same batch already finished, for --resume.
class ResumeState final
{
public:
    // Rewrites OUT.jsonl keeping only the first succeeded line of each id (failed,
    // cancelled and torn lines go: those ids run again), atomically via a temporary
    // file. A missing file is an empty start. Returns the kept ids.
    static std::optional<QSet<QString>> compactOutput(const QString &path, QString *error);
    // Custom ids the journal records as succeeded in any run.
    static std::optional<QSet<QString>> journalSucceeded(const QString &path, QString *error);
};

} // namespace gp
