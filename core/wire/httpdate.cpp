#include "core/wire/httpdate.h"

#include <QByteArray>
#include <QList>

#include <array>

namespace gp {

namespace {

constexpr qint64 MsPerDay = 86'400'000;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
qint64 daysFromCivil(qint64 year, qint64 month, qint64 day)
{
    year -= month <= 2 ? 1 : 0;
    const qint64 era = year / 400;
    const qint64 yearOfEra = year - era * 400;
    const qint64 dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const qint64 dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

bool isLeapYear(qint64 year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

qint64 daysInMonth(qint64 year, qint64 month)
{
    constexpr std::array<qint64, 12> Days { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (month == 2 && isLeapYear(year))
        return 29;
    return Days.at(std::size_t(month - 1));
}

// Exactly `count` ASCII digits at text[at...]; nullopt otherwise.
std::optional<qint64> digitsAt(QByteArrayView text, qsizetype at, qsizetype count)
{
    if (at < 0 || count <= 0 || count > 9 || text.size() - at < count)
        return std::nullopt;
    qint64 value = 0;
    for (qsizetype i = at; i < at + count; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return std::nullopt;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

std::optional<qint64> monthFromName(QByteArrayView name)
{
    constexpr std::array<const char *, 12> Names { "jan", "feb", "mar", "apr", "may", "jun",
                                                   "jul", "aug", "sep", "oct", "nov", "dec" };
    for (std::size_t i = 0; i < Names.size(); ++i) {
        if (name.compare(QByteArrayView(Names.at(i)), Qt::CaseInsensitive) == 0)
            return qint64(i) + 1;
    }
    return std::nullopt;
}

struct DateTimeParts
{
    qint64 year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
};

std::optional<qint64> toEpochMs(const DateTimeParts &p)
{
    if (p.year < 1970 || p.year > 9999 || p.month < 1 || p.month > 12 || p.day < 1
        || p.day > daysInMonth(p.year, p.month) || p.hour > 23 || p.minute > 59 || p.second > 60)
        return std::nullopt;
    const qint64 seconds = p.hour * 3600 + p.minute * 60 + p.second; // 60: a leap second
    return daysFromCivil(p.year, p.month, p.day) * MsPerDay + seconds * 1000 + p.millis;
}

// "HH:MM:SS" into parts.
bool parseClock(QByteArrayView text, DateTimeParts *parts)
{
    if (text.size() != 8 || text[2] != ':' || text[5] != ':')
        return false;
    const auto h = digitsAt(text, 0, 2), m = digitsAt(text, 3, 2), s = digitsAt(text, 6, 2);
    if (!h || !m || !s)
        return false;
    parts->hour = *h;
    parts->minute = *m;
    parts->second = *s;
    return true;
}

QList<QByteArrayView> words(QByteArrayView text)
{
    QList<QByteArrayView> out;
    qsizetype i = 0;
    while (i < text.size() && out.size() < 8) {
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t'))
            ++i;
        qsizetype end = i;
        while (end < text.size() && text[end] != ' ' && text[end] != '\t')
            ++end;
        if (end > i)
            out.append(text.sliced(i, end - i));
        i = end;
    }
    return out;
}

bool isZone(QByteArrayView zone)
{
    return zone.compare("GMT", Qt::CaseInsensitive) == 0 || zone.compare("UTC", Qt::CaseInsensitive) == 0;
}

// After "Sun, ": "06 Nov 1994 08:49:37 GMT" or "06-Nov-94 08:49:37 GMT".
std::optional<qint64> parseAfterComma(QByteArrayView rest)
{
    const QList<QByteArrayView> w = words(rest);
    DateTimeParts parts;
    std::optional<qint64> month;
    if (w.size() == 5 && isZone(w.at(4)) && parseClock(w.at(3), &parts)) { // IMF-fixdate
        const auto day = w.at(0).size() <= 2 ? digitsAt(w.at(0), 0, w.at(0).size()) : std::nullopt;
        const auto year = w.at(2).size() == 4 ? digitsAt(w.at(2), 0, 4) : std::nullopt;
        month = monthFromName(w.at(1));
        if (!day || !year || !month)
            return std::nullopt;
        parts.day = *day;
        parts.year = *year;
    } else if (w.size() == 3 && isZone(w.at(2)) && parseClock(w.at(1), &parts)) { // RFC 850
        const QByteArrayView date = w.at(0);
        if (date.size() != 9 || date[2] != '-' || date[6] != '-')
            return std::nullopt;
        const auto day = digitsAt(date, 0, 2), year = digitsAt(date, 7, 2);
        month = monthFromName(date.sliced(3, 3));
        if (!day || !year || !month)
            return std::nullopt;
        parts.day = *day;
        parts.year = *year + (*year >= 70 ? 1900 : 2000);
    } else {
        return std::nullopt;
    }
    parts.month = *month;
    return toEpochMs(parts);
}

// "Sun Nov  6 08:49:37 1994"
std::optional<qint64> parseAsctime(QByteArrayView text)
{
    const QList<QByteArrayView> w = words(text);
    DateTimeParts parts;
    if (w.size() != 5 || w.at(0).size() != 3 || !parseClock(w.at(3), &parts))
        return std::nullopt;
    const auto month = monthFromName(w.at(1));
    const auto day = w.at(2).size() <= 2 ? digitsAt(w.at(2), 0, w.at(2).size()) : std::nullopt;
    const auto year = w.at(4).size() == 4 ? digitsAt(w.at(4), 0, 4) : std::nullopt;
    if (!month || !day || !year)
        return std::nullopt;
    parts.month = *month;
    parts.day = *day;
    parts.year = *year;
    return toEpochMs(parts);
}

QByteArrayView trimmed(QByteArrayView text)
{
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t'))
        text = text.sliced(1);
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t'))
        text.chop(1);
    return text;
}

} // namespace

std::optional<qint64> parseHttpDateMs(QByteArrayView text)
{
    text = trimmed(text);
    if (text.size() > 64)
        return std::nullopt;
    const qsizetype comma = text.indexOf(',');
    if (comma < 0)
        return parseAsctime(text);
    if (comma < 3) // a day name precedes the comma
        return std::nullopt;
    return parseAfterComma(text.sliced(comma + 1));
}

std::optional<qint64> parseRfc3339Ms(QByteArrayView text)
{
    text = trimmed(text);
    if (text.size() < 20 || text.size() > 64 || text[4] != '-' || text[7] != '-' || text[13] != ':'
        || text[16] != ':' || (text[10] != 'T' && text[10] != 't' && text[10] != ' '))
        return std::nullopt;
    DateTimeParts parts;
    const auto year = digitsAt(text, 0, 4), month = digitsAt(text, 5, 2), day = digitsAt(text, 8, 2);
    if (!year || !month || !day || !parseClock(text.sliced(11, 8), &parts))
        return std::nullopt;
    parts.year = *year;
    parts.month = *month;
    parts.day = *day;
    qsizetype at = 19;
    if (text[at] == '.') {
        qsizetype digits = 0;
        for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++digits) {
            if (digits < 3)
                parts.millis = parts.millis * 10 + (text[at] - '0');
        }
        if (digits == 0)
            return std::nullopt;
        for (qsizetype i = digits; i < 3; ++i)
            parts.millis *= 10;
    }
    qint64 offsetMs = 0;
    const QByteArrayView zone = text.sliced(at);
    if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
        const auto h = digitsAt(zone, 1, 2), m = digitsAt(zone, 4, 2);
        if (!h || !m || *h > 23 || *m > 59)
            return std::nullopt;
        offsetMs = (*h * 60 + *m) * 60'000 * (zone[0] == '-' ? -1 : 1);
    } else if (zone != "Z" && zone != "z") {
        return std::nullopt;
    }
    const std::optional<qint64> local = toEpochMs(parts);
    if (!local)
        return std::nullopt;
    return *local - offsetMs;
}

} // namespace gp
