#pragma once

#include <QString>

namespace gp {

// The readable text of an HTML error page (proxies, load balancers): the <title> when
// it has text, else the page with tags, comments, scripts and styles removed and the
// common character references decoded. Whitespace is not collapsed; may be empty.
QString htmlErrorText(const QString &html);

// Decodes &amp; &lt; &gt; &quot; &apos; &#39; &nbsp; and numeric references; others stay.
QString decodeHtmlEntities(const QString &text);

} // namespace gp
