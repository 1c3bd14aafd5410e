#pragma once
// The activation heatmap (ALGORITHMS.md §3): a prompt, a component and a layer slider; a tokens ×
// neurons colour map with the token strings on the vertical axis, neurons binned by the chosen
// width (mean over each bin, 64 by default) while more than kExactSpan neurons are visible and
// exact once zoomed in (wheel / drag along the neuron axis), colours clipped at a percentile and a
// diverging map for signed values; beside it, the mean |activation| of every layer as bars (click
// one to show that layer). Hovering shows token, neuron and value. Runs nothing itself: it emits
// runRequested and receives ActivationData for every layer at once, so the slider is instant.

#include "analysis_data.h"
#include "run_control.h"

#include <QWidget>

class QComboBox;
class QCustomPlot;
class QCPAxisRect;
class QCPBars;
class QCPColorMap;
class QCPColorScale;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QSpinBox;
class QStackedWidget;

namespace anatomist::widgets {

class ActivationView : public QWidget {
    Q_OBJECT
public:
    explicit ActivationView(QWidget* parent = nullptr);

    static QStringList
    componentNames(); // attn_norm, attn_out, mlp_out, gate, up, act, out, q, k, v
    static constexpr int kExactSpan = 256;

    QString prompt() const;
    void setPrompt(const QString& prompt);
    QString component() const;
    void setComponent(const QString& name);
    int layer() const;
    void setLayer(int layer);
    int binWidth() const; // chosen bin width (1 = exact)
    double clipPercentile() const;

    void setResults(const ActivationData& data);
    const ActivationData& results() const { return m_data; }
    void clearResults();
    void setRunning(bool running);
    void setRunEnabled(bool enabled, const QString& reason = {});

    // As displayed: the bin width in use, the colour-map cell (token row, bin column) and the
    // colour range; for tests.
    int effectiveBinWidth() const { return m_effectiveBin; }
    double displayedCell(int token, int binColumn) const;
    double colourLower() const;
    double colourUpper() const;
    bool isDiverging() const { return m_diverging; }
    // The hover text at a (token, neuron) position of the current layer.
    QString hoverText(int token, int neuron) const;
    void zoomNeurons(double lower, double upper);
    QCustomPlot* plot() const { return m_plot; }

signals:
    void runRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void rebuildPlot();
    void refillColourMap();
    void updateLayerLabel();
    void onMouseMove(QMouseEvent* event);

    ActivationData m_data;
    QLineEdit* m_prompt;
    QComboBox* m_component;
    QPushButton* m_run;
    QSlider* m_layer;
    QComboBox* m_bin;
    QSpinBox* m_clip;
    QLabel* m_promptLabel;
    QLabel* m_componentLabel;
    QLabel* m_layerLabel;
    QLabel* m_layerValue;
    QLabel* m_binLabel;
    QLabel* m_clipLabel;
    QLabel* m_status;
    QLabel* m_message;
    QStackedWidget* m_stack;
    QCustomPlot* m_plot;
    QCPAxisRect* m_heatRect = nullptr;
    QCPAxisRect* m_barsRect = nullptr;
    QCPColorMap* m_colorMap = nullptr;
    QCPColorScale* m_scale = nullptr;
    QCPBars* m_bars = nullptr;
    QCPBars* m_current = nullptr;
    int m_effectiveBin = 1;
    bool m_diverging = false;
    RunControl m_runControl;
};

} // namespace anatomist::widgets
