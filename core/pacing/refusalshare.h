#pragma once

#include <QtGlobal>

#include <deque>

namespace gp {

// The share of recent responses that refused for load (429, 529), over a sliding window.
// Tells an overload (refusals recur, their share grows with the rate) from a server that is
// flaky at random (a lone 529 among successes). Pure: time is passed in (steady ms).
class RefusalShare final
{
public:
    explicit RefusalShare(qint64 windowMs = 2000);

    void record(qint64 nowMs, bool refused);
    // At least `minCount` refusals making at least `minShare` of the window's responses.
    bool recurs(qint64 nowMs, int minCount, double minShare);

private:
    void prune(qint64 nowMs);

    qint64 m_windowMs = 2000;
    std::deque<std::pair<qint64, bool>> m_responses;
    int m_refused = 0;
};

} // namespace gp
