// ChartPanel's client picker: which client's hub the charts and tiles read, and the split view.
#include "core/telemetry/clienthubs.h"
#include "core/telemetry/telemetry.h"
#include "ui/charts/chartpanel.h"
#include "ui/charts/metricchart.h"
#include "ui/consolesession.h"

#include <QComboBox>
#include <QSignalBlocker>

namespace gp {

QString ChartPanel::clientLabel(int slot, const QString &name)
{
    switch (slot) {
    case kAllClients: return tr("All traffic");
    case kSplitByClient: return tr("All, split by client");
    case ClientHubs::kOwnSlot: return tr("This console");
    case ClientHubs::kOtherSlot: return tr("Other clients");
    default: return name;
    }
}

// The picker lists every client seen so far; rebuilt only when a new one shows up.
void ChartPanel::syncClientPicker()
{
    const ClientHubs *hubs
        = m_session && m_session->telemetry() ? m_session->telemetry()->clientHubs() : nullptr;
    const int generation = hubs ? hubs->generation() : 0;
    if (generation == m_clientsGeneration)
        return;
    m_clientsGeneration = generation;
    const QSignalBlocker quiet(m_clientPicker);
    m_clientPicker->clear();
    m_clientPicker->addItem(clientLabel(kAllClients, {}), kAllClients);
    m_clientPicker->addItem(clientLabel(kSplitByClient, {}), kSplitByClient);
    const QList<int> used = hubs ? hubs->usedSlots() : QList<int>();
    for (int slot : used)
        m_clientPicker->addItem(clientLabel(slot, hubs->nameOf(slot)), slot);
    m_clientPicker->setCurrentIndex(std::max(0, m_clientPicker->findData(m_clientSlot)));
}

void ChartPanel::setClientSlot(int slot)
{
    syncClientPicker();
    if (m_clientPicker->findData(slot) < 0)
        slot = kAllClients;
    m_clientPicker->setCurrentIndex(m_clientPicker->findData(slot));
    const bool wasSplit = m_clientSlot == kSplitByClient;
    m_clientSlot = slot;
    if (wasSplit != (slot == kSplitByClient)) {
        for (const SplitSwap &swap : std::as_const(m_swaps)) {
            MetricChart *out = wasSplit ? swap.perClient : swap.whole;
            const qsizetype at = m_charts.indexOf(out);
            if (at >= 0)
                m_charts[at] = wasSplit ? swap.whole : swap.perClient;
            out->hide();
        }
        relayout(true);
    }
    refresh();
    Q_EMIT clientChanged(slot);
}

bool ChartPanel::selectClient(const QString &name)
{
    syncClientPicker();
    const ClientHubs *hubs
        = m_session && m_session->telemetry() ? m_session->telemetry()->clientHubs() : nullptr;
    int slot = name == u"all" ? kAllClients : kSplitByClient;
    if (name != u"all" && name != u"split") {
        slot = hubs ? hubs->slotOf(name == u"console" ? QString() : name) : -1;
        if (slot < 0)
            return false; // not seen yet
    }
    setClientSlot(slot);
    return true;
}

const MetricsHub &ChartPanel::selectedHub() const
{
    const MetricsHub &all = m_session->telemetry()->hub();
    const ClientHubs *hubs = m_session->telemetry()->clientHubs();
    const MetricsHub *one = hubs && m_clientSlot >= 0 ? hubs->hub(m_clientSlot) : nullptr;
    return one ? *one : all;
}

} // namespace gp
