#pragma once
// Where a variant held by the window came from, in the engine's terms: which base layers it kept
// (from the plan it was made with) and its variant.json record, so that the comparison aligns its
// layers with the base's and the HF export writes the same record as `anatomist-cli prune`.

#include <QString>
#include <vector>

namespace anatomist::core {
class CausalLM;
struct LoadedModel;
struct VariantRecord;
} // namespace anatomist::core

namespace anatomist::gui {

// Base index of each of the variant's layers: every base layer no remove_layers operation of the
// plan names. Without a plan, or when that count disagrees with the variant, layer i is base layer
// i.
std::vector<int> keptLayersOf(const core::CausalLM& base, const core::CausalLM& variant,
                              const QString& planJson);

// The record exportVariant writes as variant.json (sizes from the variant's config, base hashed
// when it is a folder). planJson must be a plan (anatomist-plan v1).
core::VariantRecord recordForVariant(const core::LoadedModel& base, core::CausalLM& variant,
                                     const QString& planJson);

} // namespace anatomist::gui
