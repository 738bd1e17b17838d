#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cmath>

namespace gp::sim {

// Reads fields of one JSON object, naming the bad field (with its path) on error.
class FieldReader final
{
public:
    FieldReader(const QJsonObject &object, QString path, QString *error)
        : m_object(object)
        , m_path(std::move(path))
        , m_error(error)
    { }
    bool allowOnly(const QStringList &keys);
    bool number(const QString &key, double min, double max, double *out);
    template<typename Int> bool integer(const QString &key, double min, double max, Int *out)
    {
        double value = double(*out);
        if (!number(key, min, max, &value))
            return false;
        if (value != std::floor(value))
            return fail(key, QStringLiteral("must be an integer"));
        *out = Int(value);
        return true;
    }
    bool boolean(const QString &key, bool *out);
    bool string(const QString &key, QString *out);
    bool choice(const QString &key, const QStringList &choices, int *index);
    bool object(const QString &key, QJsonObject *out);
    bool array(const QString &key, QJsonArray *out);
    QString pathOf(const QString &key) const;
    bool fail(const QString &key, const QString &message);

private:
    QJsonObject m_object;
    QString m_path;
    QString *m_error = nullptr;
};

} // namespace gp::sim
