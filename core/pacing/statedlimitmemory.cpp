#include "core/pacing/statedlimitmemory.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

constexpr int FileVersion = 1;
constexpr qint64 MaxWindowMs = 86400000;
constexpr qint64 MaxLimit = qint64(1) << 50; // as parseStatedLimits: beyond it, no one paces by it

QString unitName(StatedLimit::Unit unit)
{
    return unit == StatedLimit::Unit::Tokens ? u"tokens"_s : u"requests"_s;
}

} // namespace

QString StatedLimitMemory::keyIdOf(const QString &apiKey)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(apiKey.toUtf8(), QCryptographicHash::Sha256).toHex().left(16));
}

QString StatedLimitMemory::originOf(const QUrl &baseUrl)
{
    const QString scheme = baseUrl.scheme().toLower();
    const int port = baseUrl.port(scheme == "https"_L1 ? 443 : 80);
    return u"%1://%2:%3"_s.arg(scheme, baseUrl.host().toLower()).arg(port);
}

qint64 StatedLimitMemory::Entry::newestMs() const
{
    qint64 newest = 0;
    for (const Dimension &d : dimensions)
        newest = std::max(newest, d.statedAtMs);
    return newest;
}

StatedLimitMemory::Entry *StatedLimitMemory::find(const StatedLimitScope &scope)
{
    const auto it = std::find_if(m_entries.begin(), m_entries.end(),
                                 [&scope](const Entry &e) { return e.scope == scope; });
    return it == m_entries.end() ? nullptr : &*it;
}

const StatedLimitMemory::Entry *StatedLimitMemory::find(const StatedLimitScope &scope) const
{
    return const_cast<StatedLimitMemory *>(this)->find(scope);
}

bool StatedLimitMemory::mergeDimension(Entry *entry, const Dimension &d)
{
    const auto it
        = std::find_if(entry->dimensions.begin(), entry->dimensions.end(),
                       [&d](const Dimension &o) { return o.unit == d.unit && o.windowMs == d.windowMs; });
    if (it == entry->dimensions.end()) {
        entry->dimensions.append(d);
        return true;
    }
    if (d.statedAtMs < it->statedAtMs)
        return false;
    const bool changed = it->limit != d.limit;
    *it = d;
    return changed;
}

bool StatedLimitMemory::record(const StatedLimitScope &scope, const QList<StatedLimit> &limits, qint64 nowMs)
{
    if (limits.isEmpty())
        return false;
    Entry *entry = find(scope);
    if (!entry) {
        m_entries.append(Entry { scope, {} });
        entry = &m_entries.last();
    }
    bool changed = false;
    for (const StatedLimit &stated : limits)
        changed |= mergeDimension(entry, Dimension { stated.unit, stated.windowMs, stated.limit, nowMs });
    return changed;
}

std::optional<StatedLimitMemory::Recalled> StatedLimitMemory::recallEntry(const Entry &entry, qint64 nowMs,
                                                                          qint64 expiryMs)
{
    Recalled recalled;
    recalled.model = entry.scope.model;
    for (const Dimension &d : entry.dimensions) {
        const qint64 age = nowMs - d.statedAtMs;
        if (age < 0 || age >= expiryMs)
            continue;
        StatedLimit limit;
        limit.unit = d.unit;
        limit.windowMs = d.windowMs;
        limit.limit = d.limit;
        recalled.limits.append(limit);
        recalled.ageMs = std::max(recalled.ageMs, age);
    }
    if (recalled.limits.isEmpty())
        return std::nullopt;
    return recalled;
}

std::optional<StatedLimitMemory::Recalled> StatedLimitMemory::recall(const StatedLimitScope &scope,
                                                                     qint64 nowMs, qint64 expiryMs) const
{
    const Entry *entry = find(scope);
    return entry ? recallEntry(*entry, nowMs, expiryMs) : std::nullopt;
}

