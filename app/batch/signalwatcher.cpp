#include "app/batch/signalwatcher.h"

#include <QSocketNotifier>

#include <csignal>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace gp {

namespace {

int g_fds[2] = { -1, -1 };
volatile std::sig_atomic_t g_received = 0;

// The event loop gets this long to act on a second signal before the process ends anyway.
constexpr unsigned SecondSignalGraceSeconds = 3;

void onAlarm(int)
{
    ::_exit(130);
}

void onSignal(int signalNumber)
{
    const unsigned char byte = static_cast<unsigned char>(signalNumber);
    [[maybe_unused]] const ssize_t written = ::write(g_fds[0], &byte, 1);
    // A second signal means "now", even when the event loop is stuck (a blocking call,
    // a bug): if it has not exited within a few seconds, the alarm ends the process.
    g_received = g_received + 1;
    if (g_received >= 2)
        ::alarm(SecondSignalGraceSeconds);
}

bool setHandler(int signalNumber, void (*handler)(int))
{
    struct sigaction action = {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(signalNumber, &action, nullptr) == 0;
}

} // namespace

SignalWatcher::SignalWatcher(QObject *parent)
    : QObject(parent)
{ }

SignalWatcher::~SignalWatcher()
{
    if (!m_installed)
        return;
    setHandler(SIGINT, SIG_DFL);
    setHandler(SIGTERM, SIG_DFL);
    ::alarm(0);
    setHandler(SIGALRM, SIG_DFL);
    delete m_notifier;
    ::close(g_fds[0]);
    ::close(g_fds[1]);
    g_fds[0] = g_fds[1] = -1;
}

bool SignalWatcher::install(QString *error)
{
    if (g_fds[0] >= 0 || ::socketpair(AF_UNIX, SOCK_STREAM, 0, g_fds) != 0) {
        *error = u"cannot create the signal socket pair"_s;
        return false;
    }
    // A full pipe must never block the handler; dropping a byte then is harmless.
    ::fcntl(g_fds[0], F_SETFL, ::fcntl(g_fds[0], F_GETFL) | O_NONBLOCK);
    m_notifier = new QSocketNotifier(g_fds[1], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SignalWatcher::onReadable);
    m_installed = true;
    g_received = 0;
    if (!setHandler(SIGALRM, onAlarm) || !setHandler(SIGINT, onSignal) || !setHandler(SIGTERM, onSignal)) {
        *error = u"cannot install the SIGINT/SIGTERM handlers"_s;
        return false;
    }
    return true;
}

void SignalWatcher::onReadable()
{
    unsigned char byte = 0;
    if (::read(g_fds[1], &byte, 1) != 1)
        return;
    Q_EMIT signalled(int(byte), ++m_count);
}

} // namespace gp
