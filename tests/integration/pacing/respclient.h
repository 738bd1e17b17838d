#pragma once

#include <QByteArray>
#include <QList>
#include <QTcpSocket>

#include <optional>

// A blocking RESP client for tests: sends one command, reads its whole reply (bounded waits).
class RespClient final
{
public:
    struct Reply
    {
        char type = 0; // '+', '-', ':', '$', '*' (a nil bulk or array has isNil)
        QByteArray text; // simple, error or bulk
        long long integer = 0;
        QList<Reply> elements;
        bool isNil = false;
    };

    bool connectTo(quint16 port)
    {
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        return m_socket.waitForConnected(2000);
    }

    std::optional<Reply> call(const QList<QByteArray> &argv)
    {
        QByteArray out = "*" + QByteArray::number(argv.size()) + "\r\n";
        for (const QByteArray &part : argv)
            out += "$" + QByteArray::number(part.size()) + "\r\n" + part + "\r\n";
        m_socket.write(out);
        return read();
    }

private:
    std::optional<QByteArray> line()
    {
        while (!m_buffer.contains("\r\n")) {
            if (!m_socket.waitForReadyRead(2000))
                return std::nullopt;
            m_buffer += m_socket.readAll();
        }
        const qsizetype end = m_buffer.indexOf("\r\n");
        QByteArray text = m_buffer.left(end);
        m_buffer.remove(0, end + 2);
        return text;
    }

    std::optional<Reply> read()
    {
        const auto head = line();
        if (!head || head->isEmpty())
            return std::nullopt;
        Reply reply;
        reply.type = head->at(0);
        const QByteArray rest = head->mid(1);
        if (reply.type == '+' || reply.type == '-') {
            reply.text = rest;
        } else if (reply.type == ':') {
            reply.integer = rest.toLongLong();
        } else if (reply.type == '$') {
            const int size = rest.toInt();
            reply.isNil = size < 0;
            while (size >= 0 && m_buffer.size() < size + 2) {
                if (!m_socket.waitForReadyRead(2000))
                    return std::nullopt;
                m_buffer += m_socket.readAll();
            }
            if (size >= 0) {
                reply.text = m_buffer.left(size);
                m_buffer.remove(0, size + 2);
            }
        } else if (reply.type == '*') {
            const int count = rest.toInt();
            reply.isNil = count < 0;
            for (int i = 0; i < count; ++i) {
                auto element = read();
                if (!element)
                    return std::nullopt;
                reply.elements.append(*element);
            }
        }
        return reply;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};
