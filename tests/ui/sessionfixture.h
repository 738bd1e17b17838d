#pragma once

// Shared set-up for the console's widget tests: a session on the in-process simulator
// with its journal in a temporary directory. Header-only: each test is one executable.
#include "core/sim/simserver.h"
#include "ui/consolesession.h"
#include "ui/consolesettings.h"

#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

#include <memory>

namespace gp::test {

// The child widget of type W with this accessible name, or nullptr.
template<typename W> W *named(QWidget *parent, const QString &name)
{
    for (W *w : parent->findChildren<W *>())
        if (w->accessibleName() == name)
            return w;
    return nullptr;
}

inline std::unique_ptr<ConsoleSession> startSession(const QTemporaryDir &dir, const QString &scenario,
                                                    ConsoleSettings settings = {})
{
    settings.demoRatePerSecond = 0.0; // tests drive traffic themselves
    SessionOptions options;
    options.simulate = true;
    options.scenario = scenario;
    options.journalPath = dir.filePath(QStringLiteral("journal.sqlite"));
    options.seed = 7;
    auto session = std::make_unique<ConsoleSession>(settings, options);
    QString error;
    if (!session->start(&error))
        qWarning("session did not start: %s", qPrintable(error));
    return session;
}

} // namespace gp::test
