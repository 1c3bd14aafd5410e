#pragma once
// File → Export variant…: writes the base or a variant as a Hugging Face folder (exportVariant with
// the variant's record, or saveModel for rows made without a plan) or as a llama.cpp GGUF file
// (exportGguf), on the long-jobs lane with progress, tagged with the open model. Both exporters
// write atomically; refusals (a destination inside the base, a non-empty folder, a model GGUF
// cannot express: core::ggufExportRefusal, the CLI's rule) come back as one clear message.

#include "widgets/export_dialog.h"

#include <QObject>
#include <QPointer>

class QWidget;

namespace anatomist::gui {

class JobRunner;
class ModelController;
class PlanController;

class ExportController : public QObject {
    Q_OBJECT
public:
    ExportController(ModelController& models, PlanController& plans, JobRunner& runner,
                     QObject* parent = nullptr);

    // The base and every variant, with what the dialog needs to spell out the consequences.
    QVector<widgets::ExportTarget> targets() const;
    // Starts the export; returns the job id, 0 when refused at once (failed() says why).
    quint64 start(const widgets::ExportRequest& request);
    quint64 job() const { return m_job; }
    // The dialog, created on first use; `selected` preselects a row.
    widgets::ExportDialog* dialog(QWidget* parent, const QString& selected = QString());

signals:
    void exported(const QString& destination);
    void failed(const QString& title, const QString& message);

private:
    void refuse(const QString& message);

    ModelController& m_models;
    PlanController& m_plans;
    JobRunner& m_runner;
    QPointer<widgets::ExportDialog> m_dialog;
    quint64 m_job = 0;
    QString m_destination;
};

} // namespace anatomist::gui
