#include "export_controller.h"

#include "errors.h"
#include "io/gguf_types.h"
#include "job.h"
#include "job_runner.h"
#include "model/causal_lm.h"
#include "model/gguf_export.h"
#include "model/model_loader.h"
#include "model/model_saver.h"
#include "model_controller.h"
#include "plan_controller.h"
#include "prune/export_variant.h"
#include "prune/variant_record.h"
#include "variant_layout.h"

#include <QDir>
#include <QFileInfo>
#include <filesystem>

namespace anatomist::gui {

namespace fs = std::filesystem;

namespace {

bool perLayerHeads(const core::ModelConfig& c) {
    for (std::size_t i = 0; i < c.layer_num_attention_heads.size(); ++i)
        if (c.layer_num_attention_heads[i] != c.num_attention_heads ||
            (i < c.layer_num_key_value_heads.size() &&
             c.layer_num_key_value_heads[i] != c.num_key_value_heads))
            return true;
    return false;
}

} // namespace

ExportController::ExportController(ModelController& models, PlanController& plans,
                                   JobRunner& runner, QObject* parent)
    : QObject(parent)
    , m_models(models)
    , m_plans(plans)
    , m_runner(runner) {
    connect(&m_runner, &JobRunner::progress, this,
            [this](quint64 id, double fraction, const QString&) {
                if (id == m_job && m_dialog)
                    m_dialog->setProgress(fraction);
            });
    connect(&m_runner, &JobRunner::jobFailed, this,
            [this](quint64 id, const QString&, const QString& message) {
                if (id != m_job)
                    return;
                if (m_dialog)
                    m_dialog->showResult(false, message);
                emit failed(tr("Export failed"), message);
            });
    connect(&m_runner, &JobRunner::jobCancelled, this, [this](quint64 id) {
        if (id == m_job && m_dialog)
            m_dialog->showResult(false, tr("Cancelled; nothing was written."));
    });
    connect(&m_runner, &JobRunner::jobEnded, this, [this](quint64 id) {
        if (id != m_job)
            return;
        m_job = 0;
        if (m_dialog)
            m_dialog->setRunning(false);
    });
}

QVector<widgets::ExportTarget> ExportController::targets() const {
    QVector<widgets::ExportTarget> out;
    auto loaded = m_models.model();
    if (!loaded)
        return out;
    std::error_code ec;
    const bool folder = fs::is_directory(loaded->folder, ec);
    const bool vocabulary = !folder || (fs::exists(loaded->folder / "tokenizer.model", ec) &&
                                        !fs::exists(loaded->folder / "tokenizer.json", ec));
    QStringList names{m_plans.baseName()};
    names += m_plans.variantNames();
    for (const QString& name : names) {
        auto model = name == m_plans.baseName() ? loaded->model : m_plans.variant(name);
        if (!model)
            continue;
        const auto& c = model->config();
        widgets::ExportTarget t;
        t.name = name;
        t.variant = !m_plans.variantPlan(name).isEmpty();
        t.perLayerWidths = !c.uniformIntermediateSize();
        t.perLayerHeads = perLayerHeads(c);
        t.bypass = std::find(c.layer_attention_bypassed.begin(), c.layer_attention_bypassed.end(),
                             true) != c.layer_attention_bypassed.end();
        t.vocabulary = vocabulary;
        t.ggufRefusal = QString::fromStdString(core::ggufExportRefusal(*model));
        t.gguf = t.ggufRefusal.isEmpty();
        out << t;
    }
    return out;
}

void ExportController::refuse(const QString& message) {
    if (m_dialog)
        m_dialog->showResult(false, message);
    emit failed(tr("Export failed"), message);
}

quint64 ExportController::start(const widgets::ExportRequest& request) {
    auto loaded = m_models.model();
    if (m_job)
        return 0;
    auto model = !loaded                              ? nullptr
                 : request.name == m_plans.baseName() ? loaded->model
                                                      : m_plans.variant(request.name);
    if (!model) {
        refuse(tr("There is no model named %1 to export.").arg(request.name));
        return 0;
    }
    QString destination = request.destination.trimmed();
    if (destination.isEmpty()) {
        refuse(tr("Choose where to write the export."));
        return 0;
    }
    if (request.gguf && !destination.endsWith(QLatin1String(".gguf"), Qt::CaseInsensitive))
        destination += QStringLiteral(".gguf");
    destination = QFileInfo(destination).absoluteFilePath();
    const auto type = core::parseGgmlType(request.type.toStdString());
    if (request.gguf &&
        (!type || (*type != core::GgmlType::F32 && *type != core::GgmlType::F16 &&
                   *type != core::GgmlType::BF16 && *type != core::GgmlType::Q8_0))) {
        refuse(tr("GGUF type %1: use f32, f16, bf16 or q8_0.").arg(request.type));
        return 0;
    }
    // The engine's own rule, the one `anatomist-cli export --format gguf` applies.
    if (request.gguf) {
        if (const std::string why = core::ggufExportRefusal(*model); !why.empty()) {
            refuse(tr("%1 cannot be written as GGUF: %2. Export it as a Hugging Face folder "
                      "instead.")
                       .arg(request.name, QString::fromStdString(why)));
            return 0;
        }
    }
    // The input model is never written to, not even a new file beside its weights.
    std::error_code ec;
    if (fs::is_directory(loaded->folder, ec)) {
        const QString base =
            QFileInfo(QString::fromStdString(loaded->folder.string())).canonicalFilePath();
        if (destination == base || destination.startsWith(base + QLatin1Char('/'))) {
            refuse(tr("%1 is inside the base model's folder; choose a place outside it.")
                       .arg(destination));
            return 0;
        }
    }
    const QString plan =
        request.name == m_plans.baseName() ? QString() : m_plans.variantPlan(request.name);
    const fs::path out = destination.toStdString();
    const bool gguf = request.gguf;
    const core::GgmlType ggmlType = type.value_or(core::GgmlType::F32);
    const std::string name = request.name.toStdString();
    m_destination = destination;
    m_job = m_runner.submit(
        tr("Exporting %1 → %2").arg(request.name, QFileInfo(destination).fileName()),
        [this, loaded, model, plan, out, gguf, ggmlType,
         name](core::JobContext& job) -> JobRunner::Finish {
            std::error_code ec;
            const fs::path baseFolder =
                fs::is_directory(loaded->folder, ec) ? loaded->folder : fs::path();
            if (gguf) {
                core::GgufExportOptions options;
                options.type = ggmlType;
                options.tokenizerSource = loaded->folder;
                options.name = name;
                if (fs::is_directory(out, ec))
                    throw core::InvalidArgument(out.string() +
                                                ": is a folder; a GGUF export is one file");
                core::exportGguf(*model, out, options, job);
            } else if (!plan.isEmpty()) {
                core::ExportOptions options;
                options.baseFolder = baseFolder;
                core::exportVariant(*model, recordForVariant(*loaded, *model, plan), out, options,
                                    job);
            } else {
                // The base, or a row made without a plan: the same checks as exportVariant.
                if (fs::exists(out, ec) && (!fs::is_directory(out, ec) || !fs::is_empty(out, ec)))
                    throw core::InvalidArgument(
                        out.string() + ": exists and is not an empty folder; choose a new folder");
                if (!baseFolder.empty() && fs::exists(out, ec) &&
                    fs::equivalent(out, baseFolder, ec))
                    throw core::InvalidArgument(
                        out.string() + ": is the base model folder; choose another folder");
                core::SaveOptions options;
                options.tokenizerSource = baseFolder;
                core::saveModel(*model, out, options, job);
            }
            return [this, destination = QString::fromStdString(out.string())] {
                if (m_dialog)
                    m_dialog->showResult(true,
                                         tr("Wrote %1").arg(QDir::toNativeSeparators(destination)));
                emit exported(destination);
            };
        },
        {JobRunner::Lane::Long, m_models.modelTag()});
    if (m_dialog)
        m_dialog->setRunning(true);
    return m_job;
}

widgets::ExportDialog* ExportController::dialog(QWidget* parent, const QString& selected) {
    if (!m_dialog) {
        m_dialog = new widgets::ExportDialog(parent);
        connect(m_dialog, &widgets::ExportDialog::exportRequested, this, &ExportController::start);
        connect(m_dialog, &widgets::ExportDialog::cancelRequested, this, [this] {
            if (m_job)
                m_runner.cancel(m_job);
        });
    }
    m_dialog->setTargets(targets(), selected);
    return m_dialog;
}

} // namespace anatomist::gui
