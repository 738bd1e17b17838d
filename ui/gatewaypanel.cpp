#include "ui/gatewaypanel.h"

#include "ui/gatewayclientsmodel.h"
#include "ui/gatewayhost.h"

#include <QApplication>
#include <QClipboard>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

#include <memory>

namespace gp {

GatewayPanel::GatewayPanel(GatewayHost *host, QWidget *parent)
    : QDialog(parent)
    , m_host(host)
{
    setWindowTitle(tr("Gateway"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Point your own programs (openai SDK, curl) at this address with the token "
                                "below: their requests are paced with the console's and show up here, "
                                "in the charts and in the journal, one row per client "
                                "(x-grokpulse-client header)."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    layout->addLayout(buildForm());

    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    layout->addWidget(m_note);

    m_clients = new QTableView(this);
    m_clients->setModel(host->clients());
    m_clients->setAccessibleName(tr("Gateway clients"));
    m_clients->verticalHeader()->hide();
    // Numbers as wide as they need, the client's name takes the rest: no sideways scrolling.
    m_clients->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_clients->horizontalHeader()->setSectionResizeMode(GatewayClientsModel::ClientColumn,
                                                        QHeaderView::Stretch);
    m_clients->setSelectionBehavior(QAbstractItemView::SelectRows);
    layout->addWidget(m_clients, 1);

    connect(m_startStop, &QPushButton::clicked, this, &GatewayPanel::toggle);
    connect(m_copy, &QPushButton::clicked, this, &GatewayPanel::copyToken);
    connect(m_reveal, &QPushButton::toggled, this, [this](bool shown) {
        m_token->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_reveal->setText(shown ? tr("Hide") : tr("Show"));
    });
    connect(host, &GatewayHost::runningChanged, this, &GatewayPanel::refresh);
    resize(720, 420);
    refresh();
}

GatewayPanel::~GatewayPanel() = default;

QFormLayout *GatewayPanel::buildForm()
{
    auto *form = new QFormLayout;
    auto *listenRow = new QHBoxLayout;
    m_port = new QSpinBox(this);
    m_port->setRange(0, 65535);
    m_port->setValue(8787);
    m_port->setAccessibleName(tr("Gateway port on 127.0.0.1 (0: any free port)"));
    m_startStop = new QPushButton(tr("Start"), this);
    m_startStop->setAccessibleName(tr("Start or stop the gateway"));
    listenRow->addWidget(m_port);
    listenRow->addWidget(m_startStop);
    listenRow->addStretch(1);
    form->addRow(tr("Port on 127.0.0.1:"), listenRow);
    m_address = new QLabel(this);
    m_address->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Base URL:"), m_address);
    m_upstream = new QLabel(this);
    m_upstream->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Upstream:"), m_upstream);

    auto *tokenRow = new QHBoxLayout;
    m_token = new QLineEdit(this);
    m_token->setReadOnly(true);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setAccessibleName(tr("Gateway token (masked)"));
    m_reveal = new QPushButton(tr("Show"), this);
    m_reveal->setCheckable(true);
    m_copy = new QPushButton(tr("Copy"), this);
    m_copy->setAccessibleName(tr("Copy the gateway token"));
    tokenRow->addWidget(m_token, 1);
    tokenRow->addWidget(m_reveal);
    tokenRow->addWidget(m_copy);
    form->addRow(tr("Token:"), tokenRow);
    return form;
}

QAction *GatewayPanel::addToMenu(QMenu *menu, ConsoleSession *session, QWidget *window)
{
    auto *host = new GatewayHost(session, window);
    QAction *action = menu->addAction(tr("&Gateway…"));
    action->setObjectName(QStringLiteral("gatewayAction"));
    auto panel = std::make_shared<QPointer<GatewayPanel>>();
    connect(action, &QAction::triggered, window, [host, window, panel] {
        if (!*panel)
            *panel = new GatewayPanel(host, window);
        (*panel)->show();
        (*panel)->raise();
        (*panel)->activateWindow();
    });
    return action;
}

QString GatewayPanel::addressText() const
{
    return m_address->text();
}

void GatewayPanel::toggle()
{
    if (m_host->isRunning()) {
        m_host->stop();
        return;
    }
    QString error;
    m_lastError.clear();
    if (!m_host->start(quint16(m_port->value()), &error)) {
        m_lastError = error;
        m_note->setText(tr("The gateway did not start: %1").arg(error));
    }
}

void GatewayPanel::copyToken()
{
    if (!m_host->token().isEmpty())
        QApplication::clipboard()->setText(QString::fromLatin1(m_host->token()));
}

void GatewayPanel::refresh()
{
    const bool running = m_host->isRunning();
    m_startStop->setText(running ? tr("Stop") : tr("Start"));
    m_port->setEnabled(!running);
    m_address->setText(running ? m_host->baseUrl() : tr("(not running)"));
    m_upstream->setText(m_host->upstreamText());
    m_token->setText(QString::fromLatin1(m_host->token()));
    m_copy->setEnabled(!m_host->token().isEmpty());
    m_reveal->setEnabled(!m_host->token().isEmpty());
    if (running)
        m_note->setText(tr("Token file: %1. Clients send 'Authorization: Bearer <token>'; "
                           "the upstream key stays in the console.")
                            .arg(m_host->tokenPath()));
    else if (m_lastError.isEmpty())
        m_note->setText(tr("Stopped."));
}

} // namespace gp
