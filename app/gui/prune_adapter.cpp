#include "prune_adapter.h"

#include "prune/apply_plan.h"

#include <nlohmann/json.hpp>

namespace anatomist::gui {

bool pruneEngineAvailable() {
    return true;
}

AppliedVariant applyPlanWithEngine(core::CausalLM& base, const std::string& planJson,
                                   core::JobContext& job) {
    const auto plan = core::prunePlanFromJson(nlohmann::json::parse(planJson), "plan");
    auto result = core::applyPlan(base, plan, {}, job);
    AppliedVariant out;
    out.model = std::move(result.model);
    out.parametersBefore = result.parametersBefore;
    out.parametersAfter = result.parametersAfter;
    out.stockCompatible = result.stockCompatible;
    return out;
}

} // namespace anatomist::gui
