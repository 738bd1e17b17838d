#pragma once

#include <QObject>
#include <QStringList>
#include <QUrl>

class QNetworkAccessManager;

namespace gp {

// The model picker's list, fetched through core's ModelListJob (the chat path's TLS and
// plain-http rules). Failures leave the list as it was.
class ModelCatalog final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelCatalog)

public:
    explicit ModelCatalog(QNetworkAccessManager *network, QObject *parent = nullptr);

    void fetch(const QUrl &baseUrl, const QString &apiKey, bool allowInsecureHttp);
    QStringList models() const { return m_models; }

Q_SIGNALS:
    void modelsChanged(const QStringList &models);
    void failed(const QString &message);

private:
    QNetworkAccessManager *m_network = nullptr;
    QStringList m_models;
};

} // namespace gp
