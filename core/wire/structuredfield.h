#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QtGlobal>

#include <optional>
#include <utility>

namespace gp {

// A bare item of an RFC 8941 structured field. Integers keep their value; decimals
// are kept in thousandths (the RFC allows three fraction digits); strings, tokens and
// byte sequences keep their text (byte sequences still base64).
struct SfBareItem
{
    enum class Kind { Integer, Decimal, String, Token, ByteSequence, Boolean, InnerList };
    Kind kind = Kind::Boolean;
    qint64 integer = 0; // Integer; Decimal in thousandths; Boolean 0/1
    QByteArray text; // String (unescaped), Token, ByteSequence

    std::optional<qint64> asInteger() const
    {
        return kind == Kind::Integer ? std::optional<qint64>(integer) : std::nullopt;
    }
    bool isText() const { return kind == Kind::String || kind == Kind::Token; }
};

struct SfItem
{
    SfBareItem value;
    QList<std::pair<QByteArray, SfBareItem>> parameters;

    // The last parameter named `key` (the RFC: later ones overwrite), else nullptr.
    const SfBareItem *parameter(QByteArrayView key) const;
};

// An RFC 8941 List ("a;x=1, b;y=2"); nullopt when the field does not parse, in which
// case the RFC says to ignore the whole field. Inner lists parse but keep no members.
std::optional<QList<SfItem>> parseStructuredList(QByteArrayView text);

} // namespace gp
