#pragma once

#include <QFrame>

class QLabel;

namespace gp {

class Sparkline;

// One headline number: title, big value, unit, one line of detail and a sparkline, coloured
// by threshold (ok / warning / bad). The level is also spelled in the tooltip and the
// accessible description, so it never rests on colour alone.
class StatTile final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatTile)

public:
    enum class Level { Unknown, Ok, Warning, Bad };

    StatTile(const QString &id, const QString &title, const QString &help, QWidget *parent = nullptr);

    void setValue(const QString &value, const QString &unit, const QString &detail, Level level);
    // Whose traffic the number counts ("alice"), after the title; empty: everyone's.
    // `shortTitle` replaces the title while scoped, so a name fits a narrow tile.
    void setScope(const QString &scope, const QString &shortTitle = {});
    QString title() const;
    QString id() const { return m_id; }
    QString value() const;
    QString unit() const;
    QString detail() const;
    Level level() const { return m_level; }
    Sparkline *sparkline() const { return m_spark; }
    static QColor levelColor(Level level, bool dark);

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void applyLevelColors();
    void showDetail(); // elided to the label's width ("…"); the tooltip and detail() keep it whole

    QString m_id;
    QString m_title;
    QString m_help;
    QLabel *m_titleLabel = nullptr;
    QLabel *m_valueLabel = nullptr;
    QLabel *m_unitLabel = nullptr;
    QLabel *m_detailLabel = nullptr;
    Sparkline *m_spark = nullptr;
    Level m_level = Level::Unknown;
    QString m_detail;
};

} // namespace gp
