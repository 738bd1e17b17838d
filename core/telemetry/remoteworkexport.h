#pragma once

#include "core/telemetry/journalexporter.h"
#include "core/telemetry/journalreader.h"

#include <QIODevice>

#include <QStringList>

#include <optional>

// The remote_work rows as JournalExporter writes them (What::Remote).
namespace gp::remoteworkexport {

QStringList columns();
// Every row the query picks, after the header; rows written, or nullopt with *error.
std::optional<qint64> write(const JournalReader &reader, const RemoteWorkQuery &query,
                            JournalExporter::Format format, QIODevice &out, QString *error);

} // namespace gp::remoteworkexport
