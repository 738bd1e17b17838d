#pragma once

#include "core/telemetry/journalexporter.h"

#include <QIODevice>
#include <QStringList>
#include <QVariant>

// How JournalExporter writes a value and a row, shared by each kind of row it exports.
namespace gp::exportrow {

QVariant nullIf(bool isNull, const QVariant &value);
QVariant textValue(const QString &text); // through SecretScrubber; empty: null
QVariant timeValue(qint64 ms); // ISO 8601 UTC; negative: null
// The CSV header row (JSONL has none); false when the device refused the bytes.
bool writeHeader(QIODevice &out, JournalExporter::Format format, const QStringList &columns);
bool writeRow(QIODevice &out, JournalExporter::Format format, const QStringList &columns,
              const QVariantList &row);

} // namespace gp::exportrow
