#pragma once

#include "core/telemetry/remotework.h"

#include <QFile>
#include <QList>
#include <QString>

#include <optional>

namespace gp {

class Journal;

// Where a --via run records the work it leaves at the server (RemoteWork rows). One home
// per run: the journal when --journal is given (its remote_work table), else OUT.jsonl.via
// beside the output. Each append() is durable before it returns.
class ViaStore
{
public:
    virtual ~ViaStore() = default;
    // --resume: what the last run to this output recorded (empty: nothing).
    virtual std::optional<QList<RemoteWork>> load(QString *error) = 0;
    // A fresh run: forget what an earlier run to this output recorded here.
    virtual bool startFresh(QString *error) = 0;
    virtual bool append(const QList<RemoteWork> &rows, QString *error) = 0;
    virtual QString describe() const = 0; // for messages: the file or the journal
};

// OUT.jsonl.via: one JSON row per line, each one unbuffered write(); a torn last line
// (kill -9 in the middle of a write) is skipped when read.
class ViaFileStore final : public ViaStore
{
public:
    // asHome: the run's record (a file that points to a journal is then refused on resume).
    explicit ViaFileStore(const QString &path, bool asHome = true)
        : m_path(path)
        , m_asHome(asHome)
    { }
    std::optional<QList<RemoteWork>> load(QString *error) override;
    bool startFresh(QString *error) override;
    bool append(const QList<RemoteWork> &rows, QString *error) override;
    QString describe() const override { return m_path; }
    // With a journal, the file only says where the record is (a resume without --journal
    // then refuses instead of sending everything again).
    bool pointTo(const QString &journalPath, QString *error);
    // After load(): the journal the file points to (empty: the file holds the rows itself).
    QString pointsTo() const { return m_pointsTo; }

private:
    bool openForAppend(QIODevice::OpenMode extra, QString *error);

    QString m_path;
    bool m_asHome = true;
    QFile m_file;
    QString m_pointsTo;
};

// The journal's remote_work table (rows committed synchronously through the journal's writer).
class JournalViaStore final : public ViaStore
{
public:
    JournalViaStore(Journal *journal, const QString &journalPath, const QString &outputPath,
                    const QString &stateFilePath);
    // Rows in the journal; when it has none but OUT.jsonl.via does (a first run without
    // --journal), those rows, copied into the journal.
    std::optional<QList<RemoteWork>> load(QString *error) override;
    bool startFresh(QString *error) override;
    bool append(const QList<RemoteWork> &rows, QString *error) override;
    QString describe() const override;

private:
    Journal *m_journal = nullptr;
    QString m_journalPath; // absolute
    QString m_outputPath; // absolute: the rows' key
    ViaFileStore m_file;
};

} // namespace gp
