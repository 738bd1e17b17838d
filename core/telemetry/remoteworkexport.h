#pragma once

#include "core/telemetry/journalreader.h"

#include <QList>
#include <QStringList>
#include <QVariantList>

#include <optional>

// The remote_work rows as JournalExporter writes them (What::Remote).
namespace gp::remoteworkexport {

QStringList columns();
// One page of rows; returns how many the journal gave, or nullopt with *error.
std::optional<qsizetype> page(const JournalReader &reader, const RemoteWorkQuery &query,
                              QList<QVariantList> *page, QString *error);

} // namespace gp::remoteworkexport
