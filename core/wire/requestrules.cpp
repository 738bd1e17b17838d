#include "core/wire/requestrules.h"

#include "core/wire/wirenumber.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace gp::requestrules {

QString quoteUntrusted(const QString &text)
{
    QString out = text.left(40);
    for (QChar &c : out) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = u'?';
    }
    return out;
}

qint64 codePointCount(const QString &text)
{
    qint64 count = 0;
    for (const QChar c : text) {
        if (!c.isLowSurrogate())
            ++count;
    }
    return count;
}

bool readOptionalNumber(const QJsonValue &value, QLatin1StringView key, std::optional<double> *out,
                        QString *error)
{
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isDouble() || !std::isfinite(value.toDouble())) {
        *error = key + " is not a number"_L1;
        return false;
    }
    *out = value.toDouble();
    return true;
}

bool readOptionalInteger(const QJsonValue &value, QLatin1StringView key, Sign sign,
                         std::optional<qint64> *out, QString *error)
{
    if (value.isUndefined() || value.isNull())
        return true;
    const std::optional<qint64> number = jsonInteger(value);
    if (!number || *number > MaxExactJsonInteger || *number < -MaxExactJsonInteger) {
        *error = key + " is not an integer"_L1;
        return false;
    }
    if (sign == Sign::NonNegative && *number < 0) {
        *error = key + " is negative"_L1;
        return false;
    }
    *out = number;
    return true;
}

} // namespace gp::requestrules