QList<StatedLimitMemory::Recalled> StatedLimitMemory::recallAll(const QString &origin, const QString &keyId,
                                                                qint64 nowMs, qint64 expiryMs) const
{
    QList<Recalled> all;
    for (const Entry &entry : m_entries) {
        if (entry.scope.origin != origin || entry.scope.keyId != keyId)
            continue;
        if (std::optional<Recalled> recalled = recallEntry(entry, nowMs, expiryMs))
            all.append(std::move(*recalled));
    }
    std::sort(all.begin(), all.end(), [](const Recalled &a, const Recalled &b) { return a.model < b.model; });
    return all;
}

void StatedLimitMemory::merge(const StatedLimitMemory &other)
{
    for (const Entry &theirs : other.m_entries) {
        Entry *mine = find(theirs.scope);
        if (!mine) {
            m_entries.append(theirs);
            continue;
        }
        for (const Dimension &d : theirs.dimensions)
            mergeDimension(mine, d);
    }
}

void StatedLimitMemory::prune(qint64 nowMs)
{
    for (Entry &entry : m_entries)
        entry.dimensions.removeIf([nowMs](const Dimension &d) {
            const qint64 age = nowMs - d.statedAtMs;
            return age < 0 || age >= KeptMs;
        });
    m_entries.removeIf([](const Entry &e) { return e.dimensions.isEmpty(); });
    if (m_entries.size() <= MaxScopes)
        return;
    std::sort(m_entries.begin(), m_entries.end(),
              [](const Entry &a, const Entry &b) { return a.newestMs() > b.newestMs(); });
    m_entries.resize(MaxScopes);
}

QByteArray StatedLimitMemory::toJson() const
{
    QJsonArray entries;
    for (const Entry &entry : m_entries) {
        QJsonArray limits;
        for (const Dimension &d : entry.dimensions)
            limits.append(QJsonObject { { u"unit"_s, unitName(d.unit) },
                                        { u"window_ms"_s, d.windowMs },
                                        { u"limit"_s, d.limit },
                                        { u"stated_at_ms"_s, d.statedAtMs } });
        entries.append(QJsonObject { { u"origin"_s, entry.scope.origin },
                                     { u"key_id"_s, entry.scope.keyId },
                                     { u"model"_s, entry.scope.model },
                                     { u"limits"_s, limits } });
    }
    return QJsonDocument(QJsonObject { { u"version"_s, FileVersion }, { u"stated_limits"_s, entries } })
        .toJson();
}

std::optional<StatedLimitMemory> StatedLimitMemory::fromJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    const QJsonObject root = document.object();
    if (parseError.error != QJsonParseError::NoError || !document.isObject()
        || root.value(u"version"_s).toInt() != FileVersion || !root.value(u"stated_limits"_s).isArray()) {
        if (error)
            *error = parseError.error != QJsonParseError::NoError
                ? u"not JSON (%1 at byte %2)"_s.arg(parseError.errorString()).arg(parseError.offset)
                : u"not a version %1 stated-limits file"_s.arg(FileVersion);
        return std::nullopt;
    }
    StatedLimitMemory memory;
    for (const QJsonValue &value : root.value(u"stated_limits"_s).toArray()) {
        const QJsonObject o = value.toObject();
        Entry entry { { o.value(u"origin"_s).toString(), o.value(u"key_id"_s).toString(),
                        o.value(u"model"_s).toString() },
                      {} };
        for (const QJsonValue &l : o.value(u"limits"_s).toArray()) {
            const QJsonObject d = l.toObject();
            const QString unit = d.value(u"unit"_s).toString();
            const Dimension dim { unit == "tokens"_L1 ? StatedLimit::Unit::Tokens
                                                      : StatedLimit::Unit::Requests,
                                  d.value(u"window_ms"_s).toInteger(), d.value(u"limit"_s).toInteger(),
                                  d.value(u"stated_at_ms"_s).toInteger() };
            const bool valid = (unit == "tokens"_L1 || unit == "requests"_L1) && dim.windowMs > 0
                && dim.windowMs <= MaxWindowMs && dim.limit > 0 && dim.limit <= MaxLimit
                && dim.statedAtMs > 0;
            if (valid)
                mergeDimension(&entry, dim);
        }
        if (!entry.scope.origin.isEmpty() && !entry.scope.model.isEmpty() && !entry.dimensions.isEmpty())
            memory.m_entries.append(std::move(entry));
    }
    return memory;
}

} // namespace gp
