#include "tests/app/batchtestsupport.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>

#include <csignal>

using namespace Qt::StringLiterals;

namespace batchtest {

QStringList writeInput(const QString &path, int count, const QString &prefix)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    QStringList ids;
    for (int i = 1; i <= count; ++i) {
        const QString id = u"%1-%2"_s.arg(prefix).arg(i);
        ids << id;
        file.write(
            u"{\"id\":\"%1\",\"prompt\":\"Say something about line %2.\"}\n"_s.arg(id).arg(i).toUtf8());
    }
    return ids;
}

QString writeScenario(const QTemporaryDir &dir, const QString &name, const QJsonObject &extra)
{
    QJsonObject scenario {
        { u"name"_s, name },
        { u"description"_s, u"written by tst_batchcommand"_s },
        { u"headers"_s, u"openai"_s },
        { u"retry_after"_s, u"seconds"_s },
        { u"limits"_s, QJsonObject { { u"requests_per_second"_s, 1000 }, { u"burst"_s, 1000 } } },
        { u"completion"_s, QJsonObject { { u"words"_s, 8 }, { u"chunk_interval_ms"_s, 0 } } }
    };
    for (auto it = extra.begin(); it != extra.end(); ++it)
        scenario.insert(it.key(), it.value());
    const QString path = dir.filePath(name + u".json"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(QJsonDocument(scenario).toJson());
    return path;
}

QList<QJsonObject> readOutput(const QString &path, bool completeLinesOnly)
{
    QFile file(path);
    QList<QJsonObject> lines;
    if (!file.open(QIODevice::ReadOnly))
        return lines;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QJsonDocument document = QJsonDocument::fromJson(line);
        if (document.isObject())
            lines << document.object();
        else if (!line.isEmpty() && !completeLinesOnly)
            lines << QJsonObject { { u"torn"_s, QString::fromUtf8(line) } };
    }
    return lines;
}

QStringList idsOf(const QList<QJsonObject> &lines)
{
    QStringList ids;
    for (const QJsonObject &line : lines)
        ids << line.value("custom_id"_L1).toString();
    ids.sort();
    return ids;
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

QProcessEnvironment environment(const QString &key)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"XAI_API_KEY"_s);
    env.remove(u"GROKPULSE_BASE_URL"_s);
    if (!key.isEmpty())
        env.insert(u"XAI_API_KEY"_s, key);
    return env;
}

void startBatch(QProcess *process, const QStringList &arguments, const QProcessEnvironment &env)
{
    process->setProcessEnvironment(env);
    process->start(QStringLiteral(GROKPULSE_BIN), QStringList { u"batch"_s } + arguments);
}

Run runBatch(const QStringList &arguments, const QProcessEnvironment &env, int timeoutMs)
{
    QProcess process;
    startBatch(&process, arguments, env);
    Run run;
    if (!process.waitForFinished(timeoutMs) || process.exitStatus() != QProcess::NormalExit)
        return run;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

// Starts `grokpulse sim` and returns its base URL (".../v1") from the first line it prints.
QString startSim(QProcess *sim, const QStringList &arguments, const QProcessEnvironment &env)
{
    sim->setProcessEnvironment(env);
    sim->start(QStringLiteral(GROKPULSE_BIN), QStringList { u"sim"_s, u"--port"_s, u"0"_s } + arguments);
    QByteArray first;
    while (!first.contains('\n') && sim->waitForReadyRead(10000))
        first += sim->readAllStandardOutput();
    const QByteArray line = first.left(first.indexOf('\n')).trimmed();
    if (!line.startsWith("listening on "))
        return {};
    return QString::fromUtf8(line.mid(13)) + u"/v1"_s;
}

QJsonObject simGetJson(const QString &baseUrl, const QString &relative)
{
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(baseUrl + u'/' + relative));
    request.setRawHeader("Authorization", "Bearer test-key-0123456789");
    QNetworkReply *reply = network.get(request);
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished() && !done.wait(5000))
        return {};
    const QJsonObject object = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    return object;
}

QJsonObject simStats(const QString &baseUrl)
{
    QUrl url(baseUrl);
    url.setPath(QString());
    return simGetJson(url.toString(QUrl::StripTrailingSlash), u"sim/stats"_s);
}

bool sendSignal(QProcess *process, int signalNumber)
{
    const qint64 pid = process->processId();
    if (process->state() != QProcess::Running || pid <= 0)
        return false;
    return ::kill(pid_t(pid), signalNumber) == 0;
}

void stopProcess(QProcess *process)
{
    if (process->state() == QProcess::NotRunning)
        return;
    process->terminate();
    if (!process->waitForFinished(5000))
        process->kill();
    process->waitForFinished(5000);
}

} // namespace batchtest

#include <QTcpServer>

#include <cerrno>
#include <cstring>
#include <sys/mount.h>
#include <unistd.h>

namespace batchtest {

Run runBatchWithStdin(const QStringList &arguments, const QProcessEnvironment &env, const QByteArray &input,
                      int timeoutMs)
{
    QProcess process;
    startBatch(&process, arguments, env);
    Run run;
    if (!process.waitForStarted(5000))
        return run;
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs) || process.exitStatus() != QProcess::NormalExit)
        return run;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

std::optional<QSet<QString>> journalSucceeded(const QString &journalPath)
{
    QProcess sqlite;
    sqlite.start(u"sqlite3"_s,
                 { u"-readonly"_s, journalPath,
                   u"SELECT DISTINCT custom_id FROM requests WHERE outcome = 'succeeded';"_s });
    if (!sqlite.waitForFinished(10000) || sqlite.exitCode() != 0)
        return std::nullopt;
    QSet<QString> ids;
    for (const QByteArray &line : sqlite.readAllStandardOutput().split('\n')) {
        if (!line.trimmed().isEmpty())
            ids.insert(QString::fromUtf8(line.trimmed()));
    }
    return ids;
}

SmallTmpfs::SmallTmpfs(const QString &size)
{
    if (::geteuid() != 0) {
        m_reason = u"needs root to mount a small tmpfs (a real full filesystem); not root"_s;
        return;
    }
    const QByteArray options = "size=" + size.toLatin1();
    if (::mount("tmpfs", QFile::encodeName(m_dir.path()).constData(), "tmpfs", 0, options.constData()) != 0) {
        m_reason
            = u"cannot mount a tmpfs on %1: %2"_s.arg(m_dir.path(), QString::fromLocal8Bit(strerror(errno)));
        return;
    }
    m_mounted = true;
}

SmallTmpfs::~SmallTmpfs()
{
    if (m_mounted)
        ::umount2(QFile::encodeName(m_dir.path()).constData(), MNT_DETACH);
}

QString SmallTmpfs::filePath(const QString &name) const
{
    return m_dir.filePath(name);
}

bool SmallTmpfs::resize(const QString &size)
{
    const QByteArray options = "size=" + size.toLatin1();
    return ::mount("tmpfs", QFile::encodeName(m_dir.path()).constData(), "tmpfs", MS_REMOUNT,
                   options.constData())
        == 0;
}

qint64 SmallTmpfs::fill()
{
    QFile filler(m_dir.filePath(u"filler"_s));
    if (!filler.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered))
        return 0;
    const QByteArray block(4096, 'f');
    qint64 total = 0;
    for (;;) {
        const qint64 n = filler.write(block);
        if (n <= 0)
            break;
        total += n;
    }
    return total;
}

} // namespace batchtest
