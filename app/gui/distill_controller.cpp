#include "distill_controller.h"

#include "analysis/datasets.h"
#include "cli_run.h"
#include "distill/distill_run.h"
#include "distill/layer_map.h"
#include "errors.h"
#include "io/atomic_file.h"
#include "io/model_config.h"
#include "io/text_documents.h"
#include "job.h"
#include "job_runner.h"
#include "model/causal_lm.h"
#include "model/model_loader.h"
#include "model/model_saver.h"
#include "model_controller.h"
#include "plan_controller.h"
#include "prune/apply_plan.h"
#include "train/train_run.h"
#include "train/trainer.h"
#include "widgets/distill_panel.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <torch/cuda.h>

namespace anatomist::gui {

namespace fs = std::filesystem;

namespace {

constexpr const char* kLogName = "log.jsonl";
constexpr const char* kLastRunKey = "distill/lastRun"; // a run not finished yet
constexpr const char* kBuiltInCorpus = ":/data/demo_corpus.txt";
constexpr const char* kBuiltInHeldOut = ":/data/sample.txt";
// The run document's "gui" block, beside a run the CLI makes (its checkpoint does not carry it).
constexpr const char* kGuiRecordName = "gui.json";

fs::path toPath(const QString& s) {
    return fs::path(s.toStdString());
}
QString toQString(const fs::path& p) {
    return QString::fromStdString(p.string());
}

// Forwards to the runner's context and appends every event to the run's log first (flushed, so a
// crashed run keeps its curve up to the checkpoint).
class LoggedJob : public core::JobContext {
public:
    LoggedJob(core::JobContext& parent, const fs::path& log)
        : m_parent(parent)
        , m_log(log, std::ios::app) {
        if (!m_log)
            throw core::IoError(log.string() + ": cannot open the run's log for writing");
    }
    void setProgress(double fraction, std::string_view stage) override {
        m_parent.setProgress(fraction, stage);
    }
    bool isCancelled() const override { return m_parent.isCancelled(); }
    void emitEvent(const nlohmann::json& event) override {
        m_log << event.dump() << std::endl;
        m_parent.emitEvent(event);
    }

private:
    core::JobContext& m_parent;
    std::ofstream m_log;
};

// The text of a source as plain text with blank lines between documents (what the trainer reads):
// a Qt resource, a .jsonl/.ndjson file ("text" of each line), or a text file as it is.
std::string plainTrainingText(const QString& source) {
    if (source.startsWith(QLatin1String(":/"))) {
        QFile file(source);
        if (!file.open(QIODevice::ReadOnly))
            throw core::IoError(source.toStdString() + ": built-in text missing from this build");
        return file.readAll().toStdString();
    }
    const QString suffix = QFileInfo(source).suffix().toLower();
    if (suffix != QLatin1String("jsonl") && suffix != QLatin1String("ndjson"))
        return core::readTextFile(toPath(source));
    static const QRegularExpression blankLines(QStringLiteral("\\n\\s*\\n"));
    QStringList documents;
    for (const auto& text :
         core::readTextDataset(toPath(source))) // one document each, even with blank lines
        documents
            << QString::fromStdString(text).replace(blankLines, QStringLiteral("\n")).trimmed();
    documents.removeAll(QString());
    if (documents.isEmpty())
        throw core::InvalidArgument(source.toStdString() + ": no line has a non-empty \"text\"");
    return documents.join(QStringLiteral("\n\n")).toStdString();
}

// Base index of every layer a plan keeps (remove_layers only); empty when the plan is unknown.
std::vector<int> keptLayers(const QString& planJson, int baseLayers) {
    if (planJson.isEmpty())
        return {};
    std::set<int> removed;
    const auto plan = nlohmann::json::parse(planJson.toStdString(), nullptr, false);
    if (plan.is_discarded())
        return {};
    for (const auto& op : plan.value("operations", nlohmann::json::array()))
        if (op.value("op", "") == "remove_layers")
            for (const auto& l : op.value("layers", nlohmann::json::array()))
                if (l.is_number_integer())
                    removed.insert(l.get<int>());
    std::vector<int> kept;
    for (int l = 0; l < baseLayers; ++l)
        if (!removed.count(l))
            kept.push_back(l);
    return kept;
}

QString number(double value) {
    return QString::number(value, 'g', 17);
}

// The CUDA devices of the libtorch in use, for the panel's device list.
void offerCudaDevices(widgets::DistillPanel& panel) {
    const int count = torch::cuda::is_available() ? int(torch::cuda::device_count()) : 0;
    panel.setCudaDevices(
        count, count > 0 ? QString()
                         : DistillController::tr(
                               "This libtorch has no CUDA (built without it, or no CUDA device "
                               "or driver is visible), so runs go on the CPU. To train on a GPU, "
                               "build Anatomist against a CUDA libtorch (see the README)."));
}

// `anatomist-cli distill` options for the run document start() builds (--json: the summary).
QStringList cliDistillArguments(const nlohmann::json& run, int processes) {
    auto path = [&](const char* key) {
        return QString::fromStdString(run.at(key).get<std::string>());
    };
    QStringList args{QStringLiteral("distill"),
                     QStringLiteral("--teacher"),
                     path("teacher"),
                     QStringLiteral("--student"),
                     path("student"),
                     QStringLiteral("--data"),
                     path("data"),
                     QStringLiteral("--eval"),
                     path("eval_data"),
                     QStringLiteral("--out"),
                     path("out"),
                     QStringLiteral("--log"),
                     path("log")};
    const auto& distill = run.at("distill");
    for (const auto& [flag, key] :
         {std::pair{"--alpha", "alpha"}, std::pair{"--beta", "beta"}, std::pair{"--gamma", "gamma"},
          std::pair{"--temperature", "temperature"}})
        args << QLatin1String(flag) << number(distill.at(key).get<double>());
    const auto& train = run.at("train");
    args << QStringLiteral("--lr") << number(train.at("lr").get<double>());
    for (const auto& [flag, key] :
         {std::pair{"--steps", "steps"}, std::pair{"--batch", "batch_size"},
          std::pair{"--seq", "seq_len"}, std::pair{"--eval-every", "eval_every"},
          std::pair{"--checkpoint-every", "checkpoint_every"}})
        args << QLatin1String(flag) << QString::number(train.at(key).get<int64_t>());
    args << QStringLiteral("--device") << QString::fromStdString(run.value("device", "cpu"));
    args << QStringLiteral("--nproc") << QString::number(processes) << QStringLiteral("--json")
         << QStringLiteral("--quiet");
    return args;
}

QList<QJsonObject> toQt(const std::vector<nlohmann::json>& events) {
    QList<QJsonObject> out;
    out.reserve(qsizetype(events.size()));
    for (const auto& e : events)
        out << QJsonDocument::fromJson(QByteArray::fromStdString(e.dump())).object();
    return out;
}

} // namespace

DistillController::DistillController(ModelController& models, PlanController& plans,
                                     JobRunner& runner, QObject* parent)
    : QObject(parent)
    , m_models(models)
    , m_plans(plans)
    , m_runner(runner)
    , m_panel(new widgets::DistillPanel)
    , m_cli(findCliProgram()) {
    offerCudaDevices(*m_panel); // first: a remembered CUDA device needs its entry
    m_panel->restoreSettings();
    connect(m_panel, &widgets::DistillPanel::startRequested, this, &DistillController::start);
    connect(m_panel, &widgets::DistillPanel::pauseRequested, this, &DistillController::setPaused);
    connect(m_panel, &widgets::DistillPanel::cancelRequested, this, &DistillController::cancel);
    connect(m_panel, &widgets::DistillPanel::resumeRequested, this, &DistillController::resume);
    connect(&m_plans, &PlanController::variantAdded, this, &DistillController::refreshStudents);
    connect(&m_models, &ModelController::modelLoaded, this, [this](const QString& folder) {
        m_panel->setTeacher(tr("%1 (the base model)").arg(QFileInfo(folder).fileName()));
        refreshStudents();
    });
    connect(&m_runner, &JobRunner::jobEvents, this,
            [this](quint64 id, const QList<QJsonObject>& events) {
                if (id != m_job)
                    return;
                m_panel->addEvents(events);
                for (const QJsonObject& e : events) {
                    const QString type = e.value(QStringLiteral("type")).toString();
                    if (type == QLatin1String("train_paused") ||
                        type == QLatin1String("train_resumed"))
                        emit paused(type == QLatin1String("train_paused"));
                }
            });
    connect(&m_runner, &JobRunner::jobFailed, this,
            [this](quint64 id, const QString&, const QString& message) {
                if (id != m_job)
                    return;
                m_panel->setMessage(tr("Failed: %1").arg(message));
                emit failed(tr("Distillation failed"), message);
            });
    connect(&m_runner, &JobRunner::jobCancelled, this, [this](quint64 id) {
        if (id == m_job)
            m_cancelled = true;
    });
    connect(&m_runner, &JobRunner::jobEnded, this, &DistillController::onEnded);
    refreshStudents();
    // A run the last session left behind (closed during a run, or crashed) can be continued.
    const QString last = QSettings().value(QLatin1String(kLastRunKey)).toString();
    if (!last.isEmpty() && fs::exists(toPath(last) / core::kTrainCheckpointName)) {
        m_panel->setStoppedRun(last);
        m_panel->setMessage(
            tr("The run in %1 was stopped before it finished; Continue picks up from its "
               "checkpoint (open its base model first).")
                .arg(last));
    }
}

QString DistillController::runsFolder() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/runs");
}

