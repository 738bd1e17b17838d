#pragma once

#include <QSet>
#include <QString>

namespace gp {

// Keeps a model label's cardinality bounded: the first `cap` distinct models keep their own
// value, every later one folds into "other" (a typo'd or generated model name cannot grow
// the scrape without bound). Empty names become "unknown"; a name that looks like a secret, "other".
class ModelLabels final
{
public:
    static constexpr int kDefaultCap = 16;
    static inline const QString kOther = QStringLiteral("other");

    explicit ModelLabels(int cap = kDefaultCap)
        : m_cap(cap)
    { }

    QString fold(const QString &model);
    int distinct() const { return int(m_seen.size()); }

private:
    int m_cap;
    QSet<QString> m_seen;
};

} // namespace gp
