#include "variant_layout.h"

#include "model/causal_lm.h"
#include "model/model_loader.h"
#include "prune/prune_plan.h"
#include "prune/variant_record.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

namespace anatomist::gui {

namespace {

core::PrunePlan parsePlan(const QString& planJson) {
    return core::prunePlanFromJson(nlohmann::json::parse(planJson.toStdString()), "plan");
}

} // namespace

std::vector<int> keptLayersOf(const core::CausalLM& base, const core::CausalLM& variant,
                              const QString& planJson) {
    std::vector<int> kept;
    if (!planJson.isEmpty()) {
        std::set<int> removed;
        for (const auto& op : parsePlan(planJson).operations)
            if (op.op == core::PruneOpKind::RemoveLayers)
                removed.insert(op.layers.begin(), op.layers.end());
        for (int l = 0; l < base.numLayers(); ++l)
            if (!removed.count(l))
                kept.push_back(l);
    }
    if (int(kept.size()) != variant.numLayers()) {
        kept.clear();
        for (int l = 0; l < variant.numLayers(); ++l)
            kept.push_back(l);
    }
    return kept;
}

core::VariantRecord recordForVariant(const core::LoadedModel& base, core::CausalLM& variant,
                                     const QString& planJson) {
    core::VariantRecord r;
    std::error_code ec;
    if (std::filesystem::is_directory(base.folder, ec)) {
        r.basePath = std::filesystem::absolute(base.folder).lexically_normal().string();
        r.baseSha256 = core::hashModelFolder(base.folder);
    } else if (!base.folder.empty()) {
        r.basePath = std::filesystem::absolute(base.folder).lexically_normal().string();
    }
    r.plan = parsePlan(planJson);
    r.keptLayers = keptLayersOf(*base.model, variant, planJson);
    const auto& c = variant.config();
    for (int i = 0; i < variant.numLayers(); ++i) {
        const auto at = std::size_t(i);
        core::VariantLayer layer;
        layer.baseIndex = r.keptLayers[at];
        layer.intermediateSize = at < c.layer_intermediate_sizes.size()
                                     ? c.layer_intermediate_sizes[at]
                                     : c.intermediate_size;
        layer.heads = at < c.layer_num_attention_heads.size() ? c.layer_num_attention_heads[at]
                                                              : c.num_attention_heads;
        layer.kvHeads = at < c.layer_num_key_value_heads.size() ? c.layer_num_key_value_heads[at]
                                                                : c.num_key_value_heads;
        layer.attentionBypassed =
            at < c.layer_attention_bypassed.size() && c.layer_attention_bypassed[at];
        r.layers.push_back(layer);
    }
    r.baseParameters = r.parametersBefore = core::countParameters(*base.model);
    r.parametersAfter = core::countParameters(variant);
    r.stockCompatible = c.uniformLayerShapes();
    return r;
}

} // namespace anatomist::gui