void DistillController::refreshStudents() {
    m_panel->setStudents(m_plans.variantNames());
}

bool DistillController::start() {
    const QString cannot = tr("Cannot start the distillation");
    const auto loaded = m_models.model();
    if (m_job)
        return false;
    if (!loaded) {
        emit failed(cannot, tr("Open a model first: it is the teacher."));
        return false;
    }
    if (!loaded->tokenizer) {
        emit failed(cannot,
                    tr("%1 has no tokenizer, so the training text cannot be turned into tokens.")
                        .arg(m_models.folder()));
        return false;
    }
    const widgets::DistillSettings s = m_panel->settings();
    const auto student = m_plans.variant(s.student);
    if (!student) {
        emit failed(cannot, tr("Choose a student: apply a pruning plan first to make a variant."));
        return false;
    }
    for (const QString& source : {s.trainText, s.heldOutText})
        if (!source.isEmpty() && !QFileInfo(source).isFile()) {
            emit failed(cannot, tr("%1: no such file.").arg(source));
            return false;
        }
    const QString folder =
        s.runFolder.isEmpty()
            ? runsFolder() + QLatin1Char('/') +
                  QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))
            : s.runFolder;
    const fs::path out = fs::absolute(toPath(folder)).lexically_normal();
    if (fs::exists(out / core::kTrainCheckpointName) || fs::exists(out / "config.json")) {
        emit failed(
            cannot,
            tr("%1 already holds a distillation run. Resume it, or choose another run folder.")
                .arg(toQString(out)));
        return false;
    }
    std::error_code error;
    fs::create_directories(out, error);
    if (error) {
        emit failed(cannot, tr("%1: cannot create the run folder (%2).")
                                .arg(toQString(out), QString::fromStdString(error.message())));
        return false;
    }

    const QString plan = m_plans.variantPlan(s.student);
    nlohmann::json run = {
        {"teacher", fs::absolute(toPath(m_models.folder())).lexically_normal().string()},
        {"student", (out / "student").string()},
        {"data", (out / "train.txt").string()},
        {"eval_data", (out / "heldout.txt").string()},
        {"out", out.string()},
        {"log", (out / kLogName).string()},
        {"device", s.device.toStdString()},
        {"distill",
         {{"alpha", s.ceWeight},
          {"beta", s.klWeight},
          {"gamma", s.hiddenWeight},
          {"temperature", s.temperature}}},
        {"train",
         {{"steps", s.steps},
          {"lr", s.learningRate},
          {"batch_size", s.batchSize},
          {"seq_len", s.seqLen},
          // A held-out point every tenth of the run (at most every 50 steps), and as many
          // checkpoints.
          {"eval_every", std::clamp(s.steps / 10, 1, 50)},
          {"checkpoint_every", std::clamp(s.steps / 10, 1, 50)}}},
        // What the window needs to name the healed variant when it resumes this run.
        {"gui",
         {{"student", s.student.toStdString()},
          {"plan", plan.toStdString()},
          {"train_source",
           (s.trainText.isEmpty() ? QString::fromLatin1(kBuiltInCorpus) : s.trainText)
               .toStdString()},
          {"held_out_source",
           (s.heldOutText.isEmpty() ? QString::fromLatin1(kBuiltInHeldOut) : s.heldOutText)
               .toStdString()}}},
    };
    const QString trainSource =
        s.trainText.isEmpty() ? QString::fromLatin1(kBuiltInCorpus) : s.trainText;
    const QString heldOutSource =
        s.heldOutText.isEmpty() ? QString::fromLatin1(kBuiltInHeldOut) : s.heldOutText;
    const std::vector<int> kept = keptLayers(plan, loaded->model->numLayers());
    const int64_t baseParameters = core::countParameters(*loaded->model);
    const fs::path teacher = run["teacher"].get<std::string>();

    m_panel->saveSettings();
    m_runFolder = toQString(out);
    m_panel->clearCurves();
    m_panel->setStoppedRun(QString());
    const std::string runText = run.dump();
    const int processes = s.processes;
    const QString cli = m_cli;
    auto work = [runText, out, student, trainSource, heldOutSource, kept, baseParameters, teacher,
                 processes, cli](core::JobContext& job, const std::atomic<bool>* pause) {
        const auto run = nlohmann::json::parse(runText);
        // The run folder holds its inputs, so that a resumed run needs nothing else.
        core::writeTextAtomically(out / "train.txt", plainTrainingText(trainSource));
        core::writeTextAtomically(out / "heldout.txt", plainTrainingText(heldOutSource));
        job.setProgress(0, "student");
        core::SaveOptions save;
        save.tokenizerSource = teacher;
        core::saveModel(*student, out / "student", save, job);
        nlohmann::json variant = {
            {"format", "anatomist-variant"},
            {"version", 1},
            {"base", {{"path", teacher.string()}, {"parameters", baseParameters}}}};
        if (!kept.empty() && int(kept.size()) == student->numLayers())
            variant["kept_layers"] = kept;
        core::writeTextAtomically(out / "student" / core::kVariantFileName, variant.dump(2) + "\n");
        std::ofstream(out / kLogName, std::ios::trunc);
        if (processes > 1) {
            core::writeTextAtomically(out / kGuiRecordName, run.at("gui").dump(2) + "\n");
            return runCliWithLog(cli, cliDistillArguments(run, processes), out / kLogName, job);
        }
        LoggedJob logged(job, out / kLogName);
        return core::runDistillation(run, logged, pause);
    };
    submit(work, s.student, plan, false, processes);
    return true;
}

