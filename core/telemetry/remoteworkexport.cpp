#include "core/telemetry/remoteworkexport.h"

#include "core/telemetry/exportrow.h"

using namespace Qt::StringLiterals;

namespace gp::remoteworkexport {

namespace {

QVariantList row(const RemoteWork &w)
{
    using namespace exportrow;
    return { w.workId,
             w.runId,
             textValue(w.via),
             textValue(w.batchId),
             textValue(w.requestId),
             textValue(w.customId),
             nullIf(w.line <= 0, w.line),
             textValue(w.state),
             timeValue(w.createdMs),
             timeValue(w.updatedMs),
             textValue(w.inputPath),
             textValue(w.outputPath) };
}

} // namespace

QStringList columns()
{
    return { u"work_id"_s, u"run_id"_s, u"via"_s,     u"batch_id"_s, u"request_id"_s, u"custom_id"_s,
             u"line"_s,    u"state"_s,  u"created"_s, u"updated"_s,  u"input_path"_s, u"output_path"_s };
}

std::optional<qint64> write(const JournalReader &reader, const RemoteWorkQuery &query,
                            JournalExporter::Format format, QIODevice &out, QString *error)
{
    const QStringList cols = columns();
    qint64 rows = 0;
    bool written = true;
    const bool read = reader.forEachRemoteWork(
        query,
        [&](const RemoteWork &w) {
            written = exportrow::writeRow(out, format, cols, row(w));
            rows += written ? 1 : 0;
            return written;
        },
        error);
    if (!written) {
        if (error)
            *error = u"cannot write the export: "_s + out.errorString();
        return std::nullopt;
    }
    return read ? std::optional<qint64>(rows) : std::nullopt;
}

} // namespace gp::remoteworkexport
