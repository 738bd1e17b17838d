#include "core/wire/htmltext.h"

#include <string_view>
#include <utility>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

constexpr qsizetype MaxEntityLength = 10; // "&#x10FFFF;" is the longest we decode

bool isAsciiLetter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

QString tagName(const QString &html, qsizetype at)
{
    qsizetype end = at;
    while (end < html.size() && (isAsciiLetter(html.at(end)) || (end > at && html.at(end).isDigit())))
        ++end;
    return html.sliced(at, end - at).toLower();
}

// Index just past the element that opens at `at` (script/style skip their content).
qsizetype skipMarkup(const QString &html, qsizetype at)
{
    if (QStringView(html).sliced(at).startsWith(u"<!--")) {
        const qsizetype end = html.indexOf(u"-->"_s, at + 4);
        return end < 0 ? html.size() : end + 3;
    }
    const QString name = tagName(html, at + 1);
    const qsizetype close = html.indexOf(u'>', at);
    if (close < 0)
        return html.size(); // cut-off tag
    if (name == "script"_L1 || name == "style"_L1) {
        const qsizetype end = html.indexOf(u"</"_s + name, close, Qt::CaseInsensitive);
        if (end < 0)
            return html.size();
        const qsizetype endClose = html.indexOf(u'>', end);
        return endClose < 0 ? html.size() : endClose + 1;
    }
    return close + 1;
}

QString stripTags(const QString &html)
{
    QString text;
    text.reserve(html.size());
    qsizetype i = 0;
    while (i < html.size()) {
        if (html.at(i) == u'<') {
            i = skipMarkup(html, i);
            text.append(u' ');
        } else {
            text.append(html.at(i));
            ++i;
        }
    }
    return text;
}

QString titleText(const QString &html)
{
    const qsizetype open = html.indexOf(u"<title"_s, 0, Qt::CaseInsensitive);
    if (open < 0)
        return {};
    const qsizetype start = html.indexOf(u'>', open);
    if (start < 0)
        return {};
    const qsizetype end = html.indexOf(u"</title"_s, start, Qt::CaseInsensitive);
    return html.sliced(start + 1, (end < 0 ? html.size() : end) - start - 1);
}

// A numeric reference body ("#65", "#x41") as a character; nullopt when invalid.
std::optional<char32_t> numericReference(QStringView body)
{
    const bool hex = body.size() > 1 && (body.at(1) == u'x' || body.at(1) == u'X');
    const QStringView digits = body.sliced(hex ? 2 : 1);
    if (digits.isEmpty() || digits.size() > 7)
        return std::nullopt;
    bool ok = false;
    const uint value = digits.toUInt(&ok, hex ? 16 : 10);
    if (!ok || value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        return std::nullopt;
    return char32_t(value);
}

QString namedReference(QStringView name)
{
    // The few an error page uses; any other name stays as it is written.
    static constexpr std::pair<std::u16string_view, std::u16string_view> references[] = {
        { u"amp", u"&" },   { u"lt", u"<" },   { u"gt", u">" },
        { u"quot", u"\"" }, { u"apos", u"'" }, { u"nbsp", u" " },
    };
    for (const auto &[named, text] : references) {
        if (name == QStringView(named))
            return QStringView(text).toString();
    }
    return {};
}

} // namespace

QString decodeHtmlEntities(const QString &text)
{
    QString out;
    out.reserve(text.size());
    qsizetype i = 0;
    while (i < text.size()) {
        // Look for ';' only within an entity's length: no quadratic scans on "&&&&...".
        const QStringView window = QStringView(text).sliced(i, qMin(text.size() - i, MaxEntityLength + 1));
        const qsizetype offset = text.at(i) == u'&' ? window.indexOf(u';') : -1;
        const qsizetype semicolon = offset < 0 ? -1 : i + offset;
        if (semicolon > i + 1) {
            const QStringView body = QStringView(text).sliced(i + 1, semicolon - i - 1);
            QString decoded;
            if (body.startsWith(u'#')) {
                if (const std::optional<char32_t> c = numericReference(body))
                    decoded = QString::fromUcs4(&*c, 1);
            } else {
                decoded = namedReference(body);
            }
            if (!decoded.isEmpty()) {
                out.append(decoded);
                i = semicolon + 1;
                continue;
            }
        }
        out.append(text.at(i));
        ++i;
    }
    return out;
}

QString htmlErrorText(const QString &html)
{
    const QString title = decodeHtmlEntities(titleText(html)).trimmed();
    if (!title.isEmpty())
        return title;
    return decodeHtmlEntities(stripTags(html)).trimmed();
}

} // namespace gp
