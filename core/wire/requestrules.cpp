#include "core/wire/requestrules.h"

namespace gp::requestrules {

QString quoteUntrusted(const QString &text)
{
    QString out = text.left(40);
    for (QChar &c : out) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = u'?';
    }
    return out;
}

} // namespace gp::requestrules
