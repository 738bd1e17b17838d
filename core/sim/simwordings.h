#pragma once

#include "core/sim/scenario.h"
#include "core/sim/simresponse.h"

#include <QString>

namespace gp::sim {

// Requests one model received (valid chat calls, admitted or not) in the last second and
// the last minute: the "actual" in an xAI 429.
struct RequestCounts
{
    qint64 lastSecond = 0;
    qint64 lastMinute = 0;
};

// The texts of quota and access errors, in the wording the scenario asks for:
// - Xai: api.x.ai as of 2026, {"code":"resource-exhausted","error":"Too many requests for team
//   <uuid> and model <m>. Your team's rate limit is — Requests per Second (actual/limit): A/L,
//   ..."} and "Too many tokens for team ..." (one wording for a full window and for a
//   request too large alone), the credits, free-quota and permission-denied bodies;
// - Classic: the simulator's earlier English ("... Please slow down.");
// - Capacity: every limiter 429 says only that the service is at capacity.
class SimWordings final
{
public:
    static constexpr const char *kTeamId = "5f0c3d7e-9a41-4b2c-8e6f-1d2a3b4c5d6e";
    static constexpr const char *kTierSentence
        = "Your rate limit tier is determined based on your historical API spend. To learn how to "
          "increase your rate limit tier, please visit https://console.x.ai/team/default/rate-limits.";

    // withTier: append the sentence about tiers (xAI sends it on some 429s, not all).
    static SimResponse requestsLimited(Wording wording, const QString &model, const ModelLimits &limits,
                                       const RequestCounts &counts, bool withTier);
    // actual: tokens in the window including this request's reservation.
    static SimResponse tokensLimited(Wording wording, const QString &model, qint64 actual, qint64 limit);
    // A reservation larger than the whole per-minute limit; xAI words it like a full window.
    static SimResponse tokensTooLarge(Wording wording, const QString &model, qint64 actual, qint64 limit);
    static SimResponse capacity(Wording wording, const QString &model);
    static SimResponse credits(Wording wording, int status);
    static SimResponse freeQuota();
    static SimResponse permissionDenied();
    static SimResponse noRoute(Wording wording, const QByteArray &path);

    // {"code": code, "error": message}
    static SimResponse coded(int status, const QString &code, const QString &message);
    static QString formatLimit(double value); // 10, 0.5, 2.25
};

} // namespace gp::sim
