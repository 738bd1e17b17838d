#pragma once

#include <QString>

class QWidget;

namespace gp {

// Help → "How to read this screen" and Help → About: the text and the dialogs that show it.
class ReadingHelp final
{
public:
    static QString howToRead(); // rich text, one paragraph per part of the window
    static QString about(); // version, Qt version, what the program is
    static void showHowToRead(QWidget *parent);
    static void showAbout(QWidget *parent);
};

} // namespace gp
