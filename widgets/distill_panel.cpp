#include "distill_panel.h"

#include "loss_curves.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace anatomist::widgets {

namespace {

// Learning rates read best as 4e-05, not 0.0000400.
class ScientificSpinBox : public QDoubleSpinBox {
public:
    using QDoubleSpinBox::QDoubleSpinBox;
    QString textFromValue(double value) const override { return locale().toString(value, 'g', 3); }
    double valueFromText(const QString& text) const override {
        bool ok = false;
        const double v = locale().toDouble(text, &ok);
        return ok ? v : value();
    }
    QValidator::State validate(QString& text, int&) const override {
        if (text.isEmpty())
            return QValidator::Intermediate;
        bool ok = false;
        locale().toDouble(text, &ok);
        return ok ? QValidator::Acceptable : QValidator::Intermediate;
    }
};

QDoubleSpinBox* weightBox(QWidget* parent) {
    auto* box = new QDoubleSpinBox(parent);
    box->setRange(0, 10);
    box->setDecimals(2);
    box->setSingleStep(0.1);
    return box;
}

const char* kKeys[] = {"trainText",   "heldOutText", "ce",    "kl",    "hidden",
                       "temperature", "steps",       "lr",    "batch", "seqLen",
                       "runFolder",   "processes",   "device"};

} // namespace

