#pragma once
// Contrastive pairs: reads pair files (JSONL/CSV, the CLI's readers) into the view's editor and
// compares the editor's pairs on the job runner. Small sets (up to kDetailedPairs) keep the PCA of
// every pair; larger ones keep statistics only and compute one pair's PCA when the view asks.

#include "view_controller.h"
#include "widgets/analysis_data.h"

namespace anatomist::widgets {
class ContrastiveView;
}

namespace anatomist::gui {

class ContrastiveController : public ViewController {
    Q_OBJECT
public:
    ContrastiveController(ModelController& models, JobRunner& runner,
                          widgets::ContrastiveView* view, QObject* parent = nullptr);
    static constexpr std::size_t kDetailedPairs = 16;

    void run();
    // Reads the file on the job runner; failed() names the file and line of the problem.
    void loadPairs(const QString& file);
    void computeDetails(int pair);
    // A default pair set by name ("" = the built-in examples, "*" = every default set) into the
    // editor, as loadPairs does for a file.
    void loadPairSet(const QString& name);
    // Runs the fairness audit (core::runFairnessAudit, as `anatomist-cli audit`) on the editor's
    // pairs and writes the report atomically, by the file's extension: .pdf a PDF, .json the JSON
    // numbers (core::toJson plus "command_line"), anything else the HTML; auditWritten or failed
    // follows.
    void exportAudit(const QString& file);
    enum class AuditFormat { Html, Pdf, Json };

signals:
    void pairsLoaded();
    void auditWritten(const QString& htmlFile);

protected:
    void setViewRunning(bool running) override;

private:
    // The open model (with a tokenizer) and the editor's pairs; null after failed() when either
    // is missing.
    std::shared_ptr<core::LoadedModel> modelAndPairs(std::vector<widgets::PromptPairData>& rows);

    widgets::ContrastiveView* m_view;
    quint64 m_loadJob = 0, m_detailsJob = 0;
};

} // namespace anatomist::gui
