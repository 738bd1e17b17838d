#pragma once

#include "core/sim/simresponse.h"

#include <QString>

namespace gp::sim {

// xAI-shaped error responses: a flat {"code": "<gRPC status text>", "error": "<message>"}.
class SimErrors final
{
public:
    static SimResponse flat(int status, const QString &message);
    static QByteArray flatBody(int status, const QString &message);
    static QString grpcText(int status);
    static SimResponse badGateway(); // what a proxy in front sends: HTML
};

} // namespace gp::sim
