#include "app/batch/viaoptions.h"

#include <QCommandLineParser>

#include <cmath>

using namespace Qt::StringLiterals;

namespace gp {

QString viaName(BatchOptions::Via via)
{
    switch (via) {
    case BatchOptions::Via::Direct: return u"direct"_s;
    case BatchOptions::Via::XaiBatch: return u"xai-batch"_s;
    case BatchOptions::Via::Deferred: return u"deferred"_s;
    }
    return u"direct"_s;
}

bool readViaOptions(const QCommandLineParser &parser, BatchOptions *o, QString *error)
{
    if (parser.isSet(u"via"_s)) {
        const QString via = parser.value(u"via"_s);
        if (via == "direct"_L1)
            o->via = BatchOptions::Via::Direct;
        else if (via == "xai-batch"_L1)
            o->via = BatchOptions::Via::XaiBatch;
        else if (via == "deferred"_L1)
            o->via = BatchOptions::Via::Deferred;
        else {
            *error = u"--via must be direct, xai-batch or deferred"_s;
            return false;
        }
    }
    if (parser.isSet(u"poll-interval"_s)) {
        bool ok = false;
        const double seconds = parser.value(u"poll-interval"_s).toDouble(&ok);
        if (!ok || !std::isfinite(seconds) || seconds < 0.01 || seconds > 3600) {
            *error = u"--poll-interval must be a number of seconds from 0.01 to 3600"_s;
            return false;
        }
        o->pollMs = qint64(seconds * 1000.0);
        o->pollCapMs = std::max(o->pollMs, o->pollCapMs);
    }
    if (parser.isSet(u"batch-chunk-bytes"_s)) {
        bool ok = false;
        const qint64 bytes = parser.value(u"batch-chunk-bytes"_s).toLongLong(&ok);
        if (!ok || bytes < 1024 || bytes > 25 * 1000 * 1000) {
            *error = u"--batch-chunk-bytes must be an integer from 1024 to 25000000"_s;
            return false;
        }
        o->batchChunkBytes = bytes;
    }
    o->exactTokens = parser.isSet(u"exact-tokens"_s);
    if (o->via != BatchOptions::Via::Direct && o->stream) {
        *error = u"--stream works only with --via direct"_s;
        return false;
    }
    return true;
}

} // namespace gp
