#pragma once
// File → Export variant…: which model (the base or a variant), the format (a Hugging Face folder or
// a llama.cpp GGUF file with its tensor type), the destination, and what the choice means for the
// tools that will read it. Plain data in, a request out; the app writes in the background.

#include <QDialog>
#include <QVector>

class QButtonGroup;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;

namespace anatomist::widgets {

// What the dialog needs to know of one model to spell out the consequences.
struct ExportTarget {
    QString name;
    bool variant = false;        // a pruned variant (variant.json is written with it)
    bool perLayerWidths = false; // MLP widths differ between layers
    bool perLayerHeads = false;  // attention head counts differ between layers
    bool bypass = false;         // some attention blocks are bypassed
    bool vocabulary = true; // GGUF: the source has a vocabulary GGUF can hold (tokenizer.model)
    bool gguf = true;       // the model can be written as GGUF
    QString ggufRefusal;    // why not (the engine's message), when gguf is false
};

struct ExportRequest {
    QString name;
    bool gguf = false;
    QString type = QStringLiteral("f32"); // GGUF tensor type: f32, f16, bf16, q8_0
    QString destination;                  // a folder (HF) or a .gguf file
};

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    explicit ExportDialog(QWidget* parent = nullptr);

    void setTargets(const QVector<ExportTarget>& targets, const QString& selected = QString());
    void setRequest(const ExportRequest& request);
    ExportRequest request() const;

    // Rich text: what is written and who can read it.
    static QString consequences(const ExportTarget& target, bool gguf);

    void setRunning(bool running);
    void setProgress(double fraction);
    void showResult(bool ok, const QString& message);

    QLabel* consequencesLabel() const { return m_consequences; }
    QLabel* resultLabel() const { return m_result; }
    QPushButton* exportButton() const { return m_export; }

signals:
    void exportRequested(const ExportRequest& request);
    void cancelRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void update();
    void browse();
    const ExportTarget* currentTarget() const;

    QVector<ExportTarget> m_targets;
    QLabel* m_modelLabel;
    QComboBox* m_model;
    QLabel* m_formatLabel;
    QRadioButton* m_hf;
    QRadioButton* m_gguf;
    QLabel* m_typeLabel;
    QComboBox* m_type;
    QLabel* m_destinationLabel;
    QLineEdit* m_destination;
    QPushButton* m_browse;
    QLabel* m_consequences;
    QProgressBar* m_progress;
    QLabel* m_result;
    QPushButton* m_export;
    QPushButton* m_cancel;
    QPushButton* m_close;
    bool m_running = false;
};

} // namespace anatomist::widgets
