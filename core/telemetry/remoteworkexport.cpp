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

std::optional<qsizetype> page(const JournalReader &reader, const RemoteWorkQuery &query,
                              QList<QVariantList> *page, QString *error)
{
    const auto rows = reader.remoteWork(query, error);
    if (!rows)
        return std::nullopt;
    for (const RemoteWork &w : *rows)
        page->append(row(w));
    return rows->size();
}

} // namespace gp::remoteworkexport
