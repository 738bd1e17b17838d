#include "app/batch/batchpaths.h"

#include "app/batch/inputreader.h"

#include <QDir>
#include <QFileInfo>

#include <sys/stat.h>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

struct NamedPath
{
    QString option; // "--output"
    QString path;
};

QString checkWritable(const NamedPath &named)
{
    const QFileInfo info(named.path);
    if (info.isDir())
        return u"%1 %2 is a directory"_s.arg(named.option, named.path);
    const QFileInfo dir(info.absolutePath());
    if (!dir.isDir())
        return u"%1 %2: the directory %3 does not exist"_s.arg(named.option, named.path, dir.filePath());
    if (info.exists() ? !info.isWritable() : !dir.isWritable())
        return u"%1 %2 is not writable"_s.arg(named.option, named.path);
    return {};
}

} // namespace

bool BatchPaths::sameFile(const QString &a, const QString &b)
{
    struct stat sa = {};
    struct stat sb = {};
    if (::stat(QFile::encodeName(a).constData(), &sa) == 0
        && ::stat(QFile::encodeName(b).constData(), &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    // Not both there yet: the same name after resolving the directories' symlinks.
    const auto resolved = [](const QString &path) {
        const QFileInfo info(path);
        const QString dir = QFileInfo(info.absolutePath()).canonicalFilePath();
        return QDir::cleanPath((dir.isEmpty() ? info.absolutePath() : dir) + u'/' + info.fileName());
    };
    return resolved(a) == resolved(b);
}

QString BatchPaths::check(const BatchOptions &options)
{
    if (!InputReader::isStandardInput(options.inputPath)) {
        const QFileInfo input(options.inputPath);
        if (!input.exists() || !input.isReadable())
            return u"cannot read input file %1"_s.arg(options.inputPath);
        if (input.isDir())
            return u"cannot read input %1: it is a directory"_s.arg(options.inputPath);
    }
    QList<NamedPath> written { { u"--output"_s, options.outputPath } };
    if (!options.journalPath.isEmpty())
        written.append({ u"--journal"_s, options.journalPath });
    if (!options.summaryPath.isEmpty())
        written.append({ u"--summary"_s, options.summaryPath });
    for (const NamedPath &named : std::as_const(written)) {
        if (const QString problem = checkWritable(named); !problem.isEmpty())
            return problem;
    }
    QList<NamedPath> all = written;
    if (!InputReader::isStandardInput(options.inputPath))
        all.prepend({ u"--input"_s, options.inputPath });
    for (qsizetype i = 0; i < all.size(); ++i) {
        for (qsizetype j = i + 1; j < all.size(); ++j) {
            if (sameFile(all[i].path, all[j].path))
                return u"%1 and %2 name the same file (%3): refusing, it would be overwritten"_s.arg(
                    all[i].option, all[j].option, all[j].path);
        }
    }
    return {};
}

} // namespace gp
