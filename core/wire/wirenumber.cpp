#include "core/wire/wirenumber.h"

#include <limits>

namespace gp {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Appends one digit to `value`; false on overflow.
bool pushDigit(qint64 &value, char digit)
{
    const std::optional<qint64> shifted = checkedMul(value, 10);
    if (!shifted)
        return false;
    const std::optional<qint64> next = checkedAdd(*shifted, digit - '0');
    if (!next)
        return false;
    value = *next;
    return true;
}

} // namespace

std::optional<qint64> checkedMul(qint64 a, qint64 b)
{
    qint64 result = 0;
    if (__builtin_mul_overflow(a, b, &result))
        return std::nullopt;
    return result;
}

std::optional<qint64> checkedAdd(qint64 a, qint64 b)
{
    qint64 result = 0;
    if (__builtin_add_overflow(a, b, &result))
        return std::nullopt;
    return result;
}

std::optional<qint64> checkedSub(qint64 a, qint64 b)
{
    qint64 result = 0;
    if (__builtin_sub_overflow(a, b, &result))
        return std::nullopt;
    return result;
}

QByteArrayView trimmedView(QByteArrayView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && (text[begin] == ' ' || text[begin] == '\t'))
        ++begin;
    while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t'))
        --end;
    return text.sliced(begin, end - begin);
}

std::optional<qint64> parseUnsignedInteger(QByteArrayView text)
{
    const QByteArrayView digits = trimmedView(text);
    if (digits.isEmpty())
        return std::nullopt;
    qint64 value = 0;
    for (const char c : digits) {
        if (!isDigit(c) || !pushDigit(value, c))
            return std::nullopt;
    }
    return value;
}

std::optional<qint64> parseUnsignedDecimalScaled(QByteArrayView text, qint64 scale)
{
    constexpr qint64 FractionUnit = 1'000'000'000; // fraction kept to 9 digits
    if (scale < 1 || scale > FractionUnit)
        return std::nullopt;
    const QByteArrayView number = trimmedView(text);
    qint64 whole = 0;
    qint64 fraction = 0; // the first 9 fraction digits, as nanounits
    qint64 fractionDigits = 0;
    bool sawDigit = false;
    bool sawPoint = false;
    bool droppedNonZero = false; // a non-zero digit beyond the 9th: round up
    for (const char c : number) {
        if (c == '.' && !sawPoint) {
            sawPoint = true;
        } else if (!isDigit(c)) {
            return std::nullopt;
        } else if (!sawPoint) {
            sawDigit = true;
            if (!pushDigit(whole, c))
                return std::nullopt;
        } else {
            sawDigit = true;
            if (fractionDigits < 9) {
                fraction = fraction * 10 + (c - '0');
                ++fractionDigits;
            } else if (c != '0') {
                droppedNonZero = true;
            }
        }
    }
    if (!sawDigit)
        return std::nullopt;
    for (qint64 i = fractionDigits; i < 9; ++i)
        fraction *= 10;
    const std::optional<qint64> scaledWhole = checkedMul(whole, scale);
    if (!scaledWhole)
        return std::nullopt;
    // fraction < 10^9 and scale <= 10^9, so the product fits in qint64.
    const qint64 scaledFraction = fraction * scale;
    qint64 fractionPart = scaledFraction / FractionUnit;
    if (scaledFraction % FractionUnit != 0 || droppedNonZero)
        ++fractionPart;
    return checkedAdd(*scaledWhole, fractionPart);
}

std::optional<qint64> jsonInteger(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    constexpr qint64 Sentinel = std::numeric_limits<qint64>::min();
    const qint64 result = value.toInteger(Sentinel);
    if (result == Sentinel)
        return std::nullopt;
    return result;
}

} // namespace gp