bool DistillController::resume(const QString& runFolder) {
    const QString cannot = tr("Cannot resume the distillation");
    if (m_job)
        return false;
    const fs::path out = fs::absolute(toPath(runFolder)).lexically_normal();
    const fs::path checkpoint = out / core::kTrainCheckpointName;
    if (!fs::exists(checkpoint)) {
        emit failed(cannot,
                    tr("%1: the checkpoint is gone, so this run cannot continue. Start a new run "
                       "instead.")
                        .arg(toQString(checkpoint)));
        return false;
    }
    nlohmann::json run;
    int64_t step = 0;
    try {
        const auto meta = core::readTrainCheckpointMeta(checkpoint);
        run = meta.at("extra");
        step = meta.at("step").get<int64_t>();
    } catch (const std::exception& e) {
        emit failed(cannot, tr("%1: not a readable checkpoint (%2).")
                                .arg(toQString(checkpoint), QString::fromUtf8(e.what())));
        return false;
    }
    if (!run.is_object() || run.value("kind", "") != "distill") {
        emit failed(cannot, tr("%1: not a distillation checkpoint.").arg(toQString(checkpoint)));
        return false;
    }
    const fs::path teacher = run.value("teacher", "");
    std::error_code error;
    if (!m_models.model() || !fs::equivalent(teacher, toPath(m_models.folder()), error)) {
        emit failed(cannot, tr("This run heals a variant of %1: open that model first.")
                                .arg(QString::fromStdString(teacher.string())));
        return false;
    }
    auto gui = run.value("gui", nlohmann::json::object());
    if (!run.contains("gui") && fs::exists(out / kGuiRecordName)) { // a run the CLI made for us
        try {
            gui = core::readJsonFile(out / kGuiRecordName);
        } catch (const core::Error&) {
            gui = nlohmann::json::object(); // only names are lost: "student healed"
        }
    }
    const QString student = QString::fromStdString(gui.value("student", std::string("student")));
    const QString plan = QString::fromStdString(gui.value("plan", std::string()));

    // The curve up to the checkpoint, then the run continues on it. A run started by the CLI may
    // keep its log elsewhere (--log), or have none: then the curve starts at the checkpoint.
    const fs::path log =
        run.value("log", "").empty() ? out / kLogName : fs::path(run.value("log", ""));
    m_runFolder = toQString(out);
    m_panel->clearCurves();
    m_panel->addEvents(toQt(core::trimTrainLog(log, step)));
    m_panel->setStoppedRun(QString());
    // Processes and device are the panel's now: neither changes the curve.
    const int processes = m_panel->settings().processes;
    const QString device = m_panel->settings().device;
    const QString cli = m_cli;
    auto work = [out, log, processes, device, cli](core::JobContext& job,
                                                   const std::atomic<bool>* pause) {
        if (processes > 1)
            return runCliWithLog(cli,
                                 {QStringLiteral("distill"), QStringLiteral("--resume"),
                                  toQString(out), QStringLiteral("--log"), toQString(log),
                                  QStringLiteral("--device"), device, QStringLiteral("--nproc"),
                                  QString::number(processes), QStringLiteral("--json"),
                                  QStringLiteral("--quiet")},
                                 log, job);
        LoggedJob logged(job, log);
        return core::resumeDistillation(out, logged, pause, nullptr, device.toStdString());
    };
    submit(work, student, plan, true, processes);
    return true;
}

