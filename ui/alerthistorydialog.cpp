#include "ui/alerthistorydialog.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace gp {

AlertHistoryDialog::AlertHistoryDialog(const QList<Event> &history, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Alert history"));
    auto *layout = new QVBoxLayout(this);
    auto *note = new QLabel(tr("Every alert raised and cleared in this session, newest first. The journal "
                               "(Events view, kind \"alert\") keeps them across sessions."),
                            this);
    note->setWordWrap(true);
    layout->addWidget(note);
    m_list = new QTreeWidget(this);
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({ tr("Time"), tr("State"), tr("Rule"), tr("What it said") });
    m_list->setAccessibleName(tr("Alerts raised and cleared"));
    m_list->setWordWrap(true);
    m_list->header()->setStretchLastSection(true);
    layout->addWidget(m_list, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    setHistory(history);
    resize(760, 360);
}

void AlertHistoryDialog::setHistory(const QList<Event> &history)
{
    m_list->clear();
    for (auto it = history.crbegin(); it != history.crend(); ++it) {
        const bool raised = it->kind == EventKind::AlertRaised;
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(0, QDateTime::fromMSecsSinceEpoch(it->timeMs).toString(QStringLiteral("HH:mm:ss")));
        item->setText(1, raised ? tr("raised") : tr("cleared"));
        item->setText(2, QString(it->alertId).replace(u'_', u' '));
        item->setText(3, it->message);
        item->setToolTip(3, it->message);
    }
    for (int c = 0; c < 3; ++c)
        m_list->resizeColumnToContents(c);
}

int AlertHistoryDialog::rowCount() const
{
    return m_list->topLevelItemCount();
}

QString AlertHistoryDialog::rowText(int row) const
{
    const QTreeWidgetItem *item = m_list->topLevelItem(row);
    if (!item)
        return {};
    return QStringList { item->text(0), item->text(1), item->text(2), item->text(3) }.join(
        QStringLiteral(" · "));
}

} // namespace gp
