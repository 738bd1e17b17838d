#pragma once

#include "core/events/event.h"
#include "core/events/pacingstate.h"
#include "core/telemetry/metricshub.h"
#include "core/telemetry/modellabels.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace gp {

// One MetricsHub per client, fed from the same event stream as the whole-traffic hub, so the
// console's charts and headline numbers can show one client's share. How an event is bucketed
// stays MetricsHub's: this only routes it. The console's own traffic (no client) is one slot;
// the first kMaxNamed named clients get their own, every later one (and a key-like name) shares
// "other". Hubs are made when their client first shows up: memory is at most
// (kMaxNamed + 2) hubs of ~7 MB each, and only for the clients actually seen.
class ClientHubs final
{
public:
    static constexpr int kMaxNamed = 8;
    static constexpr int kSlotCount = kMaxNamed + 2; // the console's own, the named, "other"
    static constexpr int kOwnSlot = 0;
    static constexpr int kOtherSlot = kSlotCount - 1;
    static inline const QString kOther = ModelLabels::kOther;

    ClientHubs();
    ~ClientHubs();

    // Job events go to their client's hub; shared state (quota, breaker) to every hub.
    // `all` is the whole-traffic hub: a new client's hub starts from its gauges.
    void record(const Event &event, const MetricsHub &all);
    void recordPacing(const PacingState &state, qint64 nowMs, qint64 steadyNowMs);

    // The slot of a client ("" = the console's own; a name past the cap = other), -1 if unseen.
    int slotOf(const QString &client) const;
    const MetricsHub *hub(int slot) const;
    const MetricsHub *hubFor(const QString &client) const { return hub(slotOf(client)); }
    // The label of a slot: "" for the console's own, the client's name, "other"; empty when unused.
    QString nameOf(int slot) const;
    // Slots seen so far, in slot order.
    QList<int> usedSlots() const;
    // Grows by one each time a slot is first used (views rebuild their client lists on change).
    int generation() const { return m_generation; }

private:
    int slotForRecording(const QString &client, const MetricsHub &all);

    ModelLabels m_labels { kMaxNamed, QString() };
    std::vector<std::unique_ptr<MetricsHub>> m_hubs; // kSlotCount, null until first used
    QStringList m_names; // kSlotCount
    int m_generation = 0;
};

} // namespace gp
