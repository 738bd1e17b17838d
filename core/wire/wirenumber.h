#pragma once

#include <QByteArrayView>
#include <QJsonValue>
#include <QtGlobal>

#include <optional>

namespace gp {

// Checked number parsing shared by the wire parsers: no locale, no exponents, no NaN,
// no overflow. Surrounding spaces and tabs are ignored; anything else fails.

// Decimal digits only ("0", "42"); nullopt on signs, garbage or overflow.
std::optional<qint64> parseUnsignedInteger(QByteArrayView text);

// A non-negative decimal ("12", "1.5", ".5", "3.") multiplied by `scale` (1..10^9) and
// rounded up, e.g. seconds to milliseconds with scale 1000; nullopt on bad input or overflow.
std::optional<qint64> parseUnsignedDecimalScaled(QByteArrayView text, qint64 scale);

// A JSON number holding an exact integer within qint64, else nullopt.
std::optional<qint64> jsonInteger(const QJsonValue &value);

// a * b, a + b and a - b with overflow reported as nullopt.
std::optional<qint64> checkedMul(qint64 a, qint64 b);
std::optional<qint64> checkedAdd(qint64 a, qint64 b);
std::optional<qint64> checkedSub(qint64 a, qint64 b);

// `text` without leading and trailing spaces and tabs.
QByteArrayView trimmedView(QByteArrayView text);

} // namespace gp
