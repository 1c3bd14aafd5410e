#include "prune_adapter.h"

#include "errors.h"

#if __has_include("prune/apply_plan.h")
#include "prune/apply_plan.h"
#define ANATOMIST_HAS_PRUNE 1
#else
#define ANATOMIST_HAS_PRUNE 0
#endif

#include <nlohmann/json.hpp>

namespace anatomist::gui {

bool pruneEngineAvailable() { return ANATOMIST_HAS_PRUNE; }

AppliedVariant applyPlanWithEngine(core::CausalLM& base, const std::string& planJson, core::JobContext& job) {
#if ANATOMIST_HAS_PRUNE
    const auto plan = core::prunePlanFromJson(nlohmann::json::parse(planJson), "plan");
    auto result = core::applyPlan(base, plan, {}, job);
    AppliedVariant out;
    out.model = std::move(result.model);
    out.parametersBefore = result.parametersBefore;
    out.parametersAfter = result.parametersAfter;
    out.stockCompatible = result.stockCompatible;
    return out;
#else
    (void)base;
    (void)planJson;
    (void)job;
    throw core::InvalidArgument("the pruning engine (core/prune) is not part of this build");
#endif
}

} // namespace anatomist::gui
