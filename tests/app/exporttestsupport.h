#pragma once

// Helpers for the `grokpulse export` tests: the subprocess, and its CSV and JSONL read back.
#include "batchtestsupport.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QStringList>

namespace exporttest {

// The documented header of `export --what remote`.
QStringList remoteHeader();

using Row = QMap<QString, QString>; // column -> value ('' for null)

// RFC 4180: CRLF rows, quoted fields with doubled quotes.
QList<QStringList> parseCsv(const QByteArray &bytes);
QList<Row> csvRows(const QByteArray &bytes); // the first row names the columns
QList<Row> jsonlRows(const QByteArray &bytes); // numbers as integers, null as ''
QString isoTime(qint64 ms); // 2026-12-01T19:11:43.361Z

// `grokpulse export ARGS`; stdout to stdoutFile when given. exitCode -1: it crashed or hung.
batchtest::Run runExport(const QStringList &arguments, const QString &stdoutFile = {});

} // namespace exporttest
