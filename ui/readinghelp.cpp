#include "ui/readinghelp.h"

#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QMessageBox>
#include <QTextBrowser>
#include <QVBoxLayout>

#ifndef GP_VERSION
#define GP_VERSION "dev"
#endif

namespace gp {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("gp::ReadingHelp", text);
}
} // namespace

QString ReadingHelp::howToRead()
{
    return tr(
        "<h3>How to read this screen</h3>"
        "<p><b>The line under the menu</b> is the alert line. Red: something needs you now (the "
        "sentence names the cause: our quota, an overloaded server, server errors, the network). Blue: "
        "information, or an alert that resolved. It is always one line high, so nothing below it moves. "
        "<i>Alerts: N</i> at the bottom right opens every alert of the session.</p>"
        "<p><b>The tiles</b> are the numbers to read first, the last 60 s unless they say otherwise: "
        "requests and tokens left of the quota with the time to its reset (<i>done</i>: it has reset "
        "since the last reply, which said when), spend (session and today), "
        "the share of attempts that failed and that were retried, latency p95 (p50 below it), "
        "throughput, and what is in flight or waiting. Green is fine, orange needs a look, red is bad; "
        "the small line in each tile is its last 60 s.</p>"
        "<p><b>The charts</b> share one time axis (5 minutes, 1 hour or 24 hours; the newest moment is "
        "on the right). <i>Quota left</i>: the filled area is what is left, in % of the dashed limit; "
        "the ticks on its baseline are resets. <i>Failed attempts</i>: solid is what failed for good, "
        "light is what was retried, one colour per cause; grey shading is where the circuit breaker "
        "held traffic; red squares are alerts (their names beside them). <i>Latency</i>: p50, p95 and "
        "p99 from submit to answer, queue and retries included; a gap means nothing finished then. "
        "<i>Requests finished</i>: answered and not answered per interval, with the success rate on the "
        "right axis. <i>Tokens and cost</i> per interval. A hatched block is the interval still "
        "counting.</p>"
        "<p><b>Point at any chart</b>: a dashed crosshair marks that moment on every chart, and the "
        "exact values appear in the tooltip (and, in two columns, in the box at the bottom right).</p>"
        "<p><b>The status bar</b> says where requests go (the simulator in demo mode), what waits, what "
        "is in flight, the breaker's state and the next quota reset.</p>");
}

QString ReadingHelp::about()
{
    return tr("<h3>GrokPulse %1</h3>"
              "<p>Calls rate-limited LLM APIs (xAI Grok) reliably and shows, live, how much quota is "
              "left, what is retried and why, how slow and how costly it is.</p>"
              "<p>Built with Qt %2 (running on Qt %3).</p>")
        .arg(QStringLiteral(GP_VERSION), QStringLiteral(QT_VERSION_STR), QString::fromLatin1(qVersion()));
}

void ReadingHelp::showHowToRead(QWidget *parent)
{
    QDialog dialog(parent);
    dialog.setWindowTitle(tr("How to read this screen"));
    auto *layout = new QVBoxLayout(&dialog);
    auto *text = new QTextBrowser(&dialog);
    text->setHtml(howToRead());
    text->setAccessibleName(tr("How to read this screen"));
    layout->addWidget(text);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    layout->addWidget(buttons);
    dialog.resize(640, 520);
    dialog.exec();
}

void ReadingHelp::showAbout(QWidget *parent)
{
    QMessageBox::about(parent, tr("About GrokPulse"), about());
}

} // namespace gp
