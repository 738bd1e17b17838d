// Sends one prompt through GrokPulse (pacing, retries, classification) and prints the answer.
// usage: embed BASE_URL "prompt"   (the key comes from XAI_API_KEY)
#include <core/client/client.h>

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 3) {
        QTextStream(stderr) << "usage: embed BASE_URL PROMPT (key from XAI_API_KEY)\n";
        return 2;
    }
    gp::ClientConfig config;
    config.baseUrl = QUrl(QString::fromLocal8Bit(argv[1]));
    config.apiKey = qEnvironmentVariable("XAI_API_KEY");
    gp::Client client(config);

    gp::ChatRequest request;
    request.messages.append({ QStringLiteral("user"), QString::fromLocal8Bit(argv[2]) });
    gp::RequestJob *job = client.submit(request);
    QObject::connect(job, &gp::RequestJob::finished, &app, [](const gp::Outcome &outcome) {
        if (outcome.isSuccess()) {
            QTextStream(stdout) << outcome.response.text() << '\n';
            QCoreApplication::exit(0);
        } else {
            QTextStream(stderr) << "failed: " << outcome.error.message << '\n';
            QCoreApplication::exit(1);
        }
    });
    return QCoreApplication::exec();
}
