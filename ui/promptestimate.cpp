#include "ui/promptestimate.h"

#include "core/wire/costmodel.h"

#include <QCoreApplication>
#include <QLocale>

namespace gp {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("gp::PromptEstimate", text);
}

QString dollars(double usd)
{
    return QStringLiteral("$") + QString::number(usd, 'f', usd < 0.01 ? 4 : 2);
}
} // namespace

PromptEstimate PromptEstimate::of(const ChatRequest &request, const QList<ChatMessage> &history)
{
    PromptEstimate e;
    const qint64 all = request.estimatePromptTokens();
    // The request is [system] + history + prompt: the same without the history.
    ChatRequest alone = request;
    alone.messages.clear();
    const qsizetype system = request.messages.value(0).role == u"system" ? 1 : 0;
    for (qsizetype i = 0; i < request.messages.size(); ++i)
        if (i < system || i >= system + history.size())
            alone.messages.append(request.messages[i]);
    e.promptTokens = alone.estimatePromptTokens();
    e.historyTokens = std::max<qint64>(0, all - e.promptTokens);
    e.maxOutputTokens = request.maxCompletionTokens.value_or(0);
    e.priced = CostModel::listPrice(request.model).has_value();
    Usage in;
    in.promptTokens = all;
    in.present = true;
    e.inputUsd = CostModel::costOf(in, request.model).usd;
    Usage most = in;
    most.completionTokens = e.maxOutputTokens;
    e.maxUsd = CostModel::costOf(most, request.model).usd;
    return e;
}

QString PromptEstimate::text() const
{
    const QLocale locale;
    QString line = tr("≈ %1 tokens in").arg(locale.toString(promptTokens + historyTokens));
    if (historyTokens > 0)
        line += tr(" (prompt %1, history %2)")
                    .arg(locale.toString(promptTokens), locale.toString(historyTokens));
    if (maxOutputTokens > 0)
        line += tr(" · up to %1 out").arg(locale.toString(maxOutputTokens));
    line += tr(" · ≈ %1–%2").arg(dollars(inputUsd), dollars(maxUsd));
    if (!priced)
        line += tr(" (Grok 4 prices: no price known for this model)");
    return line;
}

PromptEstimate::Level PromptEstimate::level() const
{
    return historyTokens >= kHeavyHistoryTokens && historyTokens >= 4 * promptTokens ? Level::Expensive
                                                                                     : Level::Fine;
}

QString PromptEstimate::warning() const
{
    if (level() != Level::Expensive)
        return {};
    return tr("The conversation so far (≈ %1 tokens) is sent again with this turn: it costs more than "
              "the prompt. Clear the conversation to start fresh.")
        .arg(QLocale().toString(historyTokens));
}

} // namespace gp
