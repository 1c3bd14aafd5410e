#pragma once
// Records the longest gap between ticks of a 2 ms timer on the GUI thread: the longest event-loop
// stall while it lives (a measurement reported by GUI tests, checked only against a generous
// bound).

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace anatomist::test {

class StallMeter : public QObject {
public:
    StallMeter() {
        m_clock.start();
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last >= 0)
                m_worst = std::max(m_worst, now - m_last);
            m_last = now;
        });
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.start(2);
    }
    double worstMs() const { return double(m_worst) / 1e6; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = -1, m_worst = 0;
};

} // namespace anatomist::test
