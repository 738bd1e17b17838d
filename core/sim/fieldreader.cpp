#include "core/sim/fieldreader.h"

#include <QJsonValue>

namespace gp::sim {

bool FieldReader::allowOnly(const QStringList &keys)
{
    for (auto it = m_object.begin(); it != m_object.end(); ++it) {
        if (!keys.contains(it.key()))
            return fail(it.key(), QStringLiteral("is not a known field (known: %1)").arg(keys.join(u", ")));
    }
    return true;
}

bool FieldReader::number(const QString &key, double min, double max, double *out)
{
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isDouble() || !std::isfinite(value.toDouble()) || value.toDouble() < min
        || value.toDouble() > max)
        return fail(key, QStringLiteral("must be a number in %1..%2").arg(min).arg(max));
    *out = value.toDouble();
    return true;
}

bool FieldReader::boolean(const QString &key, bool *out)
{
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined())
        return true;
    if (!value.isBool())
        return fail(key, QStringLiteral("must be true or false"));
    *out = value.toBool();
    return true;
}

bool FieldReader::string(const QString &key, QString *out)
{
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined())
        return true;
    if (!value.isString())
        return fail(key, QStringLiteral("must be a string"));
    *out = value.toString();
    return true;
}

bool FieldReader::choice(const QString &key, const QStringList &choices, int *index)
{
    QString text;
    if (!string(key, &text))
        return false;
    if (m_object.value(key).isUndefined())
        return true;
    *index = int(choices.indexOf(text));
    if (*index < 0)
        return fail(key, QStringLiteral("must be one of %1, not \"%2\"").arg(choices.join(u", "), text));
    return true;
}

bool FieldReader::object(const QString &key, QJsonObject *out)
{
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined())
        return true;
    if (!value.isObject())
        return fail(key, QStringLiteral("must be an object"));
    *out = value.toObject();
    return true;
}

bool FieldReader::array(const QString &key, QJsonArray *out)
{
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined())
        return true;
    if (!value.isArray())
        return fail(key, QStringLiteral("must be an array"));
    *out = value.toArray();
    return true;
}

bool FieldReader::fail(const QString &key, const QString &message)
{
    if (m_error)
        *m_error = QStringLiteral("scenario field \"%1\" %2").arg(pathOf(key), message);
    return false;
}

QString FieldReader::pathOf(const QString &key) const
{
    return m_path.isEmpty() ? key : m_path + u'.' + key;
}

} // namespace gp::sim
