#include "contrastive_controller.h"

#include "analysis/audit_report.h"
#include "analysis/contrastive.h"
#include "analysis/datasets.h"
#include "analysis/fairness_audit.h"
#include "analysis/pair_sets.h"
#include "analysis_converters.h"
#include "cli/audit_pdf.h" // the same PDF as `anatomist-cli audit --pdf`
#include "io/atomic_file.h"
#include "model/model_loader.h"
#include "model_controller.h"
#include "widgets/contrastive_view.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace anatomist::gui {

namespace {
// A pair file from the resources (":/…") cannot be opened by path in core: copy it to a temporary.
std::string readablePath(const QString& file, std::string& temporary) {
    if (!file.startsWith(QLatin1Char(':')))
        return file.toStdString();
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        return file.toStdString();
    const QString suffix = QFileInfo(file).suffix();
    temporary = (QDir::tempPath() + QStringLiteral("/anatomist-pairs-%1.%2")
                                        .arg(QCoreApplication::applicationPid())
                                        .arg(suffix))
                    .toStdString();
    QFile out(QString::fromStdString(temporary));
    if (out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        out.write(in.readAll());
    return temporary;
}
} // namespace

ContrastiveController::ContrastiveController(ModelController& models, JobRunner& runner,
                                             widgets::ContrastiveView* view, QObject* parent)
    : ViewController(models, runner, parent)
    , m_view(view) {
    connect(view, &widgets::ContrastiveView::runRequested, this, &ContrastiveController::run);
    connect(view, &widgets::ContrastiveView::loadRequested, this,
            &ContrastiveController::loadPairs);
    connect(view, &widgets::ContrastiveView::detailsRequested, this,
            &ContrastiveController::computeDetails);
    connect(view, &widgets::ContrastiveView::pairSetRequested, this,
            &ContrastiveController::loadPairSet);
    connect(view, &widgets::ContrastiveView::auditRequested, this,
            &ContrastiveController::exportAudit);
    QStringList names;
    for (const auto& n : core::defaultPairSetNames())
        names << QString::fromStdString(n);
    view->setPairSetNames(names);
    connect(&m_runner, &JobRunner::jobFailed, this,
            [this](quint64 id, const QString&, const QString& message) {
                if (id == m_loadJob || id == m_detailsJob)
                    emit failed(message);
            });
    connect(&m_runner, &JobRunner::jobEnded, this, [this](quint64 id) {
        if (id == m_loadJob)
            m_loadJob = 0;
        if (id == m_detailsJob)
            m_detailsJob = 0;
    });
}

void ContrastiveController::loadPairs(const QString& file) {
    std::string temporary;
    const std::string path = readablePath(file, temporary);
    m_loadJob =
        m_runner.submit(tr("Reading prompt pairs"),
                        [this, file, path, temporary](core::JobContext&) -> JobRunner::Finish {
                            std::vector<core::PromptPair> pairs;
                            try {
                                pairs = core::readPromptPairs(path);
                            } catch (...) {
                                if (!temporary.empty())
                                    QFile::remove(QString::fromStdString(temporary));
                                throw;
                            }
                            if (!temporary.empty())
                                QFile::remove(QString::fromStdString(temporary));
                            const auto data = toPromptPairData(pairs);
                            return [this, data, file] {
                                m_view->clearResults();
                                m_view->setPairs(data, file);
                                emit pairsLoaded();
                            };
                        });
}

void ContrastiveController::loadPairSet(const QString& name) {
    if (name.isEmpty()) {
        loadPairs(builtInPairsPath());
        return;
    }
    const std::string set = name.toStdString();
    m_loadJob = m_runner.submit(
        tr("Reading prompt pairs"), [this, name, set](core::JobContext&) -> JobRunner::Finish {
            const auto pairs = set == "*" ? core::readAuditPairs(core::defaultPairSetNames()).pairs
                                          : core::loadPairSet(set);
            const auto data = toPromptPairData(pairs);
            return [this, data, name] {
                m_view->clearResults();
                m_view->setPairs(data, QStringLiteral("set:") + name);
                emit pairsLoaded();
            };
        });
}

std::shared_ptr<core::LoadedModel>
ContrastiveController::modelAndPairs(std::vector<widgets::PromptPairData>& rows) {
    auto loaded = modelWithTokenizer();
    if (!loaded)
        return nullptr;
    rows = m_view->pairs();
    if (rows.empty()) {
        emit failed(tr("Add at least one prompt pair (or load a pair file) first."));
        return nullptr;
    }
    return loaded;
}

void ContrastiveController::exportAudit(const QString& file) {
    std::vector<widgets::PromptPairData> rows;
    const auto loaded = modelAndPairs(rows);
    if (!loaded)
        return;
    // The command line that reproduces the report: the set's name or file when the editor holds
    // one unchanged, else a file the user must save the pairs to.
    const QString source = m_view->pairsSource();
    QString pairsArg = QStringLiteral(" --pairs PAIRS.jsonl");
    if (source == QLatin1String("set:*"))
        pairsArg.clear();
    else if (source.startsWith(QLatin1String("set:")))
        pairsArg = QStringLiteral(" --pairs ") + source.mid(4);
    else if (!source.isEmpty() && !source.startsWith(QLatin1Char(':')))
        pairsArg = QStringLiteral(" --pairs '") + source + QLatin1Char('\'');
    core::AuditPairs input;
    input.pairs = toPromptPairs(rows);
    if (source.startsWith(QLatin1String("set:"))) {
        // An unchanged default set: named as `audit --pairs NAME` names it (the same pairs).
        const std::string set = source.mid(4).toStdString();
        input.sources = core::readAuditPairs(set == "*" ? core::defaultPairSetNames()
                                                        : std::vector<std::string>{set})
                            .sources;
    } else {
        input.sources.emplace_back(source.isEmpty() || source.startsWith(QLatin1Char(':'))
                                       ? std::string("pairs in the window's editor")
                                       : source.toStdString(),
                                   input.pairs.size());
    }
    // The type comes from the extension (the dialog adds its filter's): as the CLI's --pdf and
    // --json, which also write the HTML (--out); here only the chosen file is written.
    const QString suffix = QFileInfo(file).suffix().toLower();
    const AuditFormat format = suffix == QLatin1String("pdf")    ? AuditFormat::Pdf
                               : suffix == QLatin1String("json") ? AuditFormat::Json
                                                                 : AuditFormat::Html;
    const QString outArg = format == AuditFormat::Html ? QStringLiteral(" --out '%1'").arg(file)
                           : format == AuditFormat::Pdf
                               ? QStringLiteral(" --out report.html --pdf '%1'").arg(file)
                               : QStringLiteral(" --out report.html --json '%1'").arg(file);
    const core::AuditReportText text{
        QStringLiteral("anatomist-cli audit '%1'%2%3")
            .arg(QString::fromStdString(loaded->folder.string()), pairsArg, outArg)
            .toStdString(),
        QStringLiteral("Anatomist %1").arg(QCoreApplication::applicationVersion()).toStdString()};
    const std::string target = file.toStdString();
    submit(tr("Fairness audit"),
           [this, loaded, input, text, target, file,
            format](core::JobContext& job) -> JobRunner::Finish {
               const auto result = core::runFairnessAudit(*loaded, input, {}, job);
               if (format == AuditFormat::Json) {
                   auto document = core::toJson(result);
                   document["command_line"] = text.commandLine;
                   core::writeTextAtomically(target, document.dump(1) + "\n");
               } else if (format == AuditFormat::Pdf) {
                   // The CLI's writer (QTextDocument + QPdfWriter, both usable off the GUI thread).
                   cli::writeAuditPdf(core::auditReportHtml(result, text), target);
               } else {
                   core::writeTextAtomically(target, core::auditReportHtml(result, text));
               }
               return [this, file] {
                   m_view->showAuditWritten(file);
                   emit auditWritten(file);
                   emit finished();
               };
           });
}

void ContrastiveController::run() {
    std::vector<widgets::PromptPairData> rows;
    const auto loaded = modelAndPairs(rows);
    if (!loaded)
        return;
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i].a.trimmed().isEmpty() || rows[i].b.trimmed().isEmpty()) {
            emit failed(tr("Pair %1 has an empty prompt: both A and B are needed.").arg(i + 1));
            return;
        }
    const auto pairs = toPromptPairs(rows);
    submit(tr("Contrastive pairs"),
           [this, loaded, pairs](core::JobContext& job) -> JobRunner::Finish {
               for (std::size_t i = 0; i < pairs.size(); ++i)
                   for (const auto* text : {&pairs[i].a, &pairs[i].b})
                       if (const QString tooLong = promptTooLong(
                               *loaded, core::promptIds(*loaded->tokenizer, *text).size());
                           !tooLong.isEmpty())
                           return [this, tooLong, i] {
                               emit failed(tr("Pair %1: %2").arg(i + 1).arg(tooLong));
                           };
               core::ContrastiveOptions options;
               options.details = pairs.size() <= kDetailedPairs;
               const auto data = toSetData(core::compareContrastivePairs(
                   *loaded->model, *loaded->tokenizer, pairs, options, job));
               return [this, loaded, data] {
                   if (!isCurrent(loaded))
                       return;
                   m_view->setResults(data);
                   emit finished();
               };
           });
}

void ContrastiveController::computeDetails(int index) {
    auto loaded = m_models.model();
    const auto& shown = m_view->results().pairs;
    if (!loaded || !loaded->tokenizer || index < 0 || index >= int(shown.size()) || m_detailsJob)
        return;
    const auto pair = shown[std::size_t(index)];
    const std::string a = pair.a.toStdString(), b = pair.b.toStdString();
    m_detailsJob = m_runner.submit(
        tr("PCA of pair %1").arg(index + 1),
        [this, loaded, pair, a, b, index](core::JobContext& job) -> JobRunner::Finish {
            core::ContrastiveOptions options;
            options.details = true;
            std::vector<core::PromptPair> one(1);
            one[0].a = a;
            one[0].b = b;
            one[0].category = pair.category.toStdString();
            const auto set = core::compareContrastivePairs(*loaded->model, *loaded->tokenizer, one,
                                                           options, job);
            const auto data = toPairData(set.pairs.front());
            return [this, loaded, data, index] {
                if (isCurrent(loaded))
                    m_view->setPairDetails(index, data);
            };
        });
}

void ContrastiveController::setViewRunning(bool running) {
    m_view->setRunning(running);
}

} // namespace anatomist::gui