void DistillController::submit(RunWork work, const QString& studentName, const QString& plan,
                               bool resuming, int processes) {
    const fs::path out = toPath(m_runFolder);
    m_cancelled = false;
    m_processes = processes;
    if (processes > 1) // the ranks cannot be held between steps: no pause
        m_pause->store(false);
    auto pause = m_pause;
    m_job = m_runner.submit(
        resuming ? tr("Distillation of %1 (resumed)").arg(studentName)
                 : tr("Distillation of %1").arg(studentName),
        [this, work, pause, out, studentName, plan](core::JobContext& job) -> JobRunner::Finish {
            const auto summary = work(job, pause.get());
            job.setProgress(1, "load");
            auto healed = core::loadModel(out, {}, job);
            auto model = healed.model;
            return [this, summary, model, studentName, plan] {
                QString text = tr("%1 healed by distillation: %2 steps")
                                   .arg(studentName)
                                   .arg(summary.value("steps", int64_t(0)));
                if (summary.contains("student_perplexity_after"))
                    text += tr("; held-out perplexity %1 → %2 (teacher %3)")
                                .arg(summary.value("student_perplexity_before", 0.0), 0, 'f', 2)
                                .arg(summary.value("student_perplexity_after", 0.0), 0, 'f', 2)
                                .arg(summary.value("teacher_perplexity", 0.0), 0, 'f', 2);
                QSettings().remove(QLatin1String(kLastRunKey));
                const QString name =
                    m_plans.addVariant(tr("%1 healed").arg(studentName), model, text, plan);
                m_panel->setMessage(tr("Done: %1 is in the Variants tab. The run is in %2.")
                                        .arg(name, m_runFolder));
                emit finished(name);
            };
        },
        {JobRunner::Lane::Long, m_models.modelTag()});
    QSettings().setValue(QLatin1String(kLastRunKey), m_runFolder);
    m_panel->setState(m_pause->load() ? widgets::DistillPanel::State::Paused
                                      : widgets::DistillPanel::State::Running);
    emit started(m_runFolder);
}