DistillPanel::DistillPanel(QWidget* parent)
    : QWidget(parent)
    , m_heading(new QLabel(this))
    , m_intro(new QLabel(this))
    , m_empty(new QLabel(this))
    , m_status(new QLabel(this))
    , m_curves(new LossCurves(this)) {
    setObjectName(QStringLiteral("distillPanel"));
    QFont headingFont = m_heading->font();
    headingFont.setBold(true);
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.15);
    m_heading->setFont(headingFont);
    m_intro->setWordWrap(true);
    m_empty->setWordWrap(true);
    m_empty->setObjectName(QStringLiteral("distillEmpty"));
    m_empty->setStyleSheet(QStringLiteral(
        "QLabel { padding: 6px; border: 1px solid palette(mid); border-radius: 3px; }"));

    auto* settings = new QWidget;
    auto* left = new QVBoxLayout(settings);
    left->setContentsMargins(0, 0, 6, 0);

    auto form = [](QGroupBox* box) {
        auto* f = new QFormLayout(box);
        f->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        f->setRowWrapPolicy(QFormLayout::DontWrapRows);
        return f;
    };
    auto pathRow = [settings](QLineEdit*& edit, QToolButton*& button, const char* name) {
        auto* row = new QWidget(settings);
        auto* h = new QHBoxLayout(row);
        h->setContentsMargins(0, 0, 0, 0);
        edit = new QLineEdit(row);
        edit->setObjectName(QLatin1String(name));
        edit->setClearButtonEnabled(true);
        button = new QToolButton(row);
        button->setText(QStringLiteral("…"));
        h->addWidget(edit, 1);
        h->addWidget(button);
        return row;
    };

    m_modelsBox = new QGroupBox(settings);
    auto* models = form(m_modelsBox);
    m_teacherLabel = new QLabel(m_modelsBox);
    m_teacher = new QLabel(m_modelsBox);
    m_studentLabel = new QLabel(m_modelsBox);
    m_student = new QComboBox(m_modelsBox);
    m_student->setObjectName(QStringLiteral("distillStudent"));
    m_student->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_student->setMinimumContentsLength(12);
    models->addRow(m_teacherLabel, m_teacher);
    models->addRow(m_studentLabel, m_student);

    m_dataBox = new QGroupBox(settings);
    auto* data = form(m_dataBox);
    data->setRowWrapPolicy(QFormLayout::WrapAllRows); // file paths get the whole width
    m_trainLabel = new QLabel(m_dataBox);
    m_heldOutLabel = new QLabel(m_dataBox);
    data->addRow(m_trainLabel, pathRow(m_train, m_trainBrowse, "distillTrainText"));
    data->addRow(m_heldOutLabel, pathRow(m_heldOut, m_heldOutBrowse, "distillHeldOutText"));

    m_lossBox = new QGroupBox(settings);
    auto* loss = form(m_lossBox);
    m_klLabel = new QLabel(m_lossBox);
    m_kl = weightBox(m_lossBox);
    m_ceLabel = new QLabel(m_lossBox);
    m_ce = weightBox(m_lossBox);
    m_hiddenLabel = new QLabel(m_lossBox);
    m_hidden = weightBox(m_lossBox);
    m_temperatureLabel = new QLabel(m_lossBox);
    m_temperature = new QDoubleSpinBox(m_lossBox);
    m_temperature->setRange(0.1, 20);
    m_temperature->setDecimals(1);
    m_temperature->setSingleStep(0.5);
    loss->addRow(m_klLabel, m_kl);
    loss->addRow(m_ceLabel, m_ce);
    loss->addRow(m_hiddenLabel, m_hidden);
    loss->addRow(m_temperatureLabel, m_temperature);

    m_trainBox = new QGroupBox(settings);
    auto* train = form(m_trainBox);
    m_stepsLabel = new QLabel(m_trainBox);
    m_steps = new QSpinBox(m_trainBox);
    m_steps->setRange(1, 1'000'000);
    m_steps->setObjectName(QStringLiteral("distillSteps"));
    m_lrLabel = new QLabel(m_trainBox);
    m_lr = new ScientificSpinBox(m_trainBox);
    m_lr->setDecimals(12);
    m_lr->setRange(1e-8, 1);
    m_lr->setSingleStep(1e-5);
    m_batchLabel = new QLabel(m_trainBox);
    m_batch = new QSpinBox(m_trainBox);
    m_batch->setRange(1, 1024);
    m_seqLabel = new QLabel(m_trainBox);
    m_seq = new QSpinBox(m_trainBox);
    m_seq->setRange(8, 32768);
    m_seq->setSingleStep(64);
    m_processesLabel = new QLabel(m_trainBox);
    m_processes = new QSpinBox(m_trainBox);
    m_processes->setRange(1, 64);
    m_processes->setObjectName(QStringLiteral("distillProcesses"));
    m_deviceLabel = new QLabel(m_trainBox);
    m_device = new QComboBox(m_trainBox);
    m_device->setObjectName(QStringLiteral("distillDevice"));
    m_folderLabel = new QLabel(m_trainBox);
    train->addRow(m_stepsLabel, m_steps);
    train->addRow(m_lrLabel, m_lr);
    train->addRow(m_batchLabel, m_batch);
    train->addRow(m_seqLabel, m_seq);
    train->addRow(m_processesLabel, m_processes);
    train->addRow(m_deviceLabel, m_device);
    train->addRow(m_folderLabel, pathRow(m_folder, m_folderBrowse, "distillRunFolder"));

    m_start = new QPushButton(QIcon(QStringLiteral(":/icons/run.svg")), QString(), this);
    m_start->setObjectName(QStringLiteral("distillStart"));
    m_pause = new QPushButton(this);
    m_pause->setObjectName(QStringLiteral("distillPause"));
    m_cancel = new QPushButton(QIcon(QStringLiteral(":/icons/cancel.svg")), QString(), this);
    m_cancel->setObjectName(QStringLiteral("distillCancel"));
    m_continue = new QPushButton(this);
    m_continue->setObjectName(QStringLiteral("distillContinue"));
    m_open = new QPushButton(QIcon(QStringLiteral(":/icons/open.svg")), QString(), this);
    auto* buttons = new QGridLayout;
    buttons->addWidget(m_start, 0, 0);
    buttons->addWidget(m_pause, 0, 1);
    buttons->addWidget(m_cancel, 0, 2);
    buttons->addWidget(m_continue, 1, 0, 1, 1);
    buttons->addWidget(m_open, 1, 1, 1, 2);

    left->addWidget(m_modelsBox);
    left->addWidget(m_dataBox);
    left->addWidget(m_lossBox);
    left->addWidget(m_trainBox);
    left->addStretch(1);

    auto* scroll = new QScrollArea(this);
    scroll->setWidget(settings);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // The buttons stay in sight below the settings, however short the window.
    auto* column = new QWidget(this);
    column->setMinimumWidth(310);
    column->setMaximumWidth(380);
    auto* columnLayout = new QVBoxLayout(column);
    columnLayout->setContentsMargins(0, 0, 0, 0);
    columnLayout->addWidget(scroll, 1);
    columnLayout->addLayout(buttons);

    m_status->setObjectName(QStringLiteral("distillStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_exportPlot = new QPushButton(QIcon(QStringLiteral(":/icons/export.svg")), QString(), this);
    m_exportData = new QPushButton(QIcon(QStringLiteral(":/icons/export.svg")), QString(), this);
    auto* right = new QVBoxLayout;
    right->addWidget(m_status);
    right->addWidget(m_curves, 1);
    auto* exports = new QHBoxLayout;
    exports->addStretch(1);
    exports->addWidget(m_exportPlot);
    exports->addWidget(m_exportData);
    right->addLayout(exports);

    auto* body = new QHBoxLayout;
    body->addWidget(column);
    body->addLayout(right, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_intro);
    layout->addWidget(m_empty);
    layout->addLayout(body, 1);

    connect(m_start, &QPushButton::clicked, this, &DistillPanel::startRequested);
    connect(m_pause, &QPushButton::clicked, this,
            [this] { emit pauseRequested(m_state != State::Paused); });
    connect(m_cancel, &QPushButton::clicked, this, &DistillPanel::cancelRequested);
    connect(m_continue, &QPushButton::clicked, this,
            [this] { emit resumeRequested(m_stoppedRun); });
    connect(m_open, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(
            this, tr("Resume a distillation run"),
            m_stoppedRun.isEmpty() ? m_folder->text() : m_stoppedRun);
        if (!folder.isEmpty())
            emit resumeRequested(folder);
    });
    connect(m_trainBrowse, &QToolButton::clicked, this, [this] { browse(m_train, false); });
    connect(m_heldOutBrowse, &QToolButton::clicked, this, [this] { browse(m_heldOut, false); });
    connect(m_folderBrowse, &QToolButton::clicked, this, [this] { browse(m_folder, true); });
    connect(m_exportPlot, &QPushButton::clicked, this, [this] { exportCurves(false); });
    connect(m_exportData, &QPushButton::clicked, this, [this] { exportCurves(true); });
    connect(m_processes, &QSpinBox::valueChanged, this, &DistillPanel::updateButtons);

    retranslate(); // fills the device list
    setSettings(DistillSettings{});
    updateButtons();
}

