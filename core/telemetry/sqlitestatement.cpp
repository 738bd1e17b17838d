#include "core/telemetry/sqlitestatement.h"

#include <sqlite3.h>

namespace gp {

SqliteStatement::~SqliteStatement()
{
    finalize();
}

bool SqliteStatement::prepare(sqlite3 *db, const QString &sql, QString *error)
{
    finalize();
    m_db = db;
    const QByteArray utf8 = sql.toUtf8();
    if (db && sqlite3_prepare_v2(db, utf8.constData(), int(utf8.size()), &m_stmt, nullptr) == SQLITE_OK)
        return true;
    if (error)
        *error = db ? QString::fromUtf8(sqlite3_errmsg(db)) : QStringLiteral("no SQLite handle");
    m_stmt = nullptr;
    return false;
}

void SqliteStatement::finalize()
{
    if (m_stmt)
        sqlite3_finalize(m_stmt);
    m_stmt = nullptr;
}

void SqliteStatement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
}

void SqliteStatement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
}

void SqliteStatement::bind(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
}

void SqliteStatement::bind(int index, const std::optional<qint64> &value)
{
    if (value)
        bind(index, *value);
    else
        bindNull(index);
}

void SqliteStatement::bind(int index, const std::optional<double> &value)
{
    if (value)
        bind(index, *value);
    else
        bindNull(index);
}

void SqliteStatement::bindText(int index, const QString &text, bool emptyIsNull)
{
    if (text.isEmpty()) {
        if (emptyIsNull)
            bindNull(index);
        else
            sqlite3_bind_text(m_stmt, index, "", 0, SQLITE_STATIC);
        return;
    }
    // UTF-16 in host order, copied by SQLite (the QString may be a temporary).
    sqlite3_bind_text16(m_stmt, index, text.utf16(), int(text.size() * 2), SQLITE_TRANSIENT);
}

bool SqliteStatement::exec(QString *error)
{
    if (!m_stmt) {
        if (error)
            *error = QStringLiteral("statement not prepared");
        return false;
    }
    int rc = SQLITE_ROW;
    while (rc == SQLITE_ROW)
        rc = sqlite3_step(m_stmt);
    const bool ok = rc == SQLITE_DONE;
    if (!ok && error)
        *error = QString::fromUtf8(sqlite3_errmsg(m_db));
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    return ok;
}

} // namespace gp
