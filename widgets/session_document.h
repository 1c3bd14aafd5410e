#pragma once
// A workspace session as a file ("format": "anatomist-session", "version": 1): the model, the
// datasets chosen in the views, the current plan, the variants, the distillation runs and the open
// tab. Plain Qt data (no engine): the window's SessionController fills one from the workspace and
// restores the workspace from one.
//
// Variants made by a plan are stored as that plan (JSON v1, indices relative to the base) and
// re-applied with the pruning engine on open; variants that are not plans (a healed student, a
// folder made elsewhere) are stored as the folder they were exported to. Paths are written
// absolute; a relative path read from a file is resolved against the session file's folder.

#include "plan_document.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVector>

namespace anatomist::widgets {

struct SessionVariant {
    QString name;
    QString summary;
    QJsonObject plan; // a plan variant: the plan document; empty for a folder variant
    QString path;     // a folder variant: the exported folder; empty for a plan variant
    bool operator==(const SessionVariant&) const = default;
};

class SessionDocument {
    Q_DECLARE_TR_FUNCTIONS(SessionDocument)
public:
    static constexpr int kVersion = 1;

    QString modelPath;
    // Named inputs of the views ("similarity": a text file, "" = the built-in sample; ...).
    QMap<QString, QString> datasets;
    QJsonObject plan; // the plan being edited (plan JSON v1); empty when none
    QVector<SessionVariant> variants;
    QStringList distillRuns; // run folders
    QString view;            // the open tab, as MainWindow::showView names it

    bool operator==(const SessionDocument&) const = default;

    QJsonObject toJson() const;
    // Checks the format, the version (a newer one is refused with its number) and every field's
    // type; `source` names the file in the message. Relative paths are resolved against `folder`.
    static bool fromJson(const QJsonObject& json, const QString& source, const QString& folder,
                         SessionDocument& out, QString& error);
    bool save(const QString& file,
              QString& error) const; // atomic (QSaveFile); errors name the file
    static bool load(const QString& file, SessionDocument& out, QString& error);

    // Every plan the session holds (the current plan first, then the variants'), each with a label
    // for messages ("the plan", "variant smaller").
    QVector<QPair<QString, QJsonObject>> plans() const;
};

} // namespace anatomist::widgets
