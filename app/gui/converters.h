#pragma once
// The engine's results → the widgets' plain data (widgets never see torch or core types).

#include "widgets/plot_data.h"

#include <QString>

namespace anatomist::core {
struct ModuleInfo;
struct ModelSummary;
struct SimilarityResult;
} // namespace anatomist::core

namespace anatomist::gui {

widgets::ModuleNode toModuleNode(const core::ModuleInfo& info);
widgets::ModelOverview toOverview(const core::ModelSummary& summary, const QString& folder,
                                  const QString& tokenizer);
widgets::SimilaritySeries toSeries(const core::SimilarityResult& result);

} // namespace anatomist::gui
