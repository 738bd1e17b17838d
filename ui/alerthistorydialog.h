#pragma once

#include "core/events/event.h"

#include <QDialog>
#include <QList>

class QTreeWidget;

namespace gp {

// Every alert raised and cleared this session, newest first: when, which rule, what it said.
class AlertHistoryDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertHistoryDialog)

public:
    explicit AlertHistoryDialog(const QList<Event> &history, QWidget *parent = nullptr);

    void setHistory(const QList<Event> &history);
    int rowCount() const;
    QString rowText(int row) const; // "time · state · rule · sentence"

private:
    QTreeWidget *m_list = nullptr;
};

} // namespace gp
