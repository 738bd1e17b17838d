// Runs the fuzz entry functions without libFuzzer: every seed, every kept crash
// (tests/fuzz/regressions/<target>/) and a bounded set of seeded mutations of the seeds.
#include "tests/fuzz/fuzzentries.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

class TestFuzzReplay final : public QObject
{
    Q_OBJECT

private slots:
    void everyTargetHasSeeds();
    void replay_data();
    void replay();
    void mutatedSeeds_data();
    void mutatedSeeds();

private:
    static QStringList filesOf(const QString &kind, const QString &target);
};

QStringList TestFuzzReplay::filesOf(const QString &kind, const QString &target)
{
    const QDir dir(QStringLiteral(GP_FUZZ_DIR) + u'/' + kind + u'/' + target);
    QStringList paths;
    for (const QString &name : dir.entryList(QDir::Files, QDir::Name))
        paths.append(dir.filePath(name));
    return paths;
}

void TestFuzzReplay::everyTargetHasSeeds()
{
    for (const gp::fuzz::FuzzTarget &target : gp::fuzz::fuzzTargets())
        QVERIFY2(!filesOf(u"corpus"_s, QString::fromLatin1(target.name)).isEmpty(), target.name);
}

void TestFuzzReplay::replay_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("path");
    for (const gp::fuzz::FuzzTarget &target : gp::fuzz::fuzzTargets()) {
        const QString name = QString::fromLatin1(target.name);
        for (const QString &kind : { u"corpus"_s, u"regressions"_s }) {
            for (const QString &path : filesOf(kind, name)) {
                const QString row = kind + u'/' + name + u'/' + QFileInfo(path).fileName();
                QTest::newRow(qPrintable(row)) << name << path;
            }
        }
    }
}

// A crash or a broken contract aborts this process: ctest reports the row printed last.
void TestFuzzReplay::replay()
{
    QFETCH(QString, target);
    QFETCH(QString, path);
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
    const QByteArray bytes = file.readAll();
    const gp::fuzz::FuzzEntry entry = gp::fuzz::findFuzzTarget(target.toLatin1());
    QVERIFY(entry);
    entry(bytes);
}

void TestFuzzReplay::mutatedSeeds_data()
{
    QTest::addColumn<QString>("target");
    for (const gp::fuzz::FuzzTarget &target : gp::fuzz::fuzzTargets())
        QTest::newRow(target.name) << QString::fromLatin1(target.name);
}

// Byte flips, cuts and splices of the seeds with a fixed seed: a cheap fuzz pass for
// builds without libFuzzer (the sanitizer build runs it too).
void TestFuzzReplay::mutatedSeeds()
{
    QFETCH(QString, target);
    const gp::fuzz::FuzzEntry entry = gp::fuzz::findFuzzTarget(target.toLatin1());
    QVERIFY(entry);
    QList<QByteArray> seeds;
    for (const QString &path : filesOf(u"corpus"_s, target)) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        seeds.append(file.readAll());
    }
    QVERIFY(!seeds.isEmpty());
    QRandomGenerator random(20261124);
    constexpr int Mutations = 300;
    for (int i = 0; i < Mutations; ++i) {
        QByteArray input = seeds.at(random.bounded(int(seeds.size())));
        const int edits = 1 + random.bounded(8);
        for (int e = 0; e < edits && !input.isEmpty(); ++e) {
            const int at = random.bounded(int(input.size()));
            switch (random.bounded(4)) {
            case 0: input[at] = char(random.bounded(256)); break;
            case 1: input.remove(at, random.bounded(int(input.size() - at)) + 1); break;
            case 2: input.insert(at, seeds.at(random.bounded(int(seeds.size()))).left(32)); break;
            default: input.insert(at, char("\"\\{}[]:,\r\n;=.-0 \x00\xff"[random.bounded(18)])); break;
            }
        }
        entry(input);
    }
}

QTEST_GUILESS_MAIN(TestFuzzReplay)
#include "tst_fuzzreplay.moc"
