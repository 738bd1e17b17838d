#include "core/telemetry/journal.h"

#include "core/telemetry/runid.h"

#include <QDir>
#include <QMetaObject>
#include <QStandardPaths>

namespace gp {

QString JournalConfig::defaultPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return QDir(dir.isEmpty() ? QDir::homePath() : dir).filePath(QStringLiteral("journal.sqlite"));
}

Journal::Journal(QObject *parent)
    : QObject(parent)
{ }

Journal::~Journal()
{
    close();
}

bool Journal::open(const JournalConfig &config, QString *error)
{
    close();
    m_config = config;
    if (m_config.path.isEmpty())
        m_config.path = JournalConfig::defaultPath();
    m_runId = nextRunId();
    auto *writer = new JournalWriter(m_config, m_runId);
    writer->moveToThread(&m_thread);
    connect(writer, &JournalWriter::warning, this, &Journal::warning);
    connect(writer, &JournalWriter::writeFailed, this, &Journal::writeFailed);
    m_thread.setObjectName(QStringLiteral("gp-journal"));
    m_thread.start(QThread::LowPriority);
    JournalDatabase::Opened opened;
    QMetaObject::invokeMethod(
        writer, [writer, &opened] { opened = writer->open(); }, Qt::BlockingQueuedConnection);
    if (!opened.ok) {
        QMetaObject::invokeMethod(
            writer, [writer] { delete writer; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
        if (error)
            *error = opened.error;
        return false;
    }
    m_writer = writer;
    return true;
}

void Journal::append(const Event &event)
{
    if (m_writer)
        m_writer->enqueue(event);
}

bool Journal::flush(QString *error)
{
    if (!m_writer) {
        if (error)
            *error = QStringLiteral("the journal is not open");
        return false;
    }
    bool ok = false;
    QString failure;
    JournalWriter *writer = m_writer;
    QMetaObject::invokeMethod(
        writer, [writer, &ok, &failure] { ok = writer->flush(&failure); }, Qt::BlockingQueuedConnection);
    if (error)
        *error = failure;
    return ok;
}

JournalRotation Journal::rotate(qint64 nowMs)
{
    JournalRotation result { false, 0, 0, QStringLiteral("the journal is not open") };
    if (JournalWriter *writer = m_writer) {
        QMetaObject::invokeMethod(
            writer, [writer, nowMs, &result] { result = writer->rotate(nowMs); },
            Qt::BlockingQueuedConnection);
    }
    return result;
}

bool Journal::recordRemoteWork(const QList<RemoteWork> &rows, QString *error)
{
    bool ok = false;
    QString failure = QStringLiteral("the journal is not open");
    if (JournalWriter *writer = m_writer) {
        QMetaObject::invokeMethod(
            writer, [writer, &rows, &ok, &failure] { ok = writer->writeRemoteWork(rows, &failure); },
            Qt::BlockingQueuedConnection);
    }
    if (!ok && error)
        *error = failure;
    return ok;
}

quint64 Journal::droppedCount() const
{
    return m_writer ? m_writer->droppedCount() : 0;
}

void Journal::close()
{
    if (!m_writer)
        return;
    JournalWriter *writer = m_writer;
    m_writer = nullptr;
    // close() flushes what is queued; the writer is destroyed on its own thread.
    QMetaObject::invokeMethod(
        writer, [writer] { delete writer; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

} // namespace gp
