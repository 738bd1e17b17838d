#include "ui/modelcatalog.h"

#include "core/client/modellistjob.h"

namespace gp {

ModelCatalog::ModelCatalog(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
{ }

void ModelCatalog::fetch(const QUrl &baseUrl, const QString &apiKey, bool allowInsecureHttp)
{
    ModelListJob::Target target;
    target.baseUrl = baseUrl;
    target.apiKey = apiKey;
    target.allowInsecureHttp = allowInsecureHttp;
    auto *job = ModelListJob::start(m_network, target, this);
    connect(job, &ModelListJob::finished, this, [this](const QStringList &models, const Error &error) {
        if (error.isError()) {
            Q_EMIT failed(tr("Could not list models: %1").arg(error.message));
            return;
        }
        m_models = models;
        Q_EMIT modelsChanged(m_models);
    });
}

} // namespace gp
