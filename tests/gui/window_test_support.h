#pragma once
// What the window tests share: the built-in demo model (in the repository, no ../shared needed) and
// opening a model in a window, waiting for it.

#include "main_window.h"
#include "model_controller.h"
#include "test_support.h"

#include <QCoreApplication>
#include <QSettings>
#include <QSignalSpy>

namespace anatomist::test {

inline QString demoModel() {
    return QString::fromStdString((sourceDir() / "resources/demo/model").string());
}

// Opens `folder` (the demo model by default) and waits for modelLoaded; false after 60 s.
inline bool loadInto(gui::MainWindow& window, const QString& folder = demoModel()) {
    QSignalSpy loaded(&window.models(), &gui::ModelController::modelLoaded);
    window.openModel(folder);
    return loaded.wait(60000);
}

// The test's own QSettings: INI files under `folder` for `organization`, never the user's.
inline void isolateSettings(const QString& organization, const QString& folder) {
    QCoreApplication::setOrganizationName(organization);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, folder);
}

} // namespace anatomist::test
