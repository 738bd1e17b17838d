#pragma once

#include <QObject>
#include <QStringList>
#include <QUrl>

class QNetworkAccessManager;

namespace gp {

// GET {base}/models: the model picker's list. Failures leave the list as it was.
class ModelCatalog final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelCatalog)

public:
    explicit ModelCatalog(QNetworkAccessManager *network, QObject *parent = nullptr);

    void fetch(const QUrl &baseUrl, const QString &apiKey);
    QStringList models() const { return m_models; }

Q_SIGNALS:
    void modelsChanged(const QStringList &models);
    void failed(const QString &message);

private:
    QNetworkAccessManager *m_network = nullptr;
    QStringList m_models;
};

} // namespace gp
