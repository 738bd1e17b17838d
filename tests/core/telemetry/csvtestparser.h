#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// A strict RFC 4180 reader for tests: quoted fields, doubled quotes, CRLF records.
// Returns false on anything malformed (bare LF record ends, stray quotes).
inline bool parseCsv(const QString &text, QList<QStringList> &rows)
{
    rows.clear();
    QStringList row;
    QString field;
    bool quoted = false;
    bool wasQuoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text[i + 1] == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            if (!field.isEmpty() || wasQuoted)
                return false;
            quoted = wasQuoted = true;
        } else if (c == u',') {
            row << field;
            field.clear();
            wasQuoted = false;
        } else if (c == u'\r' && i + 1 < text.size() && text[i + 1] == u'\n') {
            row << field;
            rows << row;
            row.clear();
            field.clear();
            wasQuoted = false;
            ++i;
        } else if (c == u'\r' || c == u'\n') {
            return false;
        } else {
            if (wasQuoted)
                return false;
            field += c;
        }
    }
    return !quoted && row.isEmpty() && field.isEmpty();
}
