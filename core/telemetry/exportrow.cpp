#include "core/telemetry/exportrow.h"

#include "core/policy/secretscrubber.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

namespace gp::exportrow {

namespace {

QString csvValue(const QVariant &v)
{
    if (v.isNull())
        return {};
    if (v.typeId() == QMetaType::Double)
        return QString::number(v.toDouble(), 'g', 12);
    return JournalExporter::csvField(v.toString());
}

} // namespace

QVariant nullIf(bool isNull, const QVariant &value)
{
    return isNull ? QVariant() : value;
}

QVariant textValue(const QString &text)
{
    return text.isEmpty() ? QVariant() : QVariant(SecretScrubber::scrub(text));
}

QVariant timeValue(qint64 ms)
{
    return ms < 0 ? QVariant() : QVariant(JournalExporter::isoTime(ms));
}

bool writeHeader(QIODevice &out, JournalExporter::Format format, const QStringList &columns)
{
    if (format != JournalExporter::Format::Csv)
        return true;
    const QByteArray header = columns.join(u',').toUtf8() + "\r\n";
    return out.write(header) == header.size();
}

bool writeRow(QIODevice &out, JournalExporter::Format format, const QStringList &columns,
              const QVariantList &row)
{
    QByteArray line;
    if (format == JournalExporter::Format::Csv) {
        QStringList fields;
        fields.reserve(row.size());
        for (const QVariant &v : row)
            fields.append(csvValue(v));
        line = fields.join(u',').toUtf8() + "\r\n";
    } else {
        QJsonObject object;
        for (int i = 0; i < columns.size() && i < row.size(); ++i)
            object.insert(columns[i],
                          row[i].isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue::fromVariant(row[i]));
        line = QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    }
    return out.write(line) == line.size();
}

} // namespace gp::exportrow
