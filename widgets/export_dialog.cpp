#include "export_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>
#include <algorithm>

namespace anatomist::widgets {

ExportDialog::ExportDialog(QWidget* parent)
    : QDialog(parent)
    , m_modelLabel(new QLabel(this))
    , m_model(new QComboBox(this))
    , m_formatLabel(new QLabel(this))
    , m_hf(new QRadioButton(this))
    , m_gguf(new QRadioButton(this))
    , m_typeLabel(new QLabel(this))
    , m_type(new QComboBox(this))
    , m_destinationLabel(new QLabel(this))
    , m_destination(new QLineEdit(this))
    , m_browse(new QPushButton(this))
    , m_consequences(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_result(new QLabel(this))
    , m_export(new QPushButton(this))
    , m_cancel(new QPushButton(this))
    , m_close(new QPushButton(this)) {
    setObjectName(QStringLiteral("exportDialog"));
    m_model->setObjectName(QStringLiteral("exportModel"));
    m_destination->setObjectName(QStringLiteral("exportDestination"));
    m_hf->setChecked(true);
    for (const char* t : {"f32", "f16", "bf16", "q8_0"})
        m_type->addItem(QString::fromLatin1(t), QString::fromLatin1(t));
    m_consequences->setWordWrap(true);
    m_consequences->setTextFormat(Qt::RichText);
    m_consequences->setMinimumWidth(520);
    m_consequences->setFrameShape(QFrame::StyledPanel);
    m_consequences->setMargin(8);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress->setRange(0, 1000);
    m_progress->setVisible(false);
    m_cancel->setEnabled(false);
    m_export->setDefault(true);

    auto* format = new QHBoxLayout;
    format->addWidget(m_hf);
    format->addWidget(m_gguf);
    format->addSpacing(12);
    format->addWidget(m_typeLabel);
    format->addWidget(m_type);
    format->addStretch(1);
    auto* destination = new QHBoxLayout;
    destination->addWidget(m_destination, 1);
    destination->addWidget(m_browse);
    auto* form = new QFormLayout;
    form->addRow(m_modelLabel, m_model);
    form->addRow(m_formatLabel, format);
    form->addRow(m_destinationLabel, destination);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_progress, 1);
    buttons->addStretch(0);
    buttons->addWidget(m_export);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_close);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_consequences, 1);
    layout->addWidget(m_result);
    layout->addLayout(buttons);

    connect(m_model, &QComboBox::currentIndexChanged, this, &ExportDialog::update);
    connect(m_hf, &QRadioButton::toggled, this, &ExportDialog::update);
    connect(m_type, &QComboBox::currentIndexChanged, this, &ExportDialog::update);
    connect(m_destination, &QLineEdit::textChanged, this, &ExportDialog::update);
    connect(m_browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_export, &QPushButton::clicked, this, [this] { emit exportRequested(request()); });
    connect(m_cancel, &QPushButton::clicked, this, &ExportDialog::cancelRequested);
    connect(m_close, &QPushButton::clicked, this, &QDialog::reject);
    retranslate();
}

void ExportDialog::setTargets(const QVector<ExportTarget>& targets, const QString& selected) {
    m_targets = targets;
    m_model->clear();
    for (const auto& t : targets)
        m_model->addItem(t.name);
    const int index = m_model->findText(selected);
    m_model->setCurrentIndex(index >= 0 ? index : std::max(0, int(targets.size()) - 1));
    update();
}

void ExportDialog::setRequest(const ExportRequest& request) {
    if (const int i = m_model->findText(request.name); i >= 0)
        m_model->setCurrentIndex(i);
    (request.gguf ? m_gguf : m_hf)->setChecked(true);
    if (const int i = m_type->findData(request.type); i >= 0)
        m_type->setCurrentIndex(i);
    m_destination->setText(request.destination);
    update();
}

ExportRequest ExportDialog::request() const {
    ExportRequest r;
    r.name = m_model->currentText();
    r.gguf = m_gguf->isChecked();
    r.type = m_type->currentData().toString();
    r.destination = m_destination->text().trimmed();
    return r;
}

const ExportTarget* ExportDialog::currentTarget() const {
    const int i = m_model->currentIndex();
    return i >= 0 && i < m_targets.size() ? &m_targets[i] : nullptr;
}

