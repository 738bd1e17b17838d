#include "app/batch/viastate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace gp {

bool ViaState::open(const QString &path, bool resume, QString *error)
{
    m_file.setFileName(path);
    if (resume && m_file.exists()) {
        if (!m_file.open(QIODevice::ReadOnly)) {
            *error = u"cannot read %1: %2"_s.arg(path, m_file.errorString());
            return false;
        }
        while (!m_file.atEnd())
            read(m_file.readLine());
        m_file.close();
    }
    const QIODevice::OpenMode mode
        = QIODevice::WriteOnly | QIODevice::Unbuffered | (resume ? QIODevice::Append : QIODevice::Truncate);
    if (!m_file.open(mode)) {
        *error = u"cannot write %1: %2"_s.arg(path, m_file.errorString());
        return false;
    }
    return true;
}

void ViaState::read(const QByteArray &line)
{
    const QJsonObject record = QJsonDocument::fromJson(line).object(); // a torn line reads as {}
    if (record.value("batch_id"_L1).isString()) {
        m_via = record.value("via"_L1).toString();
        m_batchId = record.value("batch_id"_L1).toString();
        m_added.clear(); // a new batch: what went into an older one does not count
    }
    for (const QJsonValue &id : record.value("added"_L1).toArray())
        m_added.insert(id.toString());
    if (record.value("request_id"_L1).isString() && record.value("custom_id"_L1).isString()) {
        m_via = u"deferred"_s;
        m_requestIds.insert(record.value("custom_id"_L1).toString(),
                            record.value("request_id"_L1).toString());
    }
}

bool ViaState::append(const QJsonObject &record)
{
    const QByteArray bytes = QJsonDocument(record).toJson(QJsonDocument::Compact) + '\n';
    if (m_file.write(bytes) == bytes.size())
        return true;
    m_error = u"cannot write %1: %2"_s.arg(m_file.fileName(), m_file.errorString());
    return false;
}

bool ViaState::recordBatch(const QString &via, const QString &batchId)
{
    m_via = via;
    m_batchId = batchId;
    m_added.clear();
    return append(QJsonObject { { u"via"_s, via }, { u"batch_id"_s, batchId } });
}

bool ViaState::recordAdded(const QStringList &ids)
{
    for (const QString &id : ids)
        m_added.insert(id);
    return append(QJsonObject { { u"added"_s, QJsonArray::fromStringList(ids) } });
}

bool ViaState::recordRequestId(const QString &customId, const QString &requestId)
{
    m_via = u"deferred"_s;
    m_requestIds.insert(customId, requestId);
    return append(QJsonObject { { u"custom_id"_s, customId }, { u"request_id"_s, requestId } });
}

} // namespace gp
