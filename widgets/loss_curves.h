#pragma once
// Live training curves from the job runner's event batches (core/train events as JSON objects):
// top, the total loss and each distillation term ("terms": {"ce", "kl", "hidden", ...}) per step,
// with the learning rate on the right axis; bottom, held-out perplexity points with the teacher's
// perplexity as a reference line (and the student's before training, at step 0). Every train_step
// is kept (the runner never drops one). The plot is redrawn at most every kRedrawIntervalMs, and
// not while hidden: drawing thousands of points takes the GUI thread tens of milliseconds, and
// batches arrive up to 30 times a second (redrawing each one kept the GUI thread half busy and
// froze the window for up to 270 ms at a time in a soak). Export as PNG/SVG/PDF and the data as
// CSV.

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QVector>
#include <QWidget>
#include <cmath>

class QCustomPlot;
class QCPAxisRect;
class QCPGraph;
class QCheckBox;
class QTimer;

namespace anatomist::widgets {

class LossCurves : public QWidget {
    Q_OBJECT
public:
    explicit LossCurves(QWidget* parent = nullptr);

    void addEvents(const QList<QJsonObject>& events);
    void clear();

    // The data as received (tests, CSV).
    const QVector<double>& steps() const { return m_steps; }
    const QVector<double>& losses() const { return m_loss; }
    QVector<double> term(const QString& name) const { return m_terms.value(name); }
    QStringList termNames() const { return m_terms.keys(); }
    const QVector<double>& learningRates() const { return m_lr; }
    const QVector<double>& evalSteps() const { return m_evalSteps; }
    const QVector<double>& evalPerplexities() const { return m_evalPerplexity; }
    double teacherPerplexity() const { return m_teacher; }

    void setLogScale(bool log);
    bool exportPlot(const QString& file) const;
    // step, loss, lr, one column per term, perplexity (empty where not evaluated). Atomic write.
    bool exportCsv(const QString& file) const;
    QCustomPlot* plot() const { return m_plot; }
    // Redraws done since construction (tests: the redraw is throttled, never per batch).
    int redraws() const { return m_redraws; }

    static constexpr int kRedrawIntervalMs = 250;

protected:
    void changeEvent(QEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void scheduleRedraw();
    // Const: drawing changes what the plot shows, not the curves' data (exportPlot draws first).
    void rebuildGraphs() const;
    void retranslate();

    QCustomPlot* m_plot;
    QCheckBox* m_log;
    QTimer* m_redrawTimer;
    mutable bool m_stale = false; // data arrived that the plot does not show yet
    mutable int m_redraws = 0;
    QCPAxisRect* m_lossRect = nullptr;
    QCPAxisRect* m_evalRect = nullptr;
    QVector<double> m_steps, m_loss, m_lr, m_evalSteps, m_evalPerplexity;
    QMap<QString, QVector<double>>
        m_terms; // same length as m_steps (NaN where a step had no value)
    double m_teacher = std::nan("");
};

} // namespace anatomist::widgets
