#pragma once
// The one place the window calls the pruning engine (core/prune). pruneEngineAvailable() gates the
// Apply button (disabled with a tooltip when false); the engine is on main, so it is now always
// true.

#include <memory>
#include <string>

namespace anatomist::core {
class CausalLM;
class JobContext;
} // namespace anatomist::core

namespace anatomist::gui {

struct AppliedVariant {
    std::shared_ptr<core::CausalLM> model;
    long long parametersBefore = 0;
    long long parametersAfter = 0;
    bool stockCompatible = true;
};

bool pruneEngineAvailable();
// planJson: the plan document (anatomist-plan v1). Throws the engine's typed errors (a plan for
// another model, an index out of range, ...); core::Error when the engine is not in this build.
AppliedVariant applyPlanWithEngine(core::CausalLM& base, const std::string& planJson,
                                   core::JobContext& job);

} // namespace anatomist::gui
