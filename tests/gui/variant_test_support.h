#pragma once
// Making a variant through the window as a user does: open a model, tick a layer, apply.

#include "main_window.h"
#include "model_controller.h"
#include "plan_controller.h"

#include <QSignalSpy>
#include <filesystem>

namespace anatomist::test {

// Opens `model` and applies a plan that removes decoder layer 2; returns the variant's name, or
// an empty string when a step did not finish within 60 s.
inline QString variantWithoutLayer2(gui::MainWindow& window, const std::filesystem::path& model) {
    QSignalSpy loaded(&window.models(), &gui::ModelController::modelLoaded);
    window.openModel(QString::fromStdString(model.string()));
    if (!loaded.wait(60000))
        return {};
    if (!window.plans().toggleModule(QStringLiteral("model.layers.2")))
        return {};
    QSignalSpy added(&window.plans(), &gui::PlanController::variantAdded);
    window.plans().apply(QStringLiteral("no layer 2"));
    if (!added.wait(60000))
        return {};
    return added.first().first().toString();
}

} // namespace anatomist::test
