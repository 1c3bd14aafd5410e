#pragma once
// Core reports a job's stage as a plain English word ("weights", "similarity", …): core has no Qt
// and no translations. The Jobs panel shows it through stageTitle(), in the UI language; a stage
// this list does not know is shown as core wrote it.

#include <QString>

namespace anatomist::gui {

QString stageTitle(const QString& stage);

} // namespace anatomist::gui
