#pragma once

#include "core/wire/statedlimit.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QUrl>
#include <QtGlobal>

#include <optional>

namespace gp {

// Where a stated limit holds: xAI's limits are per team (an API key belongs to one) and per
// model, at one endpoint. The key itself is never held: only keyIdOf() of it.
struct StatedLimitScope
{
    QString origin; // originOf(base URL): "https://api.x.ai:443"
    QString keyId; // keyIdOf(API key)
    QString model;
    bool operator==(const StatedLimitScope &) const = default;
};

// The limits servers stated in their 429 bodies, remembered across runs: per scope and per
// dimension (unit and window), each with the wall-clock time it was last stated, so a run can
// start paced by what the last one learned, and an old limit (a tier upgraded since) expires.
// Pure: wall-clock ms are passed in; toJson()/fromJson() are the file's text.
class StatedLimitMemory final
{
public:
    struct Recalled
    {
        QString model;
        QList<StatedLimit> limits; // unit, window and limit; actual and requested unknown (-1)
        qint64 ageMs = 0; // since the oldest of them was stated
    };

    static constexpr qint64 DefaultExpiryMs = 6 * 3600 * 1000;
    // Kept in the file this long whatever the expiry of one run (another may use a longer one).
    static constexpr qint64 KeptMs = 7 * 24 * 3600 * 1000;
    static constexpr int MaxScopes = 256; // the newest; a file never grows without bound

    // The first 16 hex digits of the key's SHA-256: tells keys apart, cannot give the key back.
    static QString keyIdOf(const QString &apiKey);
    // scheme://host:port of a base URL (the path is not part of an endpoint's identity), lower case.
    static QString originOf(const QUrl &baseUrl);

    // Records what one 429 stated, at `nowMs`. True when a limit is new or its number changed.
    bool record(const StatedLimitScope &scope, const QList<StatedLimit> &limits, qint64 nowMs);
    // What was stated for `scope` less than `expiryMs` ago; nullopt when nothing is left.
    // A time ahead of `nowMs` (the clock was set back) counts as unknown: nothing is recalled.
    std::optional<Recalled> recall(const StatedLimitScope &scope, qint64 nowMs, qint64 expiryMs) const;
    // Every model of one endpoint and key with something unexpired, by model name.
    QList<Recalled> recallAll(const QString &origin, const QString &keyId, qint64 nowMs,
                              qint64 expiryMs) const;
    // Takes each dimension of `other` that is newer than this one's.
    void merge(const StatedLimitMemory &other);
    // Drops what is older than KeptMs (or ahead of now), then all but the MaxScopes newest scopes.
    void prune(qint64 nowMs);
    bool isEmpty() const { return m_entries.isEmpty(); }

    QByteArray toJson() const;
    // nullopt, with a sentence in `error`, for anything that is not a memory file. An entry
    // with a field out of range is skipped; the rest is kept.
    static std::optional<StatedLimitMemory> fromJson(const QByteArray &json, QString *error);

private:
    struct Dimension
    {
        StatedLimit::Unit unit = StatedLimit::Unit::Requests;
        qint64 windowMs = 0;
        qint64 limit = 0;
        qint64 statedAtMs = 0;
    };
    struct Entry
    {
        StatedLimitScope scope;
        QList<Dimension> dimensions;
        qint64 newestMs() const;
    };

    Entry *find(const StatedLimitScope &scope);
    const Entry *find(const StatedLimitScope &scope) const;
    static std::optional<Recalled> recallEntry(const Entry &entry, qint64 nowMs, qint64 expiryMs);
    static bool mergeDimension(Entry *entry, const Dimension &d);

    QList<Entry> m_entries;
};

} // namespace gp
