#pragma once
// The distillation panel: heal a pruned variant (the student) from the base (the teacher). Left,
// the settings (student, training and held-out text, loss weights, temperature, steps, learning
// rate, batch and sequence length, run folder) remembered in QSettings ("distill/..."); right, live
// loss curves (LossCurves) fed with the run's events and a status line (step n/N, tokens/s, ETA).
// Plain data only: the app's DistillController builds and runs the job.

#include <QJsonObject>
#include <QList>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace anatomist::widgets {

class LossCurves;

struct DistillSettings {
    QString student;
    QString
        trainText; // "" = the built-in demo corpus; .txt (blank-line documents) or .jsonl ("text")
    QString heldOutText;       // "" = the built-in sample text
    double ceWeight = 0.5;     // α
    double klWeight = 0.5;     // β
    double hiddenWeight = 0.0; // γ
    double temperature = 2.0;
    int steps = 200;
    double learningRate = 4e-5;
    int batchSize = 4;
    int seqLen = 128;
    QString runFolder; // "" = a new folder under the application's runs folder
    // 1: the run is the window's own; N > 1: anatomist-cli runs it on N data-parallel processes
    // (the batch must be a multiple of N), which cannot pause.
    int processes = 1;
    // Where teacher and student run: "cpu", "cuda" (the first CUDA device) or "cuda:N"; the value
    // of anatomist-cli's --device.
    QString device = QStringLiteral("cpu");
};

class DistillPanel : public QWidget {
    Q_OBJECT
public:
    enum class State { Idle, Running, Paused };

    explicit DistillPanel(QWidget* parent = nullptr);

    void setTeacher(const QString& name);
    // The variants that can be students; keeps the current choice when it is still there.
    void setStudents(const QStringList& names);
    QStringList students() const;

    DistillSettings settings() const;
    void setSettings(const DistillSettings& settings);
    // QSettings "distill/..." (everything but the student, which belongs to a session).
    void saveSettings() const;
    void restoreSettings();

    void setState(State state);
    State state() const { return m_state; }
    // The folder of a stopped run with a checkpoint ("" = none): enables "Continue".
    void setStoppedRun(const QString& folder);
    QString stoppedRun() const { return m_stoppedRun; }

    // Events of the running job (train_step, train_eval, ...): to the curves and the status line.
    void addEvents(const QList<QJsonObject>& events);
    void clearCurves();
    void setMessage(const QString& text); // replaces the status line (errors, "stopped at ...")
    QString statusText() const;

    LossCurves* curves() const { return m_curves; }
    QPushButton* startButton() const { return m_start; }
    QPushButton* pauseButton() const { return m_pause; }
    QPushButton* cancelButton() const { return m_cancel; }
    QPushButton* continueButton() const { return m_continue; }
    QSpinBox* processesBox() const { return m_processes; }
    // Items: "CPU" (data "cpu"), then one per CUDA device (data "cuda:N"), or, with none, one
    // disabled "CUDA" item whose tooltip is the reason.
    QComboBox* deviceBox() const { return m_device; }

    // The CUDA devices the libtorch in use sees (count 0: none, and `reason` says why; the app
    // asks libtorch, this widget does not link it). A chosen device that is gone falls back to the
    // CPU.
    void setCudaDevices(int count, const QString& reason);

signals:
    void startRequested();
    void pauseRequested(bool paused);
    void cancelRequested();
    void resumeRequested(const QString& runFolder);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void updateButtons();
    void updateStatus();
    void browse(QLineEdit* edit, bool folder);
    void exportCurves(bool data);
    void fillDevices();

    QLabel* m_heading;
    QLabel* m_intro;
    QLabel* m_empty;
    QGroupBox* m_modelsBox;
    QGroupBox* m_dataBox;
    QGroupBox* m_lossBox;
    QGroupBox* m_trainBox;
    QLabel* m_teacherLabel;
    QLabel* m_teacher;
    QLabel* m_studentLabel;
    QComboBox* m_student;
    QLabel* m_trainLabel;
    QLineEdit* m_train;
    QToolButton* m_trainBrowse;
    QLabel* m_heldOutLabel;
    QLineEdit* m_heldOut;
    QToolButton* m_heldOutBrowse;
    QLabel* m_klLabel;
    QDoubleSpinBox* m_kl;
    QLabel* m_ceLabel;
    QDoubleSpinBox* m_ce;
    QLabel* m_hiddenLabel;
    QDoubleSpinBox* m_hidden;
    QLabel* m_temperatureLabel;
    QDoubleSpinBox* m_temperature;
    QLabel* m_stepsLabel;
    QSpinBox* m_steps;
    QLabel* m_lrLabel;
    QDoubleSpinBox* m_lr;
    QLabel* m_batchLabel;
    QSpinBox* m_batch;
    QLabel* m_seqLabel;
    QSpinBox* m_seq;
    QLabel* m_processesLabel;
    QSpinBox* m_processes;
    QLabel* m_deviceLabel;
    QComboBox* m_device;
    int m_cudaCount = 0;
    QString m_cudaReason;
    QLabel* m_folderLabel;
    QLineEdit* m_folder;
    QToolButton* m_folderBrowse;
    QPushButton* m_start;
    QPushButton* m_pause;
    QPushButton* m_cancel;
    QPushButton* m_continue;
    QPushButton* m_open;
    QPushButton* m_exportPlot;
    QPushButton* m_exportData;
    QLabel* m_status;
    LossCurves* m_curves;

    State m_state = State::Idle;
    QString m_stoppedRun;
    QString m_message;
    // Last train_step seen: the status line.
    qint64 m_step = 0, m_totalSteps = 0;
    double m_tokensPerSecond = 0, m_elapsed = 0;
};

} // namespace anatomist::widgets
