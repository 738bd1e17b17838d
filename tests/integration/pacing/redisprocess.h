#pragma once

#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>

// A throwaway redis-server on a free loopback port, for tests and benchmarks.
class RedisProcess final
{
public:
    RedisProcess() { m_port = freePort(); }
    ~RedisProcess() { stop(); }

    quint16 port() const { return m_port; }
    QString url() const { return QStringLiteral("redis://127.0.0.1:%1/0").arg(m_port); }

    bool start()
    {
        m_process.setProgram(QStringLiteral("/usr/bin/redis-server"));
        m_process.setArguments({ QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
                                 QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
                                 QStringLiteral("--appendonly"), QStringLiteral("no") });
        m_process.start();
        if (!m_process.waitForStarted(5000))
            return false;
        // Ready when it accepts a connection (bounded: 5 s).
        for (int i = 0; i < 100; ++i) {
            QTcpSocket probe;
            probe.connectToHost(QStringLiteral("127.0.0.1"), m_port);
            if (probe.waitForConnected(50))
                return true;
            m_process.waitForFinished(50); // also a bounded pause while the server starts
            if (m_process.state() != QProcess::Running)
                return false;
        }
        return false;
    }

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

private:
    static quint16 freePort()
    {
        QTcpServer server;
        server.listen(QHostAddress::LocalHost, 0);
        return server.serverPort();
    }

    QProcess m_process;
    quint16 m_port = 0;
};