void DistillPanel::setTeacher(const QString& name) {
    m_teacher->setText(name);
}

void DistillPanel::setStudents(const QStringList& names) {
    const QString current = m_student->currentText();
    m_student->clear();
    m_student->addItems(names);
    if (names.contains(current))
        m_student->setCurrentText(current);
    else if (!names.isEmpty())
        m_student->setCurrentIndex(int(names.size()) - 1); // the newest variant
    updateButtons();
}

QStringList DistillPanel::students() const {
    QStringList names;
    for (int i = 0; i < m_student->count(); ++i)
        names << m_student->itemText(i);
    return names;
}

DistillSettings DistillPanel::settings() const {
    DistillSettings s;
    s.student = m_student->currentText();
    s.trainText = m_train->text().trimmed();
    s.heldOutText = m_heldOut->text().trimmed();
    s.ceWeight = m_ce->value();
    s.klWeight = m_kl->value();
    s.hiddenWeight = m_hidden->value();
    s.temperature = m_temperature->value();
    s.steps = m_steps->value();
    s.learningRate = m_lr->value();
    s.batchSize = m_batch->value();
    s.seqLen = m_seq->value();
    s.runFolder = m_folder->text().trimmed();
    s.processes = m_processes->value();
    s.device = m_device->currentData().toString();
    return s;
}

void DistillPanel::setSettings(const DistillSettings& s) {
    if (!s.student.isEmpty() && m_student->findText(s.student) >= 0)
        m_student->setCurrentText(s.student);
    m_train->setText(s.trainText);
    m_heldOut->setText(s.heldOutText);
    m_ce->setValue(s.ceWeight);
    m_kl->setValue(s.klWeight);
    m_hidden->setValue(s.hiddenWeight);
    m_temperature->setValue(s.temperature);
    m_steps->setValue(s.steps);
    m_lr->setValue(s.learningRate);
    m_batch->setValue(s.batchSize);
    m_seq->setValue(s.seqLen);
    m_folder->setText(s.runFolder);
    m_processes->setValue(s.processes);
    const int device = m_device->findData(s.device);
    const auto* items = qobject_cast<QStandardItemModel*>(m_device->model());
    const bool usable = device >= 0 && (!items || items->item(device)->isEnabled());
    m_device->setCurrentIndex(usable ? device : 0);
}

