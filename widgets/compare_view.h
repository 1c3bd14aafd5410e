#pragma once
// Two models side by side (the base or any variant): one table of numbers with a delta column,
// the block similarity of both overlaid by base layer, and which parts of the variant are gone.
// Plain data in, requests out; the app measures (perplexity, speed, similarity) in the background.

#include <QVector>
#include <QWidget>
#include <cmath>

class QComboBox;
class QCustomPlot;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QTreeWidget;

namespace anatomist::widgets {

// One model's numbers. NaN / empty: not measured yet.
struct CompareColumn {
    QString name;
    qint64 parameters = 0;
    double bytes = 0;
    int layers = 0;
    QString widths; // MLP widths per layer in words ("352 × 3, 280")
    double perplexity = std::nan("");
    double prefillTokensPerSecond = std::nan("");
    double decodeTokensPerSecond = std::nan("");
    QVector<double> blockByBaseLayer; // block cosine at each base layer index; NaN where removed
};

// What a variant did to one base layer.
struct LayerChange {
    int baseIndex = 0;
    bool removed = false;
    bool attentionBypassed = false;
    qint64 baseWidth = 0, width = 0; // MLP neurons
    qint64 baseHeads = 0, heads = 0; // query heads
};

class CompareView : public QWidget {
    Q_OBJECT
public:
    enum Row { Parameters, Memory, Layers, Widths, Perplexity, Prefill, Decode, RowCount };

    explicit CompareView(QWidget* parent = nullptr);

    // The rows one can pick (base first); keeps the current picks when they are still there.
    void setChoices(const QStringList& names);
    void select(const QString& a, const QString& b);
    QString currentA() const;
    QString currentB() const;

    void setColumns(const CompareColumn& a, const CompareColumn& b);
    const CompareColumn& columnA() const { return m_a; }
    const CompareColumn& columnB() const { return m_b; }
    // The parts of `variant` compared with the base, one entry per base layer.
    void setChanges(const QString& variant, const QVector<LayerChange>& changes);

    void setMeasuring(bool measuring);
    void setProgress(double fraction, const QString& stage);
    void setStatus(const QString& text);

    QTableWidget* table() const { return m_table; }
    QCustomPlot* plot() const { return m_plot; }
    QTreeWidget* changesTree() const { return m_changes; }
    QPushButton* measureButton() const { return m_measure; }
    QPushButton* cancelButton() const { return m_cancel; }
    bool exportPlot(const QString& fileName) const;
    // CSV: the table (metric, A, B, delta), then the curves (base_layer, A, B).
    bool exportData(const QString& fileName) const;

signals:
    void selectionChanged(const QString& a, const QString& b);
    void measureRequested();
    void cancelRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void rebuildTable();
    void rebuildPlot();
    void rebuildChanges();
    void emitSelection();
    QString plotTitle() const;

    QComboBox* m_pickA;
    QComboBox* m_pickB;
    QLabel* m_versus;
    QPushButton* m_measure;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_status;
    QTableWidget* m_table;
    QCustomPlot* m_plot;
    QPushButton* m_exportPlot;
    QPushButton* m_exportData;
    QLabel* m_changesHeading;
    QTreeWidget* m_changes;
    CompareColumn m_a, m_b;
    QString m_changedName;
    QVector<LayerChange> m_changeList;
    bool m_updating = false;
};

} // namespace anatomist::widgets
