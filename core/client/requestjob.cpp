#include "core/client/requestjob.h"

#include "core/client/attempt.h"
#include "core/client/client.h"

#include <QTimerEvent>

namespace gp {

RequestJob::RequestJob(quint64 id, ChatRequest request, RequestOptions options, Backoff backoff,
                       Client *client)
    : QObject(client)
    , m_client(client)
    , m_id(id)
    , m_request(std::move(request))
    , m_options(std::move(options))
    , m_backoff(std::move(backoff))
{
    m_clock.start();
}

void RequestJob::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_deadlineTimer.timerId()) {
        QObject::timerEvent(event);
        return;
    }
    m_deadlineTimer.stop();
    if (m_client)
        m_client->onDeadline(this);
}

RequestJob::~RequestJob()
{
    // Deleted while running (the caller did not wait): the client must forget it.
    if (m_stage != Stage::Finished && m_client)
        m_client->forgetJob(this);
}

void RequestJob::cancel()
{
    if (m_stage != Stage::Finished && m_client)
        m_client->cancelJob(this);
}

} // namespace gp
