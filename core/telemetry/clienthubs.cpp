#include "core/telemetry/clienthubs.h"

namespace gp {

namespace {

// Shared by every client: the team's quota and the one circuit breaker.
bool isSharedState(EventKind kind)
{
    switch (kind) {
    case EventKind::QuotaUpdated:
    case EventKind::BreakerOpened:
    case EventKind::BreakerHalfOpen:
    case EventKind::BreakerClosed: return true;
    default: return false;
    }
}

bool isJobEvent(const Event &event)
{
    return event.jobId != 0 || event.kind == EventKind::Submitted || isTerminal(event.kind);
}

} // namespace

ClientHubs::ClientHubs()
    : m_hubs(size_t(kSlotCount))
{
    for (int i = 0; i < kSlotCount; ++i)
        m_names.append(QString());
}

ClientHubs::~ClientHubs() = default;

int ClientHubs::slotOf(const QString &client) const
{
    if (client.isEmpty())
        return m_hubs[size_t(kOwnSlot)] ? kOwnSlot : -1;
    for (int slot = 1; slot < kOtherSlot; ++slot) {
        if (m_hubs[size_t(slot)] && m_names.at(slot) == client)
            return slot;
    }
    return m_hubs[size_t(kOtherSlot)] && client == kOther ? kOtherSlot : -1;
}

const MetricsHub *ClientHubs::hub(int slot) const
{
    return slot >= 0 && slot < kSlotCount ? m_hubs[size_t(slot)].get() : nullptr;
}

QString ClientHubs::nameOf(int slot) const
{
    return slot >= 0 && slot < kSlotCount && m_hubs[size_t(slot)] ? m_names.at(slot) : QString();
}

QList<int> ClientHubs::usedSlots() const
{
    QList<int> used;
    for (int slot = 0; slot < kSlotCount; ++slot) {
        if (m_hubs[size_t(slot)])
            used.append(slot);
    }
    return used;
}

int ClientHubs::slotForRecording(const QString &client, const MetricsHub &all)
{
    const QString label = m_labels.fold(client); // the cap and the secret check of the metrics
    int slot = kOtherSlot;
    if (label.isEmpty()) {
        slot = kOwnSlot;
    } else if (label != kOther) {
        for (slot = 1; slot < kOtherSlot; ++slot) {
            if (!m_hubs[size_t(slot)] || m_names.at(slot) == label)
                break;
        }
    }
    if (!m_hubs[size_t(slot)]) {
        m_hubs[size_t(slot)] = std::make_unique<MetricsHub>();
        m_hubs[size_t(slot)]->seedGauges(all.snapshot().gauges);
        m_names[slot] = slot == kOtherSlot ? kOther : label;
        ++m_generation;
    }
    return slot;
}

void ClientHubs::record(const Event &event, const MetricsHub &all)
{
    if (isSharedState(event.kind)) {
        for (const auto &hub : m_hubs)
            if (hub)
                hub->record(event);
        return;
    }
    if (!isJobEvent(event))
        return; // alerts and warnings belong to the whole traffic
    m_hubs[size_t(slotForRecording(event.client, all))]->record(event);
}

void ClientHubs::recordPacing(const PacingState &state, qint64 nowMs, qint64 steadyNowMs)
{
    for (const auto &hub : m_hubs)
        if (hub)
            hub->recordPacing(state, nowMs, steadyNowMs);
}

} // namespace gp