void DistillPanel::setCudaDevices(int count, const QString& reason) {
    const DistillSettings s = settings();
    m_cudaCount = std::max(0, count);
    m_cudaReason = reason;
    fillDevices();
    setSettings(s);
}

void DistillPanel::fillDevices() {
    const QString current = m_device->currentData().toString();
    m_device->clear();
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    for (int i = 0; i < m_cudaCount; ++i)
        m_device->addItem(tr("CUDA device %1").arg(i), QStringLiteral("cuda:%1").arg(i));
    if (m_cudaCount == 0) {
        m_device->addItem(tr("CUDA (not available)"), QStringLiteral("cuda"));
        if (auto* items = qobject_cast<QStandardItemModel*>(m_device->model())) {
            auto* cuda = items->item(1);
            cuda->setEnabled(false);
            cuda->setToolTip(m_cudaReason);
        }
    }
    const int index = m_device->findData(current);
    m_device->setCurrentIndex(index > 0 && m_cudaCount > 0 ? index : 0);
}

void DistillPanel::saveSettings() const {
    const DistillSettings s = settings();
    const QVariantList values{s.trainText,    s.heldOutText, s.ceWeight,  s.klWeight,
                              s.hiddenWeight, s.temperature, s.steps,     s.learningRate,
                              s.batchSize,    s.seqLen,      s.runFolder, s.processes,
                              s.device};
    QSettings settings;
    for (int i = 0; i < values.size(); ++i)
        settings.setValue(QStringLiteral("distill/") + QLatin1String(kKeys[i]), values[i]);
}

void DistillPanel::restoreSettings() {
    QSettings q;
    const DistillSettings d;
    auto get = [&](int i, const QVariant& fallback) {
        return q.value(QStringLiteral("distill/") + QLatin1String(kKeys[i]), fallback);
    };
    DistillSettings s;
    s.trainText = get(0, d.trainText).toString();
    s.heldOutText = get(1, d.heldOutText).toString();
    s.ceWeight = get(2, d.ceWeight).toDouble();
    s.klWeight = get(3, d.klWeight).toDouble();
    s.hiddenWeight = get(4, d.hiddenWeight).toDouble();
    s.temperature = get(5, d.temperature).toDouble();
    s.steps = get(6, d.steps).toInt();
    s.learningRate = get(7, d.learningRate).toDouble();
    s.batchSize = get(8, d.batchSize).toInt();
    s.seqLen = get(9, d.seqLen).toInt();
    s.runFolder = get(10, d.runFolder).toString();
    s.processes = get(11, d.processes).toInt();
    s.device = get(12, d.device).toString();
    s.student = m_student->currentText();
    setSettings(s);
}

void DistillPanel::setState(State state) {
    m_state = state;
    if (state == State::Running)
        m_message.clear();
    updateButtons();
    updateStatus();
}

void DistillPanel::setStoppedRun(const QString& folder) {
    m_stoppedRun = folder;
    updateButtons();
}

void DistillPanel::addEvents(const QList<QJsonObject>& events) {
    for (const QJsonObject& e : events)
        if (e.value(QStringLiteral("type")).toString() == QLatin1String("train_step")) {
            m_step = e.value(QStringLiteral("step")).toInteger();
            m_totalSteps = e.value(QStringLiteral("steps")).toInteger();
            m_tokensPerSecond = e.value(QStringLiteral("tokens_per_second")).toDouble();
            m_elapsed = e.value(QStringLiteral("elapsed")).toDouble();
        }
    m_curves->addEvents(events);
    updateStatus();
}

void DistillPanel::clearCurves() {
    m_curves->clear();
    m_step = m_totalSteps = 0;
    m_tokensPerSecond = m_elapsed = 0;
    updateStatus();
}

void DistillPanel::setMessage(const QString& text) {
    m_message = text;
    updateStatus();
}

QString DistillPanel::statusText() const {
    return m_status->text();
}

