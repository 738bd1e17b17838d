#pragma once

#include <QSet>
#include <QString>

namespace gp {

// Keeps a model label's cardinality bounded: the first `cap` distinct models keep their own
// value, every later one folds into "other" (a typo'd or generated model name cannot grow
// the scrape without bound). Empty names become `emptyName` ("unknown" for models; clients keep
// "", so a series without a client has no client label); a name that looks like a secret, "other".
// The same folding serves client labels, with their own cap.
class ModelLabels final
{
public:
    static constexpr int kDefaultCap = 16;
    static constexpr int kClientCap = 32;
    static inline const QString kOther = QStringLiteral("other");

    explicit ModelLabels(int cap = kDefaultCap, const QString &emptyName = QStringLiteral("unknown"))
        : m_cap(cap)
        , m_emptyName(emptyName)
    { }

    QString fold(const QString &model);
    int distinct() const { return int(m_seen.size()); }

private:
    int m_cap;
    QString m_emptyName;
    QSet<QString> m_seen;
};

} // namespace gp
