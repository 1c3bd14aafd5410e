#pragma once
// Neuron importance (ALGORITHMS.md §4): choose a score (PPM, VOW, PON, L2, activation-weighted,
// fairness F_k, or L1 for plain GPT-2 MLPs) and a layer; see that layer's scores as a sorted curve
// or a histogram, every layer's spread as a min–mean–max band, and the top neurons in a table (for
// fairness: the best pruning candidates). A percentage of MLP neurons to remove is drawn on the
// sorted curve (the lowest-scored, in red) and "Add to plan" asks for the matching prune_mlp of the
// layer or of every layer (addToPlanRequested). Runs nothing itself.

#include "analysis_data.h"
#include "run_control.h"

#include <QWidget>

class QComboBox;
class QCustomPlot;
class QCPAxisRect;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;
class QStackedWidget;
class QTableWidget;

namespace anatomist::widgets {

class NeuronView : public QWidget {
    Q_OBJECT
public:
    explicit NeuronView(QWidget* parent = nullptr);

    static QStringList methodNames(); // ppm, vow, pon, l2, activation, fairness, l1
    QString method() const;
    void setMethod(const QString& method);
    double fairnessWeight() const;
    int layer() const;
    void setLayer(int layer);
    bool histogram() const;

    void setResults(const NeuronScoresData& data);
    const NeuronScoresData& results() const { return m_data; }
    void clearResults();
    void setRunning(bool running);
    void setRunEnabled(bool enabled, const QString& reason = {});
    // Where the data-driven scores read from, in words ("the built-in sample", "12 pairs …").
    void setSourceNote(const QString& note);

    static constexpr int kTopRows = 50;
    // As displayed: the sorted curve's values and the top table's neuron indices / scores.
    QVector<double> curveValues() const;
    QTableWidget* topTable() const { return m_table; }

    // The removal control: percent of a layer's MLP neurons, this layer or every layer.
    double removePercent() const;
    void setRemovePercent(double percent);
    bool removeEveryLayer() const;
    void setRemoveEveryLayer(bool every);
    QPushButton* addToPlanButton() const { return m_addToPlan; }
    // The methods the pruning plan accepts for prune_mlp without extra data.
    static bool plannable(const QString& method);
    QCustomPlot* plot() const { return m_plot; }

signals:
    void runRequested();
    void methodChanged();
    // layer: the base layer, or -1 for every layer; method: the scores shown
    // (NeuronScoresData::method).
    void addToPlanRequested(int layer, double percent, const QString& method);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void rebuildPlot();
    void fillTable();
    void refreshRemoval();

    NeuronScoresData m_data;
    RunControl m_runControl;
    QString m_sourceNote;
    QComboBox* m_method;
    QLabel* m_methodLabel;
    QLabel* m_weightLabel;
    QDoubleSpinBox* m_weight;
    QPushButton* m_run;
    QLabel* m_layerLabel;
    QSlider* m_layer;
    QLabel* m_layerValue;
    QLabel* m_showLabel;
    QComboBox* m_show;
    QLabel* m_status;
    QLabel* m_message;
    QLabel* m_tableTitle;
    QStackedWidget* m_stack;
    QCustomPlot* m_plot;
    QCPAxisRect* m_distRect = nullptr;
    QCPAxisRect* m_layersRect = nullptr;
    QTableWidget* m_table;
    QLabel* m_removeLabel;
    QDoubleSpinBox* m_removePercent;
    QComboBox* m_removeScope;
    QPushButton* m_addToPlan;
    QLabel* m_removeNote;
};

} // namespace anatomist::widgets
