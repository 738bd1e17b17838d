#include "app/batch/batchcommand.h"

#include "app/batch/batchoptions.h"
#include "app/batch/batchsession.h"

#include <QCoreApplication>
#include <QTextStream>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace gp {

int runBatchCommand(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"grokpulse-batch"_s);
    const BatchOptionsResult parsed
        = parseBatchOptions(QCoreApplication::arguments(), qEnvironmentVariable("GROKPULSE_BASE_URL"));
    if (!parsed.helpText.isEmpty()) {
        QTextStream(stdout) << parsed.helpText;
        return 0;
    }
    if (!parsed.options) {
        QTextStream(stderr) << "grokpulse batch: " << parsed.error << "\n(see grokpulse batch --help)\n";
        return 2;
    }
    BatchSession session(*parsed.options);
    const int setup = session.setUp();
    if (setup != 0)
        return setup;
    // On the running loop: a run with nothing to send finishes inside start(), and its
    // quit must come after exec() has begun, or the process would wait forever.
    QTimer::singleShot(0, &session, &BatchSession::start);
    return QCoreApplication::exec();
}

} // namespace gp
