#include "core/telemetry/journalexporter.h"

#include "core/telemetry/exportrow.h"
#include "core/telemetry/journaldatabase.h"
#include "core/telemetry/journalreader.h"
#include "core/telemetry/remoteworkexport.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTimeZone>

#include <limits>

namespace gp {

namespace {

constexpr int kPage = 1000;

using exportrow::nullIf;
using exportrow::textValue;
using exportrow::timeValue;

QVariantList eventRow(const JournalEvent &row, bool errorsOnly)
{
    const Event &e = row.event;
    const QVariant errorClass = nullIf(e.errorClass == ErrorClass::None, errorClassName(e.errorClass));
    const QVariant bucket
        = nullIf(e.errorClass == ErrorClass::None, errorBucketName(errorBucketOf(e.errorClass)));
    if (errorsOnly)
        return { timeValue(e.timeMs),
                 nullIf(!e.jobId, qint64(e.jobId)),
                 nullIf(!e.attempt, e.attempt),
                 eventKindName(e.kind),
                 textValue(e.model),
                 textValue(e.customId),
                 textValue(e.requestId),
                 nullIf(!e.httpStatus, e.httpStatus),
                 errorClass,
                 bucket,
                 textValue(e.message),
                 textValue(e.client),
                 nullIf(!row.runId, row.runId) };
    const auto opt = [](const std::optional<qint64> &v) { return v ? QVariant(*v) : QVariant(); };
    const bool u = e.usage.present;
    return { timeValue(e.timeMs),
             nullIf(!e.jobId, qint64(e.jobId)),
             nullIf(!e.attempt, e.attempt),
             eventKindName(e.kind),
             priorityName(e.priority),
             textValue(e.model),
             textValue(e.customId),
             textValue(e.requestId),
             nullIf(!e.httpStatus, e.httpStatus),
             errorClass,
             bucket,
             nullIf(!e.delayMs, e.delayMs),
             nullIf(e.ttfbMs < 0, e.ttfbMs),
             nullIf(e.durationMs < 0, e.durationMs),
             nullIf(!u, e.usage.promptTokens),
             nullIf(!u, e.usage.completionTokens),
             nullIf(!u, e.usage.reasoningTokens),
             nullIf(!u, e.usage.cachedTokens),
             e.usage.costUsd() ? QVariant(*e.usage.costUsd()) : QVariant(),
             opt(e.quota.requests.remaining),
             opt(e.quota.requests.limit),
             opt(e.quota.tokens.remaining),
             opt(e.quota.tokens.limit),
             opt(e.quota.requests.resetInMs),
             textValue(e.alertId),
             textValue(e.message),
             textValue(e.client),
             nullIf(!row.runId, row.runId) };
}

QVariantList requestRow(const JournalRequest &r)
{
    return { timeValue(r.submittedMs),
             timeValue(r.finishedMs),
             r.runId,
             qint64(r.jobId),
             textValue(r.customId),
             textValue(r.priority),
             textValue(r.model),
             textValue(r.outcome),
             r.attempts,
             nullIf(r.ttfbMs < 0, r.ttfbMs),
             nullIf(r.latencyMs < 0, r.latencyMs),
             r.promptTokens,
             r.completionTokens,
             r.reasoningTokens,
             r.cachedTokens,
             r.costUsd ? QVariant(*r.costUsd) : QVariant(),
             textValue(r.errorClass),
             nullIf(!r.httpStatus, r.httpStatus),
             textValue(r.errorMessage),
             textValue(r.requestId),
             textValue(r.client) };
}

QStringList errorColumns()
{
    return { QStringLiteral("time"),         QStringLiteral("job_id"),      QStringLiteral("attempt"),
             QStringLiteral("kind"),         QStringLiteral("model"),       QStringLiteral("custom_id"),
             QStringLiteral("request_id"),   QStringLiteral("http_status"), QStringLiteral("error_class"),
             QStringLiteral("error_bucket"), QStringLiteral("message"),     QStringLiteral("client"),
             QStringLiteral("run_id") };
}

QStringList requestColumns()
{
    return { QStringLiteral("submitted"),
             QStringLiteral("finished"),
             QStringLiteral("run_id"),
             QStringLiteral("job_id"),
             QStringLiteral("custom_id"),
             QStringLiteral("priority"),
             QStringLiteral("model"),
             QStringLiteral("outcome"),
             QStringLiteral("attempts"),
             QStringLiteral("ttfb_ms"),
             QStringLiteral("latency_ms"),
             QStringLiteral("prompt_tokens"),
             QStringLiteral("completion_tokens"),
             QStringLiteral("reasoning_tokens"),
             QStringLiteral("cached_tokens"),
             QStringLiteral("cost_usd"),
             QStringLiteral("error_class"),
             QStringLiteral("http_status"),
             QStringLiteral("error_message"),
             QStringLiteral("request_id"),
             QStringLiteral("client") };
}

QStringList eventColumns()
{
    return { QStringLiteral("time"),
             QStringLiteral("job_id"),
             QStringLiteral("attempt"),
             QStringLiteral("kind"),
             QStringLiteral("priority"),
             QStringLiteral("model"),
             QStringLiteral("custom_id"),
             QStringLiteral("request_id"),
             QStringLiteral("http_status"),
             QStringLiteral("error_class"),
             QStringLiteral("error_bucket"),
             QStringLiteral("delay_ms"),
             QStringLiteral("ttfb_ms"),
             QStringLiteral("duration_ms"),
             QStringLiteral("prompt_tokens"),
             QStringLiteral("completion_tokens"),
             QStringLiteral("reasoning_tokens"),
             QStringLiteral("cached_tokens"),
             QStringLiteral("cost_usd"),
             QStringLiteral("requests_remaining"),
             QStringLiteral("requests_limit"),
             QStringLiteral("tokens_remaining"),
             QStringLiteral("tokens_limit"),
             QStringLiteral("reset_in_ms"),
             QStringLiteral("alert_id"),
             QStringLiteral("message"),
             QStringLiteral("client"),
             QStringLiteral("run_id") };
}

// One page of requests as rows, those the filter keeps; returns how many the journal gave (before
// keepRequest), or nullopt on a read error.
std::optional<qsizetype> requestPage(const JournalReader &reader, const JournalExporter::Filter &filter,
                                     qint64 from, qint64 to, int offset, QList<QVariantList> *page,
                                     QString *error)
{
    RequestQuery query;
    query.fromMs = from;
    query.toMs = to;
    query.limit = kPage;
    query.offset = offset;
    query.client = filter.client;
    query.runId = filter.runId;
    const auto requests = reader.requests(query, error);
    if (!requests)
        return std::nullopt;
    for (const JournalRequest &r : *requests)
        if (!filter.keepRequest || filter.keepRequest(r))
            page->append(requestRow(r));
    return requests->size();
}

// One page of events as rows, those the filter keeps; returns how many the journal gave (before
// the keep filter), or nullopt on a read error.
std::optional<qsizetype> eventPage(const JournalReader &reader, const JournalExporter::Filter &filter,
                                   qint64 from, qint64 to, int offset, bool errorsOnly,
                                   QList<QVariantList> *page, QString *error)
{
    EventQuery query;
    query.fromMs = from;
    query.toMs = to;
    query.errorsOnly = errorsOnly;
    query.limit = kPage;
    query.offset = offset;
    query.errorBuckets = filter.errorBuckets;
    query.text = filter.text;
    query.client = filter.client;
    query.runId = filter.runId;
    const auto events = reader.journalEvents(query, error);
    if (!events)
        return std::nullopt;
    for (const JournalEvent &e : *events)
        if (!filter.keep || filter.keep(e))
            page->append(eventRow(e, query.errorsOnly));
    return events->size();
}

struct PageAt
{
    qint64 from;
    qint64 to;
    int offset;
};

std::optional<qsizetype> readPage(const JournalReader &reader, const JournalExporter::Options &options,
                                  const JournalExporter::Filter &filter, const PageAt &at,
                                  QList<QVariantList> *page, QString *error)
{
    using What = JournalExporter::What; // What::Remote is not paged: remoteworkexport::write
    if (options.what == What::Requests)
        return requestPage(reader, filter, at.from, at.to, at.offset, page, error);
    return eventPage(reader, filter, at.from, at.to, at.offset, options.what == What::Errors, page, error);
}

} // namespace

QStringList JournalExporter::columns(What what)
{
    switch (what) {
    case What::Errors: return errorColumns();
    case What::Requests: return requestColumns();
    case What::Remote: return remoteworkexport::columns();
    case What::Events: break;
    }
    return eventColumns();
}

std::optional<qint64> JournalExporter::run(const JournalReader &reader, const Options &options,
                                           QIODevice &out, QString *error)
{
    return run(reader, options, Filter {}, out, error);
}

QString JournalExporter::unavailable(const JournalReader &reader, What what, const Filter &filter)
{
    if (what != What::Remote)
        return {};
    if (!filter.client.isEmpty())
        return QStringLiteral("remote work has no gateway client: a client filter applies to errors, "
                              "requests and events only");
    if (reader.isOpen() && !reader.hasRemoteWork())
        return QStringLiteral("this journal has schema version %1, older than the remote work table "
                              "(version %2): it holds no batch --via work (a batch --via run with "
                              "--journal on this file migrates it)")
            .arg(reader.schemaVersion())
            .arg(JournalDatabase::kRemoteWorkSince);
    return {};
}

std::optional<qint64> JournalExporter::run(const JournalReader &reader, const Options &options,
                                           const Filter &filter, QIODevice &out, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (const QString why = unavailable(reader, options.what, filter); !why.isEmpty())
        return fail(why);
    const QStringList cols = columns(options.what);
    if (!exportrow::writeHeader(out, options.format, cols))
        return fail(QStringLiteral("cannot write the export: ") + out.errorString());
    const qint64 from = options.sinceMs.value_or(std::numeric_limits<qint64>::min());
    const qint64 to = options.untilMs.value_or(std::numeric_limits<qint64>::max());
    if (options.what == What::Remote)
        return remoteworkexport::write(reader, { from, to, filter.runId }, options.format, out, error);
    qint64 rows = 0;
    for (int offset = 0;; offset += kPage) {
        QList<QVariantList> page;
        // How many the journal gave, before a keep filter: a short page is the last.
        const std::optional<qsizetype> fetched
            = readPage(reader, options, filter, { from, to, offset }, &page, error);
        if (!fetched)
            return std::nullopt;
        for (const QVariantList &row : page) {
            if (!exportrow::writeRow(out, options.format, cols, row))
                return fail(QStringLiteral("cannot write the export: ") + out.errorString());
        }
        rows += page.size();
        if (*fetched < kPage)
            return rows;
    }
}

std::optional<JournalExporter::What> JournalExporter::parseWhat(const QString &text)
{
    if (text == u"errors")
        return What::Errors;
    if (text == u"requests")
        return What::Requests;
    if (text == u"events")
        return What::Events;
    if (text == u"remote")
        return What::Remote;
    return std::nullopt;
}

std::optional<JournalExporter::Format> JournalExporter::parseFormat(const QString &text)
{
    if (text == u"csv")
        return Format::Csv;
    if (text == u"jsonl")
        return Format::Jsonl;
    return std::nullopt;
}

std::optional<qint64> JournalExporter::parseTime(const QString &text, qint64 nowMs)
{
    static const QRegularExpression relative(QStringLiteral(R"(^(\d{1,9})(ms|s|m|h|d)$)"));
    const QString t = text.trimmed();
    if (const auto m = relative.match(t); m.hasMatch()) {
        const qint64 n = m.captured(1).toLongLong();
        const QString unit = m.captured(2);
        const qint64 scale = unit == u"ms" ? 1
            : unit == u"s"                 ? 1000
            : unit == u"m"                 ? 60'000
            : unit == u"h"                 ? 3'600'000
                                           : 86'400'000;
        return nowMs - n * scale;
    }
    QDateTime dt = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!dt.isValid())
        dt = QDateTime::fromString(t, Qt::ISODate);
    if (!dt.isValid()) {
        const QDate date = QDate::fromString(t, Qt::ISODate);
        if (!date.isValid())
            return std::nullopt;
        dt = date.startOfDay(QTimeZone::utc());
    }
    if (dt.timeSpec() == Qt::LocalTime) // no offset named: the documented default is UTC
        dt.setTimeZone(QTimeZone::utc());
    return dt.toMSecsSinceEpoch();
}

QString JournalExporter::isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc())
        .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
}

QString JournalExporter::csvField(const QString &text)
{
    static const QRegularExpression special(QStringLiteral("[,\"\r\n]"));
    if (!text.contains(special))
        return text;
    QString quoted = text;
    quoted.replace(u'"', QStringLiteral("\"\""));
    return u'"' + quoted + u'"';
}

} // namespace gp
