#include "core/sim/simerrors.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace gp::sim {

QString SimErrors::grpcText(int status)
{
    switch (status) {
    case 400:
    case 415:
    case 422: return QStringLiteral("Client specified an invalid argument");
    case 401:
        return QStringLiteral("The request does not have valid authentication credentials for the operation");
    case 403: return QStringLiteral("The caller does not have permission to execute the specified operation");
    case 404: return QStringLiteral("Some requested entity was not found");
    case 405:
        return QStringLiteral("The operation is not implemented or is not supported/enabled in this service");
    case 429: return QStringLiteral("Some resource has been exhausted");
    case 503:
    case 529: return QStringLiteral("The service is currently unavailable");
    case 504: return QStringLiteral("The deadline expired before the operation could complete");
    default: return QStringLiteral("Internal error");
    }
}

QByteArray SimErrors::flatBody(int status, const QString &message)
{
    return QJsonDocument(QJsonObject { { QStringLiteral("code"), grpcText(status) },
                                       { QStringLiteral("error"), message } })
        .toJson(QJsonDocument::Compact);
}

SimResponse SimErrors::flat(int status, const QString &message)
{
    SimResponse r;
    r.status = status;
    r.headers.append(SimHeader { "Content-Type", "application/json" });
    r.body = flatBody(status, message);
    return r;
}

SimResponse SimErrors::badGateway()
{
    SimResponse r;
    r.status = 502;
    r.headers.append(SimHeader { "Content-Type", "text/html" });
    r.body = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
             "Gateway</h1>"
             "</center>\r\n</body>\r\n</html>\r\n";
    return r;
}

} // namespace gp::sim
