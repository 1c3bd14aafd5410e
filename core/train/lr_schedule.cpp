#include "lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace anatomist::core {

double learningRateAt(const LrSchedule& schedule, int64_t step) {
    const double peak = schedule.peak;
    const int64_t warmup = std::max<int64_t>(0, schedule.warmupSteps);
    if (step < warmup) {
        const double s0 = schedule.warmupStartRatio;
        return peak * (s0 + (1.0 - s0) * double(step) / double(warmup));
    }
    const double floor = schedule.floorRatio * peak;
    const int64_t span = std::max<int64_t>(1, schedule.totalSteps - 1 - warmup);
    const double progress = std::clamp(double(step - warmup) / double(span), 0.0, 1.0);
    return floor + (peak - floor) * 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
}

} // namespace anatomist::core
