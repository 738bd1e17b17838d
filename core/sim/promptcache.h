#pragma once

#include <QSet>
#include <QtGlobal>

#include <deque>

namespace gp::sim {

// The simulated prompt cache: which prompt hashes were answered before, so a repeat
// reports cached tokens. Bounded: past `capacity` hashes the oldest is forgotten (FIFO),
// as a real cache expires entries, so a long run's memory stays flat.
class PromptCache final
{
public:
    static constexpr qsizetype DefaultCapacity = 4096;

    explicit PromptCache(qsizetype capacity = DefaultCapacity);

    // True when the hash was seen (and is still remembered); remembers it either way.
    bool lookupAndInsert(quint64 hash);
    qsizetype size() const { return m_hashes.size(); }
    qsizetype capacity() const { return m_capacity; }
    void clear();

private:
    qsizetype m_capacity = DefaultCapacity;
    QSet<quint64> m_hashes;
    std::deque<quint64> m_order; // insertion order, oldest first
};

} // namespace gp::sim
