#include "core/pacing/refusalshare.h"

#include <algorithm>

namespace gp {

namespace {
constexpr size_t MaxResponses = 8192; // a bound at any rate; the oldest leave first
}

RefusalShare::RefusalShare(qint64 windowMs)
    : m_windowMs(std::max<qint64>(1, windowMs))
{ }

void RefusalShare::record(qint64 nowMs, bool refused)
{
    m_responses.emplace_back(nowMs, refused);
    m_refused += refused ? 1 : 0;
    if (m_responses.size() > MaxResponses) {
        m_refused -= m_responses.front().second ? 1 : 0;
        m_responses.pop_front();
    }
    prune(nowMs);
}

bool RefusalShare::recurs(qint64 nowMs, int minCount, double minShare)
{
    prune(nowMs);
    if (m_responses.empty() || m_refused < minCount)
        return false;
    return double(m_refused) >= minShare * double(m_responses.size());
}

void RefusalShare::prune(qint64 nowMs)
{
    while (!m_responses.empty() && m_responses.front().first + m_windowMs < nowMs) {
        m_refused -= m_responses.front().second ? 1 : 0;
        m_responses.pop_front();
    }
}

} // namespace gp