void DistillPanel::updateStatus() {
    if (!m_message.isEmpty()) {
        m_status->setText(m_message);
        return;
    }
    if (m_totalSteps <= 0) {
        m_status->setText(
            m_state == State::Idle ? tr("Not running. Choose a student and press Start.")
            : m_state == State::Paused
                ? tr("Paused before the first step.")
                : tr("Preparing: loading the teacher and the student, reading the text…"));
        return;
    }
    const QLocale locale;
    QString text = tr("Step %1 of %2 · %3 tokens/s")
                       .arg(locale.toString(m_step), locale.toString(m_totalSteps),
                            locale.toString(m_tokensPerSecond, 'f', 0));
    if (m_state != State::Idle && m_step > 0 && m_step < m_totalSteps && m_elapsed > 0) {
        const qint64 seconds =
            qint64(std::llround(m_elapsed / double(m_step) * double(m_totalSteps - m_step)));
        const QString eta = seconds >= 3600
                                ? tr("%1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60)
                            : seconds >= 60 ? tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60)
                                            : tr("%1 s").arg(seconds);
        text += tr(" · about %1 left").arg(eta);
    }
    if (m_state == State::Paused)
        text += tr(" · paused");
    m_status->setText(text);
}

void DistillPanel::updateButtons() {
    const bool idle = m_state == State::Idle;
    const bool haveStudent = m_student->count() > 0;
    m_start->setEnabled(idle && haveStudent);
    // The ranks of a multi-process run are separate programs: nothing holds them between steps.
    const bool multiProcess = m_processes->value() > 1;
    m_pause->setEnabled(!idle && !multiProcess);
    m_pause->setToolTip(multiProcess
                            ? tr("Pause is not available for a run on several processes: "
                                 "Cancel keeps a checkpoint, and Continue goes on from it.")
                            : tr("Holds the run between two steps."));
    m_cancel->setEnabled(!idle);
    m_continue->setEnabled(idle && !m_stoppedRun.isEmpty());
    m_open->setEnabled(idle);
    for (QWidget* w :
         std::initializer_list<QWidget*>{m_modelsBox, m_dataBox, m_lossBox, m_trainBox})
        w->setEnabled(idle);
    m_empty->setVisible(!haveStudent);
    m_pause->setText(m_state == State::Paused ? tr("Resume") : tr("Pause"));
    m_pause->setIcon(
        QIcon(m_state == State::Paused ? QStringLiteral(":/icons/run.svg") : QString()));
}

void DistillPanel::browse(QLineEdit* edit, bool folder) {
    const QString chosen =
        folder ? QFileDialog::getExistingDirectory(this, tr("Run folder"), edit->text())
               : QFileDialog::getOpenFileName(this, tr("Text for distillation"), edit->text(),
                                              tr("Text (*.txt *.jsonl *.ndjson);;All files (*)"));
    if (!chosen.isEmpty())
        edit->setText(chosen);
}

void DistillPanel::exportCurves(bool data) {
    const QString file =
        data ? QFileDialog::getSaveFileName(this, tr("Export the curve data"),
                                            QStringLiteral("distillation.csv"), tr("CSV (*.csv)"))
             : QFileDialog::getSaveFileName(this, tr("Export the plot"),
                                            QStringLiteral("distillation.png"),
                                            tr("Images (*.png *.svg *.pdf)"));
    if (file.isEmpty())
        return;
    if (!(data ? m_curves->exportCsv(file) : m_curves->exportPlot(file)))
        QMessageBox::warning(this, tr("Export failed"), tr("Could not write %1.").arg(file));
}

