// Prune plans (plan.json: operations, base, layer lists), as read by `prune --plan` and `compare`;
// a plan that reads must survive its own writer. (Variant records need torch headers: not fuzzed.)
#include "fuzz_support.h"
#include "prune/prune_plan.h"

using namespace anatomist;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto path = fuzz::writeInput("plan.json", data, size);
    fuzz::expectTypedErrors("fuzz_plan_json", [&] {
        const auto plan = core::readPrunePlan(path.string());
        const auto back = core::prunePlanFromJson(core::toJson(plan), "plan.json (rewritten)");
        (void)back;
    });
    return 0;
}
