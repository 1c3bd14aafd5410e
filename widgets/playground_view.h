#pragma once
// One prompt, two models' answers side by side (greedy or seeded sampling, a token budget), with
// each model's speed. Plain data in, a request out; the app generates in the background.

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace anatomist::widgets {

struct PlaygroundRequest {
    QString left, right; // model names (the base or variants)
    QString prompt;
    bool greedy = true;
    double temperature = 0.8;
    quint64 seed = 0;
    int maxTokens = 48;
};

struct PlaygroundAnswer {
    QString text; // the continuation only
    int tokens = 0;
    double seconds = 0;         // prefill + decode
    double tokensPerSecond = 0; // new tokens / (prefill + decode)
};

class PlaygroundView : public QWidget {
    Q_OBJECT
public:
    explicit PlaygroundView(QWidget* parent = nullptr);

    void setChoices(const QStringList& names);
    void select(const QString& left, const QString& right);
    void setPrompt(const QString& prompt);
    PlaygroundRequest request() const;

    // side 0 = left, 1 = right
    void setAnswer(int side, const PlaygroundAnswer& answer);
    QString answerText(int side) const;
    void clearAnswers();
    void setRunning(bool running);
    void setProgress(double fraction);
    void setStatus(const QString& text);

    QPushButton* generateButton() const { return m_generate; }
    QPushButton* cancelButton() const { return m_cancel; }
    QCheckBox* samplingBox() const { return m_sampling; }
    QSpinBox* maxTokensBox() const { return m_maxTokens; }
    QSpinBox* seedBox() const { return m_seed; }

signals:
    void generateRequested(const PlaygroundRequest& request);
    void cancelRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void updateSampling();

    QComboBox* m_left;
    QComboBox* m_right;
    QLabel* m_promptLabel;
    QLineEdit* m_prompt;
    QCheckBox* m_sampling;
    QLabel* m_temperatureLabel;
    QDoubleSpinBox* m_temperature;
    QLabel* m_seedLabel;
    QSpinBox* m_seed;
    QLabel* m_maxTokensLabel;
    QSpinBox* m_maxTokens;
    QPushButton* m_generate;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_status;
    QGroupBox* m_boxes[2];
    QPlainTextEdit* m_answers[2];
    QLabel* m_stats[2];
    PlaygroundAnswer m_shown[2];
    bool m_has[2] = {false, false};
};

} // namespace anatomist::widgets
