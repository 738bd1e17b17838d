#pragma once

#include <QByteArray>
#include <QJsonObject>

namespace gp {

// Whether the gateway can send a client's request body upstream as it arrived, byte for byte
// (key order, whitespace, escapes, unknown fields), or must let GrokPulse rebuild it. It is
// rebuilt only when GrokPulse must change what it says:
//  - no "model" (or an empty one): GrokPulse fills in its default model;
//  - a chat stream without stream_options.include_usage: GrokPulse adds include_usage: true, so
//    the last chunk carries the usage that prices the request and feeds the token pacing;
//  - a chat body that is not a stream but has stream_options: GrokPulse drops them (they mean
//    something only when streaming, and an OpenAI-compatible server may refuse them).
// The body is parsed either way: the parsed request gives the pacing estimate and the events.
class UpstreamBody final
{
public:
    enum class Route { ChatCompletions, Responses };

    // `raw` when it can go as it is, else empty (the request's own serialisation is sent).
    static QByteArray passThrough(Route route, const QJsonObject &parsed, const QByteArray &raw);
};

} // namespace gp
