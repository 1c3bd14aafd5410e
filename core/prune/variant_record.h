#pragma once
// variant.json, written beside an exported variant: where it came from and what was done.
//   {"format": "anatomist-variant", "version": 1,
//    "base": {"path": ..., "sha256": ..., "parameters": N},
//    "plan": {...anatomist-plan...},
//    "kept_layers": [base index of each kept layer],
//    "layers": [{"base_index", "intermediate_size", "heads", "kv_heads", "attention_bypassed"}],
//    "parameters": {"before": N, "after": M}, "stock_compatible": bool}
// base.sha256: SHA-256 over the base folder's config.json followed by its *.safetensors files in
// name order (their bytes); "" when the base was not loaded from a folder.

#include "prune/apply_plan.h"

#include <filesystem>
#include <string>

namespace anatomist::core {

struct VariantRecord {
    std::string basePath;
    std::string baseSha256;
    int64_t baseParameters = 0;
    PrunePlan plan;
    std::vector<int> keptLayers;
    std::vector<VariantLayer> layers; // neuron / head lists are not stored, only sizes
    int64_t parametersBefore = 0;
    int64_t parametersAfter = 0;
    bool stockCompatible = true;
};

VariantRecord makeVariantRecord(const PruneResult& result, const PrunePlan& plan,
                                const std::filesystem::path& baseFolder);

nlohmann::json toJson(const VariantRecord& record);
VariantRecord variantRecordFromJson(const nlohmann::json& json, const std::string& source);
void writeVariantRecord(const VariantRecord& record, const std::filesystem::path& file); // atomic
VariantRecord readVariantRecord(const std::filesystem::path& file);

// Hex SHA-256 of config.json + *.safetensors of a model folder (see above).
std::string hashModelFolder(const std::filesystem::path& folder);

} // namespace anatomist::core
