#include "prune/variant_record.h"

#include "errors.h"
#include "io/atomic_file.h"
#include "io/model_config.h"
#include "io/sha256.h"

#include <algorithm>

namespace anatomist::core {

namespace fs = std::filesystem;
using nlohmann::json;

std::string hashModelFolder(const fs::path& folder) {
    Sha256 hash;
    hash.updateFile(folder / "config.json");
    std::vector<fs::path> weights;
    for (const auto& entry : fs::directory_iterator(folder))
        if (entry.is_regular_file() && entry.path().extension() == ".safetensors")
            weights.push_back(entry.path());
    std::sort(weights.begin(), weights.end());
    for (const auto& file : weights)
        hash.updateFile(file);
    return hash.hexDigest();
}

VariantRecord makeVariantRecord(const PruneResult& result, const PrunePlan& plan,
                                const fs::path& baseFolder) {
    VariantRecord r;
    if (!baseFolder.empty()) {
        r.basePath = fs::absolute(baseFolder).lexically_normal().string();
        r.baseSha256 = hashModelFolder(baseFolder);
    }
    r.baseParameters = result.parametersBefore;
    r.plan = plan;
    r.keptLayers = result.keptLayers;
    r.layers = result.layers;
    for (auto& l : r.layers) { // sizes only: neuron lists are large and derivable from the plan
        l.keptNeurons.clear();
        l.keptQueryHeads.clear();
        l.keptKvHeads.clear();
    }
    r.parametersBefore = result.parametersBefore;
    r.parametersAfter = result.parametersAfter;
    r.stockCompatible = result.stockCompatible;
    return r;
}

json toJson(const VariantRecord& r) {
    json layers = json::array();
    for (const auto& l : r.layers)
        layers.push_back({{"base_index", l.baseIndex},
                          {"intermediate_size", l.intermediateSize},
                          {"heads", l.heads},
                          {"kv_heads", l.kvHeads},
                          {"attention_bypassed", l.attentionBypassed}});
    return {{"format", "anatomist-variant"},
            {"version", 1},
            {"base",
             {{"path", r.basePath}, {"sha256", r.baseSha256}, {"parameters", r.baseParameters}}},
            {"plan", toJson(r.plan)},
            {"kept_layers", r.keptLayers},
            {"layers", layers},
            {"parameters", {{"before", r.parametersBefore}, {"after", r.parametersAfter}}},
            {"stock_compatible", r.stockCompatible}};
}

VariantRecord variantRecordFromJson(const json& j, const std::string& source) {
    // Compared as JSON, not through value(key, typed default), which throws nlohmann's type_error
    // when the stored value has another type (the same bug fuzz_plan_json found in plans).
    if (!j.is_object() || !j.contains("format") || j["format"] != "anatomist-variant")
        throw FormatError(source + ": 'format' must be \"anatomist-variant\"");
    if (!j.contains("version") || j["version"] != 1)
        throw FormatError(source + ": 'version' must be 1");
    try {
        VariantRecord r;
        const json& base = j.at("base");
        r.basePath = base.value("path", std::string());
        r.baseSha256 = base.value("sha256", std::string());
        r.baseParameters = base.value("parameters", int64_t{0});
        r.plan = prunePlanFromJson(j.at("plan"), source + ": plan");
        r.keptLayers = j.at("kept_layers").get<std::vector<int>>();
        for (const auto& l : j.value("layers", json::array())) {
            VariantLayer layer;
            layer.baseIndex = l.at("base_index").get<int>();
            layer.intermediateSize = l.at("intermediate_size").get<int64_t>();
            layer.heads = l.at("heads").get<int64_t>();
            layer.kvHeads = l.at("kv_heads").get<int64_t>();
            layer.attentionBypassed = l.at("attention_bypassed").get<bool>();
            r.layers.push_back(layer);
        }
        r.parametersBefore = j.at("parameters").at("before").get<int64_t>();
        r.parametersAfter = j.at("parameters").at("after").get<int64_t>();
        r.stockCompatible = j.value("stock_compatible", true);
        return r;
    } catch (const json::exception& e) {
        throw FormatError(source + ": " + e.what());
    }
}

void writeVariantRecord(const VariantRecord& record, const fs::path& file) {
    writeTextAtomically(file, toJson(record).dump(2) + "\n");
}

VariantRecord readVariantRecord(const fs::path& file) {
    return variantRecordFromJson(readJsonFile(file), file.string());
}

} // namespace anatomist::core
