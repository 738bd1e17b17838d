#include "core/telemetry/labelledmetrics.h"
#include "core/telemetry/metricshub.h"
#include "core/telemetry/prometheusformatter.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace gp;

namespace {

QJsonObject dashboard()
{
    QFile file(QStringLiteral(GP_SOURCE_DIR "/resources/grafana/grokpulse.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QStringList queries(const QJsonObject &dash)
{
    QStringList out;
    for (const QJsonValue &panel : dash.value(QLatin1String("panels")).toArray()) {
        for (const QJsonValue &target : panel.toObject().value(QLatin1String("targets")).toArray())
            out.append(target.toObject().value(QLatin1String("expr")).toString());
    }
    for (const QJsonValue &variable :
         dash.value(QLatin1String("templating")).toObject().value(QLatin1String("list")).toArray()) {
        const QJsonValue query = variable.toObject().value(QLatin1String("query"));
        if (query.isObject())
            out.append(query.toObject().value(QLatin1String("query")).toString());
    }
    return out;
}

// Families the endpoint exports, from "# TYPE name type" lines, with each histogram's series.
QSet<QString> exportedSeriesNames()
{
    MetricsHub hub;
    LabelledMetrics labelled;
    QSet<QString> names;
    for (const QByteArray &line : PrometheusFormatter::render(hub.snapshot(), labelled).split('\n')) {
        if (!line.startsWith("# TYPE "))
            continue;
        const QList<QByteArray> parts = line.split(' ');
        const QString name = QString::fromLatin1(parts.value(2));
        names.insert(name);
        if (parts.value(3) == "histogram") {
            for (const char *suffix : { "_bucket", "_sum", "_count" })
                names.insert(name + QLatin1String(suffix));
        }
    }
    return names;
}

} // namespace

class TestGrafanaDashboard final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isADashboard();
    void fiveViewsAndHeadlines_data();
    void fiveViewsAndHeadlines();
    void everyQueryNamesAnExportedMetric();
    void limitsBySourceAndClientSplit();
};

void TestGrafanaDashboard::isADashboard()
{
    QFile file(QStringLiteral(GP_SOURCE_DIR "/resources/grafana/grokpulse.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    const QJsonObject dash = doc.object();
    QCOMPARE(dash.value(QLatin1String("uid")).toString(), QStringLiteral("grokpulse"));
    QVERIFY(dash.value(QLatin1String("schemaVersion")).toInt() >= 36);
    QSet<int> ids;
    for (const QJsonValue &panel : dash.value(QLatin1String("panels")).toArray()) {
        const QJsonObject p = panel.toObject();
        QVERIFY(!p.value(QLatin1String("title")).toString().isEmpty());
        QVERIFY(p.value(QLatin1String("gridPos")).isObject());
        ids.insert(p.value(QLatin1String("id")).toInt());
    }
    QCOMPARE(ids.size(), dash.value(QLatin1String("panels")).toArray().size()); // unique ids
}

void TestGrafanaDashboard::fiveViewsAndHeadlines_data()
{
    QTest::addColumn<QString>("row");
    for (const char *view :
         { "Quota", "Failures", "Latency", "Tokens and cost", "Throughput", "Limits", "Clients" })
        QTest::newRow(view) << QString::fromLatin1(view);
}

void TestGrafanaDashboard::fiveViewsAndHeadlines()
{
    QFETCH(QString, row);
    const QJsonArray panels = dashboard().value(QLatin1String("panels")).toArray();
    int stats = 0;
    bool found = false;
    int graphsAfter = -1;
    for (const QJsonValue &panel : panels) {
        const QJsonObject p = panel.toObject();
        const QString type = p.value(QLatin1String("type")).toString();
        stats += type == QLatin1String("stat") ? 1 : 0;
        if (type == QLatin1String("row")) {
            if (found && graphsAfter >= 0)
                break;
            found = p.value(QLatin1String("title")).toString() == row;
            graphsAfter = found ? 0 : -1;
        } else if (found && type == QLatin1String("timeseries")) {
            ++graphsAfter;
        }
    }
    QVERIFY2(found, qPrintable(row));
    QVERIFY2(graphsAfter >= 2, qPrintable(QString::number(graphsAfter))); // the view has its graphs
    QVERIFY(stats >= 5); // headline numbers
}

void TestGrafanaDashboard::everyQueryNamesAnExportedMetric()
{
    const QSet<QString> exported = exportedSeriesNames();
    QVERIFY(exported.contains(QStringLiteral("gen_ai_client_operation_duration_seconds_bucket")));
    const QStringList all = queries(dashboard());
    QVERIFY(all.size() >= 20);
    static const QRegularExpression metric(QStringLiteral("\\b(?:gen_ai_client|grokpulse)_[a-z0-9_]+\\b"));
    int named = 0;
    for (const QString &query : all) {
        QVERIFY2(!query.isEmpty(), "a target without a query");
        bool any = false;
        for (auto it = metric.globalMatch(query); it.hasNext();) {
            const QString name = it.next().captured();
            QVERIFY2(exported.contains(name), qPrintable(name + QLatin1String(" in ") + query));
            any = true;
            ++named;
        }
        QVERIFY2(any, qPrintable(query));
    }
    QVERIFY(named >= all.size());
}

void TestGrafanaDashboard::limitsBySourceAndClientSplit()
{
    const QJsonObject dash = dashboard();
    bool clientVariable = false;
    for (const QJsonValue &v :
         dash.value(QLatin1String("templating")).toObject().value(QLatin1String("list")).toArray())
        clientVariable |= v.toObject().value(QLatin1String("name")).toString() == QLatin1String("client");
    QVERIFY(clientVariable);
    const QStringList all = queries(dash);
    const auto count
        = [&all](const QString &pattern) { return all.filter(QRegularExpression(pattern)).size(); };
    QVERIFY(count(QStringLiteral(R"(by \(model, source\) \(grokpulse_limit_requests_per_second)")) >= 1);
    QVERIFY(count(QStringLiteral(R"(by \(model, source\) \(grokpulse_limit_tokens_per_minute)")) >= 1);
    QVERIFY(count(QStringLiteral(R"(grokpulse_limit_active)")) >= 1);
    // Each client panel splits by client and follows the variable.
    QVERIFY(count(QStringLiteral(R"(by \((le, )?client[,)].*client=~"\$client")")) >= 4);
    QVERIFY(count(QStringLiteral(R"(gen_ai_client_operation_time_per_output_chunk_seconds_bucket)")) >= 1);
}

QTEST_GUILESS_MAIN(TestGrafanaDashboard)
#include "tst_grafanadashboard.moc"
