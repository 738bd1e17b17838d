#include "core/sim/promptcache.h"

#include <algorithm>

namespace gp::sim {

PromptCache::PromptCache(qsizetype capacity)
    : m_capacity(std::max<qsizetype>(1, capacity))
{ }

bool PromptCache::lookupAndInsert(quint64 hash)
{
    if (m_hashes.contains(hash))
        return true;
    if (m_hashes.size() >= m_capacity) {
        m_hashes.remove(m_order.front());
        m_order.pop_front();
    }
    m_hashes.insert(hash);
    m_order.push_back(hash);
    return false;
}

void PromptCache::clear()
{
    m_hashes.clear();
    m_order.clear();
}

} // namespace gp::sim
