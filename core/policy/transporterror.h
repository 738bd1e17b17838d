#pragma once

#include <QString>

namespace gp {

// What went wrong below HTTP, mapped by the client from QNetworkReply::NetworkError so
// that policy stays free of QtNetwork.
enum class TransportError {
    None,
    ConnectionRefused,
    ConnectionReset, // reset or closed by the peer before a complete response
    ClosedEarly, // body shorter than announced, stream ended without [DONE]
    HostNotFound,
    FirstByteTimeout, // includes connecting
    IdleTimeout, // silence between stream chunks / body bytes
    AttemptTimeout, // the whole attempt took too long
    Tls, // certificate or handshake failure
    Protocol, // unparseable HTTP
    Other,
};

QString transportErrorName(TransportError error); // "connection_refused", ...
bool isTimeout(TransportError error);

} // namespace gp
