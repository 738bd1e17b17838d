#include "core/wire/apiurl.h"

#include <QStringList>

namespace gp {

namespace {

bool sharesSegments(const QStringList &base, const QStringList &path, qsizetype count)
{
    for (qsizetype i = 0; i < count; ++i) {
        if (base.at(base.size() - count + i) != path.at(i))
            return false;
    }
    return true;
}

} // namespace

QUrl joinApiUrl(const QUrl &base, const QString &path)
{
    const QStringList baseSegments = base.path().split(u'/', Qt::SkipEmptyParts);
    QString pathOnly = path;
    const qsizetype query = pathOnly.indexOf(u'?');
    if (query >= 0)
        pathOnly.truncate(query);
    const QStringList pathSegments = pathOnly.split(u'/', Qt::SkipEmptyParts);
    qsizetype overlap = std::min(baseSegments.size(), pathSegments.size());
    while (overlap > 0 && !sharesSegments(baseSegments, pathSegments, overlap))
        --overlap;
    QStringList joined = baseSegments;
    joined.append(pathSegments.mid(overlap));
    QUrl url = base.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment);
    url.setPath(u'/' + joined.join(u'/'));
    return url;
}

QUrl apiRootUrl(const QUrl &base)
{
    const QUrl chat = joinApiUrl(base, QStringLiteral("/v1/chat/completions"));
    QStringList segments = chat.path().split(u'/', Qt::SkipEmptyParts);
    segments.resize(segments.size() - 2); // "chat", "completions": always the last two
    QUrl root = chat;
    root.setPath(segments.isEmpty() ? QString() : u'/' + segments.join(u'/'));
    return root;
}

} // namespace gp
