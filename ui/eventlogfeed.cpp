#include "ui/eventlogfeed.h"

#include "ui/eventlogmodel.h"

#include <QElapsedTimer>

namespace gp {

bool EventLogFeed::open(const QString &path, QString *error)
{
    m_afterId = 0;
    return m_reader.open(path, error);
}

bool EventLogFeed::restart(EventLogModel *model, qint64 nowMs, QString *error)
{
    model->clear();
    if (!isOpen())
        return false;
    const qint64 window = model->windowMs();
    const auto last = m_reader.lastEventId(error);
    const auto first
        = window > 0 ? m_reader.firstEventIdSince(nowMs - window, error) : std::optional<qint64>(1);
    if (!last || !first)
        return false;
    if (*first == 0) { // nothing inside the window yet
        m_afterId = *last;
        return true;
    }
    // Row ids grow by one per row (retention only cuts the old end), so the newest N rows start
    // about N below the last id. A row id range is read by the primary key alone (a time bound
    // too could make SQLite sort the whole window); the model's expire() drops the few rows in
    // that range that are older than the window, its ceiling whatever does not fit.
    const qint64 most = std::max<qint64>(kPage, model->memoryCeiling() / kBytesPerEvent);
    m_afterId = std::max(*first - 1, *last - most);
    return true;
}

std::optional<bool> EventLogFeed::poll(EventLogModel *model, int budgetMs, QString *error)
{
    if (!isOpen())
        return std::nullopt;
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        EventQuery query;
        query.afterId = m_afterId;
        query.byId = true;
        query.limit = kPage;
        const auto rows = m_reader.journalEvents(query, error);
        if (!rows)
            return std::nullopt;
        if (!rows->isEmpty()) {
            m_afterId = rows->back().id;
            model->append(*rows);
        }
        if (rows->size() < kPage)
            return true;
        if (budgetMs >= 0 && clock.elapsed() >= budgetMs)
            return false;
    }
}

} // namespace gp