void DistillPanel::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void DistillPanel::retranslate() {
    m_heading->setText(tr("Heal a variant by distillation"));
    m_intro->setText(
        tr("The student (a pruned variant) learns to reproduce the teacher (the base model) on the "
           "training text. The run continues in the background; its folder keeps a checkpoint, "
           "so a stopped run can be resumed."));
    m_empty->setText(
        tr("No student yet: mark layers or neurons to remove, press Apply in the Pruning plan tab, "
           "then heal the variant here."));
    m_modelsBox->setTitle(tr("Models"));
    m_teacherLabel->setText(tr("Teacher:"));
    m_teacher->setToolTip(tr("The base model, as loaded: it is only read, never changed."));
    m_studentLabel->setText(tr("Student:"));
    m_student->setToolTip(
        tr("The variant to heal. It is copied into the run folder; the healed copy becomes a "
           "new variant."));
    m_dataBox->setTitle(tr("Text"));
    m_trainLabel->setText(tr("Training text:"));
    m_train->setPlaceholderText(tr("built-in demo corpus"));
    m_train->setToolTip(
        tr("A .txt file (documents separated by blank lines) or a .jsonl file (one object "
           "with a \"text\" field per line). Empty: the built-in demo corpus."));
    m_heldOutLabel->setText(tr("Held-out text:"));
    m_heldOut->setPlaceholderText(tr("built-in sample text"));
    m_heldOut->setToolTip(
        tr("Text the student never trains on: its perplexity is measured on it during the "
           "run, with the teacher's as the reference line. Empty: the built-in sample."));
    m_trainBrowse->setToolTip(tr("Choose a file"));
    m_heldOutBrowse->setToolTip(tr("Choose a file"));
    m_lossBox->setTitle(tr("Loss = α·CE + β·KL + γ·hidden"));
    m_klLabel->setText(tr("KL weight (β):"));
    const QString kl =
        tr("Kullback–Leibler divergence from the teacher's next-token distribution to the "
           "student's, both softened by the temperature (scaled by T²). Curve: \"kl\".");
    m_klLabel->setToolTip(kl);
    m_kl->setToolTip(kl);
    m_ceLabel->setText(tr("CE weight (α):"));
    const QString ce =
        tr("Cross-entropy of the student on the training text (predicting the actual next "
           "token). Curve: \"ce\".");
    m_ceLabel->setToolTip(ce);
    m_ce->setToolTip(ce);
    m_hiddenLabel->setText(tr("Hidden weight (γ):"));
    const QString hidden =
        tr("Mean of 1 − cosine between each student layer's output and the output of the "
           "teacher layer it replaces (the layers the plan kept). 0 turns it off. "
           "Curve: \"hidden\".");
    m_hiddenLabel->setToolTip(hidden);
    m_hidden->setToolTip(hidden);
    m_temperatureLabel->setText(tr("Temperature (T):"));
    const QString temperature =
        tr("Softens both distributions before the KL term; 2 is the usual value.");
    m_temperatureLabel->setToolTip(temperature);
    m_temperature->setToolTip(temperature);
    m_trainBox->setTitle(tr("Training"));
    m_stepsLabel->setText(tr("Steps:"));
    m_steps->setSuffix(tr(" steps"));
    m_steps->setToolTip(tr("Optimizer steps; each one sees batch × accumulation (4) sequences."));
    m_lrLabel->setText(tr("Learning rate:"));
    m_lr->setToolTip(
        tr("Peak AdamW learning rate: 5 % linear warm-up, then cosine decay to 5 % of it."));
    m_batchLabel->setText(tr("Batch:"));
    m_batch->setSuffix(tr(" sequences"));
    m_seqLabel->setText(tr("Sequence length:"));
    m_seq->setSuffix(tr(" tokens"));
    m_processesLabel->setText(tr("Processes:"));
    const QString processes =
        tr("1: the run is the window's own. More: anatomist-cli runs it on that many processes "
           "(data-parallel, on PyTorch's distributed engine); each takes its share of every batch, "
           "so the batch must be a multiple of the count. Such a run cannot pause.");
    m_processesLabel->setToolTip(processes);
    m_processes->setToolTip(processes);
    m_deviceLabel->setText(tr("Device:"));
    const QString device = tr("Where the teacher and the student run (all processes of a "
                              "multi-process run use the same kind of device).");
    m_deviceLabel->setToolTip(device);
    m_device->setToolTip(device);
    fillDevices();
    m_folderLabel->setText(tr("Run folder:"));
    m_folder->setPlaceholderText(tr("new folder under runs/"));
    m_folder->setToolTip(
        tr("Where the checkpoint, the event log and the healed model are written. Empty: a "
           "new folder named after the date and time in the application's runs folder."));
    m_folderBrowse->setToolTip(tr("Choose a folder"));
    m_start->setText(tr("Start"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stops the run after the current step and keeps a checkpoint."));
    m_continue->setText(tr("Continue"));
    m_continue->setToolTip(tr("Continues the stopped run from its checkpoint, on the same curve."));
    m_open->setText(tr("Resume a run…"));
    m_open->setToolTip(tr("Continues a run from the checkpoint in its folder."));
    m_exportPlot->setText(tr("Export plot…"));
    m_exportData->setText(tr("Export data…"));
    updateButtons();
    updateStatus();
}

} // namespace anatomist::widgets
