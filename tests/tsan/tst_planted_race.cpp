// A data race planted on purpose between a job running on a runner lane and the test thread, with
// the same suppression file as tst_job_runner_tsan. TSan matches a suppression against every frame
// of every stack in a report (both accesses and the threads' creation), so an entry that is too
// broad (a whole Qt library, a function every queued call passes through) would silently hide a
// real race in the runner. This test must see the race reported: CTest passes it only when the
// output contains ThreadSanitizer's data-race report.
#include "job.h"
#include "job_runner.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace anatomist;

namespace {

// Written by the job and read by the test thread with no synchronisation at all: the race.
// Not atomic and not volatile on purpose; noinline keeps the accesses in their own frames.
long g_unsynchronised = 0;

__attribute__((noinline)) void writeFromJob(long value) {
    g_unsynchronised = value;
}
__attribute__((noinline)) long readFromTest() {
    return g_unsynchronised;
}

} // namespace

class PlantedRace : public QObject {
    Q_OBJECT

private slots:
    void jobAndTestThreadRace() {
        gui::JobRunner runner;
        QSignalSpy ended(&runner, &gui::JobRunner::jobEnded);
        runner.submit(QStringLiteral("planted race"),
                      [](core::JobContext&) -> gui::JobRunner::Finish {
                          for (long i = 1; i <= 2000000; ++i)
                              writeFromJob(i);
                          return [] {};
                      });
        long seen = 0;
        QElapsedTimer timer;
        timer.start();
        while (ended.isEmpty() && timer.elapsed() < 60000) {
            seen += readFromTest();
            QCoreApplication::processEvents();
        }
        QVERIFY(!ended.isEmpty());
        QVERIFY(seen >= 0);
        runner.shutdown();
    }
};

QTEST_GUILESS_MAIN(PlantedRace)

#include "tst_planted_race.moc"