void DistillController::setPaused(bool paused) {
    if (m_job && m_processes > 1)
        return;
    m_pause->store(paused);
    if (m_job)
        m_panel->setState(paused ? widgets::DistillPanel::State::Paused
                                 : widgets::DistillPanel::State::Running);
}

void DistillController::cancel() {
    if (m_job)
        m_runner.cancel(m_job);
}

void DistillController::onEnded(quint64 id) {
    if (id != m_job || id == 0)
        return;
    m_job = 0;
    m_pause->store(false);
    m_panel->setState(widgets::DistillPanel::State::Idle);
    if (!m_cancelled)
        return;
    const fs::path checkpoint = toPath(m_runFolder) / core::kTrainCheckpointName;
    qint64 step = -1;
    try {
        if (fs::exists(checkpoint))
            step = core::readTrainCheckpointMeta(checkpoint).at("step").get<qint64>();
    } catch (const std::exception&) {
        step = -1;
    }
    if (step >= 0) {
        m_panel->setStoppedRun(m_runFolder);
        m_panel->setMessage(
            tr("Stopped at step %1. The checkpoint is in %2; Continue picks up from there.")
                .arg(step)
                .arg(m_runFolder));
    } else {
        m_panel->setMessage(tr("Stopped before the first checkpoint; there is nothing to resume."));
    }
    emit stopped(m_runFolder, step);
}

} // namespace anatomist::gui
