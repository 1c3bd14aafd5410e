#pragma once
// Logit lens: for a prompt, the most probable next tokens decoded from every layer's residual
// stream (the model's final norm and unembedding applied to x_out of that layer), as a layers ×
// positions grid: each cell shows the top token and its probability, shaded by it; hovering lists
// the top k; clicking a cell draws its distribution beside the grid. Runs nothing itself.

#include "analysis_data.h"
#include "run_control.h"

#include <QWidget>

class QCustomPlot;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTableWidget;

namespace anatomist::widgets {

class LogitLensView : public QWidget {
    Q_OBJECT
public:
    explicit LogitLensView(QWidget* parent = nullptr);

    QString prompt() const;
    void setPrompt(const QString& prompt);
    int topK() const;
    void setTopK(int k);

    void setResults(const LogitLensData& data);
    const LogitLensData& results() const { return m_data; }
    void clearResults();
    void setRunning(bool running);
    void setRunEnabled(bool enabled, const QString& reason = {});

    QTableWidget* grid() const { return m_grid; }
    QCustomPlot* plot() const { return m_plot; }

signals:
    void runRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void fillGrid();
    void showDistribution(int layer, int position);

    LogitLensData m_data;
    RunControl m_runControl;
    int m_cellLayer = -1, m_cellPosition = -1;
    QLabel* m_promptLabel;
    QLineEdit* m_prompt;
    QLabel* m_kLabel;
    QSpinBox* m_k;
    QPushButton* m_run;
    QLabel* m_status;
    QLabel* m_message;
    QStackedWidget* m_stack;
    QTableWidget* m_grid;
    QCustomPlot* m_plot;
};

} // namespace anatomist::widgets
