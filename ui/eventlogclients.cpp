// EventLogPanel's client filter: the clients the Charts picker offers, as the model's filter.
#include "core/telemetry/clienthubs.h"
#include "core/telemetry/telemetry.h"
#include "ui/charts/chartpanel.h"
#include "ui/consolesession.h"
#include "ui/eventlogpanel.h"

#include <QComboBox>
#include <QSignalBlocker>

namespace gp {

namespace {

const ClientHubs *hubsOf(const ConsoleSession *session)
{
    return session && session->telemetry() ? session->telemetry()->clientHubs() : nullptr;
}

} // namespace

// Rebuilt only when a client shows up for the first time; the choice stays.
void EventLogPanel::syncClientFilter()
{
    const ClientHubs *hubs = hubsOf(m_session);
    const int generation = hubs ? hubs->generation() : 0;
    if (generation == m_clientsGeneration)
        return;
    m_clientsGeneration = generation;
    const int current = m_client->count() > 0 ? m_client->currentData().toInt() : ChartPanel::kAllClients;
    {
        const QSignalBlocker quiet(m_client);
        m_client->clear();
        m_client->addItem(tr("All clients"), ChartPanel::kAllClients);
        const QList<int> used = hubs ? hubs->usedSlots() : QList<int>();
        for (int slot : used)
            m_client->addItem(ChartPanel::clientLabel(slot, hubs->nameOf(slot)), slot);
        m_client->setCurrentIndex(std::max(0, m_client->findData(current)));
    }
    if (current == ClientHubs::kOtherSlot)
        applyFilters(); // "other" means none of the named ones, and there is one more
}

void EventLogPanel::clientChoice(EventLogModel::Filter &filter) const
{
    const ClientHubs *hubs = hubsOf(m_session);
    const int slot = m_client->currentData().toInt();
    if (!hubs || m_client->currentIndex() <= 0)
        return;
    if (slot != ClientHubs::kOtherSlot) {
        filter.clients.insert(hubs->nameOf(slot)); // "" for the console's own
        return;
    }
    filter.clientsExcluded = true; // every client without a slot of its own
    filter.clients.insert(QString());
    for (int used : hubs->usedSlots())
        if (used != ClientHubs::kOtherSlot)
            filter.clients.insert(hubs->nameOf(used));
}

bool EventLogPanel::selectClient(const QString &name)
{
    syncClientFilter();
    const ClientHubs *hubs = hubsOf(m_session);
    int slot = ChartPanel::kAllClients;
    if (name == u"other")
        slot = ClientHubs::kOtherSlot;
    else if (name != u"all" && name != u"split")
        slot = hubs ? hubs->slotOf(name == u"console" ? QString() : name) : -1;
    const int index = m_client->findData(slot);
    if (index >= 0)
        m_client->setCurrentIndex(index);
    return index >= 0;
}

} // namespace gp
