#pragma once

#include "core/sim/httprequestparser.h"
#include "core/sim/simresponse.h"
#include "core/sim/simstate.h"

#include <QJsonObject>

namespace gp::sim {

struct SimBatch;
struct BatchEntry;

// xAI's Batch API: POST /v1/batches, GET /v1/batches (one page), POST and GET
// /v1/batches/{id}/requests, GET /v1/batches/{id}, GET /v1/batches/{id}/results?limit=&pagination_token=
// (the requests finished so far, in the order they finished, also while the batch runs),
// POST /v1/batches/{id}:cancel.
// Requests finish within the scenario's batch.completion_ms of being added (some fail,
// batch.error_rate), outside the chat rate limits, at batch.price_factor of the live cost.
class BatchApiHandler final
{
public:
    explicit BatchApiHandler(SimState &state)
        : m_state(state)
    { }
    SimResponse handle(const HttpRequest &request);

private:
    SimResponse create(const HttpRequest &request);
    SimResponse list() const;
    SimResponse requestList(const SimBatch &batch, const HttpRequest &request) const;
    SimResponse addRequests(SimBatch &batch, const HttpRequest &request);
    SimResponse results(const SimBatch &batch, const HttpRequest &request);
    SimResponse cancel(SimBatch &batch);
    QJsonObject batchObject(const SimBatch &batch) const;
    QJsonObject resultOf(const BatchEntry &entry) const; // cached in the entry
    QJsonObject computeResult(const BatchEntry &entry) const;

    SimState &m_state;
};

} // namespace gp::sim