QString ExportDialog::consequences(const ExportTarget& t, bool gguf) {
    QStringList lines;
    if (!gguf) {
        lines << tr("Writes a new folder with <tt>config.json</tt>, <tt>model.safetensors</tt> "
                    "(the model's dtype) "
                    "and the base's tokenizer files. The folder is written beside the destination "
                    "and renamed onto "
                    "it at the end, so a failed or cancelled export leaves nothing half-written.");
        if (t.variant)
            lines << tr("<tt>variant.json</tt> records the base (path and SHA-256), the plan, the "
                        "kept layers and the "
                        "per-layer sizes.");
        if (t.perLayerWidths || t.perLayerHeads) {
            QStringList keys;
            if (t.perLayerWidths)
                keys << QStringLiteral("<tt>anatomist_layer_intermediate_sizes</tt>");
            if (t.perLayerHeads)
                keys << QStringLiteral("<tt>anatomist_layer_num_attention_heads</tt>")
                     << QStringLiteral("<tt>anatomist_layer_num_key_value_heads</tt>");
            lines << tr("<b>Stock transformers cannot load this folder:</b> its layers differ in "
                        "size, so "
                        "config.json also holds %1. Anatomist reads these keys; transformers "
                        "ignores them and "
                        "fails on the tensor shapes. For llama.cpp, export as GGUF instead.")
                         .arg(keys.join(QStringLiteral(", ")));
        } else {
            lines << tr("Every layer has the shape config.json describes, so stock transformers "
                        "loads the folder "
                        "(AutoModelForCausalLM.from_pretrained) as well as Anatomist.");
        }
        if (t.bypass)
            lines << tr("Bypassed attention blocks keep their weights with <tt>o_proj</tt> set to "
                        "zero, so stock "
                        "loaders compute the same outputs; <tt>anatomist_attention_bypass</tt> "
                        "lets Anatomist skip "
                        "those blocks.");
        return lines.join(QStringLiteral("<br><br>"));
    }
    if (!t.gguf)
        return tr("<b>This model cannot be written as GGUF:</b> %1. Export it as a Hugging Face "
                  "folder instead.")
            .arg(t.ggufRefusal.isEmpty() ? tr("llama.cpp has no architecture for it")
                                         : t.ggufRefusal.toHtmlEscaped());
    lines << tr("Writes one <tt>.gguf</tt> file with llama.cpp's tensor names and keys, "
                "atomically. Matrices are "
                "stored in the chosen type; norms and biases stay F32, and matrices whose rows are "
                "not whole "
                "Q8_0 blocks fall back to F16, as llama.cpp's converter does.");
    if (t.perLayerWidths)
        lines << tr("The MLP widths differ between layers: the file uses llama.cpp's <tt>deci</tt> "
                    "architecture "
                    "with a per-layer <tt>deci.feed_forward_length</tt> array, which llama.cpp and "
                    "Anatomist read; "
                    "tools that only know the <tt>llama</tt> architecture cannot load it.");
    if (t.perLayerHeads)
        lines << tr("The attention head counts differ between layers: the file uses llama.cpp's "
                    "<tt>deci</tt> architecture with per-layer <tt>deci.attention.head_count</tt> "
                    "and <tt>deci.attention.head_count_kv</tt> arrays, which llama.cpp and "
                    "Anatomist read; tools that only know the <tt>llama</tt> architecture cannot "
                    "load it.");
    if (t.bypass)
        lines << tr("Bypassed attention blocks are written with <tt>o_proj</tt> set to zero: "
                    "llama.cpp computes "
                    "them (no speed-up there) but they add nothing, so the outputs are the same.");
    if (!t.vocabulary)
        lines << tr("<b>No vocabulary:</b> the source has no <tt>tokenizer.model</tt>, so the file "
                    "holds no "
                    "tokenizer and llama.cpp cannot turn text into tokens with it.");
    return lines.join(QStringLiteral("<br><br>"));
}

void ExportDialog::update() {
    const ExportTarget* t = currentTarget();
    const bool gguf = m_gguf->isChecked();
    m_type->setEnabled(gguf && !m_running);
    m_typeLabel->setEnabled(gguf);
    m_consequences->setText(t ? consequences(*t, gguf) : tr("Open a model first."));
    const bool writable = t && !(gguf && !t->gguf);
    m_export->setEnabled(!m_running && writable && !m_destination->text().trimmed().isEmpty());
}

void ExportDialog::browse() {
    const ExportTarget* t = currentTarget();
    const QString name =
        t ? QString(t->name).replace(QLatin1Char(' '), QLatin1Char('-')) : QStringLiteral("model");
    QString chosen;
    if (m_gguf->isChecked()) {
        chosen = QFileDialog::getSaveFileName(
            this, tr("Export as GGUF"),
            name + QLatin1Char('-') + m_type->currentData().toString() + QStringLiteral(".gguf"),
            tr("GGUF file (*.gguf)"));
    } else {
        chosen = QFileDialog::getSaveFileName(this, tr("New folder for the export"), name,
                                              QString(), nullptr, QFileDialog::ShowDirsOnly);
    }
    if (!chosen.isEmpty())
        m_destination->setText(chosen);
}

void ExportDialog::setRunning(bool running) {
    m_running = running;
    m_progress->setVisible(running);
    m_progress->setValue(0);
    m_cancel->setEnabled(running);
    for (QWidget* w :
         std::initializer_list<QWidget*>{m_model, m_hf, m_gguf, m_destination, m_browse})
        w->setEnabled(!running);
    if (running)
        m_result->clear();
    update();
}

void ExportDialog::setProgress(double fraction) {
    m_progress->setValue(int(std::lround(1000 * std::clamp(fraction, 0.0, 1.0))));
}

void ExportDialog::showResult(bool ok, const QString& message) {
    QPalette p = m_result->palette();
    p.setColor(QPalette::WindowText, ok ? QColor(46, 125, 50) : QColor(198, 40, 40));
    m_result->setPalette(p);
    m_result->setText(message);
}

void ExportDialog::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void ExportDialog::retranslate() {
    setWindowTitle(tr("Export variant"));
    m_modelLabel->setText(tr("&Model:"));
    m_modelLabel->setBuddy(m_model);
    m_formatLabel->setText(tr("Format:"));
    m_hf->setText(tr("&Hugging Face folder"));
    m_gguf->setText(tr("&GGUF file (llama.cpp)"));
    m_typeLabel->setText(tr("&Type:"));
    m_typeLabel->setBuddy(m_type);
    m_type->setToolTip(tr(
        "Tensor type of the matrices: f32 exact, f16 / bf16 half the size, q8_0 about a quarter"));
    m_destinationLabel->setText(tr("&Destination:"));
    m_destinationLabel->setBuddy(m_destination);
    m_destination->setPlaceholderText(tr("A new folder, or a .gguf file"));
    m_browse->setText(tr("&Browse…"));
    m_export->setText(tr("&Export"));
    m_cancel->setText(tr("Cancel"));
    m_close->setText(tr("Close"));
    update();
}

} // namespace anatomist::widgets
