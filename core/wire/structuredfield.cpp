#include "core/wire/structuredfield.h"

namespace gp {

namespace {

constexpr qsizetype MaxMembers = 64; // far more than any rate-limit header needs

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isLcAlpha(char c)
{
    return c >= 'a' && c <= 'z';
}

bool isAlpha(char c)
{
    return isLcAlpha(c) || (c >= 'A' && c <= 'Z');
}

bool isTokenChar(char c)
{
    return isAlpha(c) || isDigit(c) || QByteArrayView("!#$%&'*+-.^_`|~:/").contains(c);
}

// A cursor over the field value; every read checks the bounds.
class Reader
{
public:
    explicit Reader(QByteArrayView text)
        : m_text(text)
    { }
    bool atEnd() const { return m_at >= m_text.size(); }
    char peek() const { return atEnd() ? '\0' : m_text[m_at]; }
    char take() { return atEnd() ? '\0' : m_text[m_at++]; }
    void skip(bool tabsToo)
    {
        while (peek() == ' ' || (tabsToo && peek() == '\t'))
            ++m_at;
    }

private:
    QByteArrayView m_text;
    qsizetype m_at = 0;
};

std::optional<SfBareItem> parseNumber(Reader &in)
{
    SfBareItem item;
    item.kind = SfBareItem::Kind::Integer;
    const bool negative = in.peek() == '-';
    if (negative)
        in.take();
    if (!isDigit(in.peek()))
        return std::nullopt;
    qint64 whole = 0;
    int wholeDigits = 0;
    while (isDigit(in.peek())) {
        if (++wholeDigits > 15) // RFC 8941 bound: 15 digits fit easily in qint64
            return std::nullopt;
        whole = whole * 10 + (in.take() - '0');
    }
    if (in.peek() == '.') {
        in.take();
        if (wholeDigits > 12)
            return std::nullopt;
        qint64 fraction = 0;
        int fractionDigits = 0;
        while (isDigit(in.peek())) {
            if (++fractionDigits > 3)
                return std::nullopt;
            fraction = fraction * 10 + (in.take() - '0');
        }
        if (fractionDigits == 0)
            return std::nullopt;
        for (int i = fractionDigits; i < 3; ++i)
            fraction *= 10;
        item.kind = SfBareItem::Kind::Decimal;
        whole = whole * 1000 + fraction;
    }
    item.integer = negative ? -whole : whole;
    return item;
}

std::optional<SfBareItem> parseString(Reader &in)
{
    SfBareItem item;
    item.kind = SfBareItem::Kind::String;
    in.take(); // the opening quote
    while (!in.atEnd()) {
        const char c = in.take();
        if (c == '"')
            return item;
        if (c == '\\') {
            const char escaped = in.take();
            if (escaped != '"' && escaped != '\\')
                return std::nullopt;
            item.text.append(escaped);
        } else if (c < 0x20 || c > 0x7e) { // also rejects bytes >= 0x80 (char may be signed)
            return std::nullopt;
        } else {
            item.text.append(c);
        }
    }
    return std::nullopt; // unterminated
}

std::optional<SfBareItem> parseBareItem(Reader &in)
{
    const char c = in.peek();
    if (c == '-' || isDigit(c))
        return parseNumber(in);
    if (c == '"')
        return parseString(in);
    SfBareItem item;
    if (c == '?') {
        in.take();
        const char value = in.take();
        if (value != '0' && value != '1')
            return std::nullopt;
        item.integer = value == '1' ? 1 : 0;
        return item;
    }
    if (c == ':') {
        in.take();
        item.kind = SfBareItem::Kind::ByteSequence;
        while (!in.atEnd() && in.peek() != ':') {
            const char b = in.take();
            if (!isAlpha(b) && !isDigit(b) && b != '+' && b != '/' && b != '=')
                return std::nullopt;
            item.text.append(b);
        }
        if (in.take() != ':')
            return std::nullopt;
        return item;
    }
    if (isAlpha(c) || c == '*') {
        item.kind = SfBareItem::Kind::Token;
        while (isTokenChar(in.peek()) || in.peek() == '*')
            item.text.append(in.take());
        return item;
    }
    return std::nullopt;
}

std::optional<QByteArray> parseKey(Reader &in)
{
    if (!isLcAlpha(in.peek()) && in.peek() != '*')
        return std::nullopt;
    QByteArray key;
    while (isLcAlpha(in.peek()) || isDigit(in.peek()) || QByteArrayView("_-.*").contains(in.peek()))
        key.append(in.take());
    return key;
}

bool parseParameters(Reader &in, SfItem *item)
{
    while (in.peek() == ';') {
        in.take();
        in.skip(false);
        const std::optional<QByteArray> key = parseKey(in);
        if (!key || item->parameters.size() >= MaxMembers)
            return false;
        SfBareItem value; // a parameter without '=' is boolean true
        value.integer = 1;
        if (in.peek() == '=') {
            in.take();
            const std::optional<SfBareItem> parsed = parseBareItem(in);
            if (!parsed)
                return false;
            value = *parsed;
        }
        item->parameters.append({ *key, value });
    }
    return true;
}

bool parseInnerList(Reader &in, SfItem *item)
{
    in.take(); // '('
    item->value.kind = SfBareItem::Kind::InnerList;
    for (qsizetype members = 0; members <= MaxMembers; ++members) {
        in.skip(false);
        if (in.peek() == ')') {
            in.take();
            return parseParameters(in, item);
        }
        SfItem member;
        const std::optional<SfBareItem> value = parseBareItem(in);
        if (!value || !parseParameters(in, &member))
            return false;
        if (in.peek() != ' ' && in.peek() != ')')
            return false;
    }
    return false;
}

} // namespace

const SfBareItem *SfItem::parameter(QByteArrayView key) const
{
    for (auto it = parameters.crbegin(); it != parameters.crend(); ++it) {
        if (it->first == key)
            return &it->second;
    }
    return nullptr;
}

std::optional<QList<SfItem>> parseStructuredList(QByteArrayView text)
{
    Reader in(text);
    QList<SfItem> items;
    in.skip(true);
    while (!in.atEnd()) {
        SfItem item;
        if (in.peek() == '(') {
            if (!parseInnerList(in, &item))
                return std::nullopt;
        } else {
            const std::optional<SfBareItem> value = parseBareItem(in);
            if (!value)
                return std::nullopt;
            item.value = *value;
            if (!parseParameters(in, &item))
                return std::nullopt;
        }
        if (items.size() >= MaxMembers)
            return std::nullopt;
        items.append(std::move(item));
        in.skip(true);
        if (in.atEnd())
            return items;
        if (in.take() != ',')
            return std::nullopt;
        in.skip(true);
        if (in.atEnd())
            return std::nullopt; // trailing comma
    }
    return items;
}

} // namespace gp
