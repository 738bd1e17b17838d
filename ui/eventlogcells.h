#pragma once

#include "ui/eventlogitem.h"

#include <QString>

namespace gp {

// What the event log's columns say about a request, one of its attempts, or a lone event.
class EventLogCells final
{
public:
    enum Column {
        Time,
        Request,
        Outcome,
        Attempts,
        Status,
        Class,
        Waited,
        Latency,
        Tokens,
        Cost,
        Message,
        Model,
        Client,
        Run,
        ColumnCount
    };

    static QString header(int column);
    static QString headerTip(int column);
    static QString item(const LogItem &item, int column);
    static QString step(const LogItem &item, int step, int column);
    static QString itemTip(const LogItem &item, int column);
    static QString stepTip(const LogItem &item, int step); // its events, one a line
    static bool isNumeric(int column);
    static QString widest(int column); // a sample of the widest usual text, to size the column

    static QString seconds(qint64 ms); // "1.25 s"
    static QString time(qint64 ms); // "14:02:11.123"
};

} // namespace gp
