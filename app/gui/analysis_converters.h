#pragma once
// The analysis engine's results → the analysis views' plain data (widgets/analysis_data.h).

#include "widgets/analysis_data.h"

#include <vector>

namespace anatomist::core {
struct ActivationCapture;
struct ContrastivePairResult;
struct ContrastiveSetResult;
struct LogitLensResult;
struct NeuronImportanceResult;
struct PromptPair;
} // namespace anatomist::core

namespace anatomist::gui {

widgets::ActivationData toActivationData(const core::ActivationCapture& capture);
widgets::ContrastivePairData toPairData(const core::ContrastivePairResult& pair);
widgets::ContrastiveSetData toSetData(const core::ContrastiveSetResult& result);
widgets::NeuronScoresData toNeuronScores(const core::NeuronImportanceResult& result);
widgets::LogitLensData toLogitLensData(const core::LogitLensResult& result);
std::vector<widgets::PromptPairData> toPromptPairData(const std::vector<core::PromptPair>& pairs);
std::vector<core::PromptPair> toPromptPairs(const std::vector<widgets::PromptPairData>& pairs);

} // namespace anatomist::gui
