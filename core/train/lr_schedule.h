#pragma once
// Learning-rate schedule of ../shared/docs/ALGORITHMS.md §8: linear warm-up from 1 % of the peak,
// then a cosine decay to a floor (a fraction of the peak), reached at the last step.

#include <cstdint>

namespace anatomist::core {

struct LrSchedule {
    double peak = 1e-3;
    int64_t warmupSteps = 0;  // 0: no warm-up
    int64_t totalSteps = 1;   // optimizer steps in the whole run
    double floorRatio = 0.05; // final lr = floorRatio × peak
    double warmupStartRatio = 0.01;
};

// The learning rate of optimizer step `step` (0-based: the first update uses step 0).
//   step < W:  peak · (s0 + (1 − s0) · step / W)                         (s0 = warmupStartRatio)
//   else:      floor + (peak − floor) · ½ (1 + cos(π · min(1, (step − W) / max(1, N − 1 − W))))
double learningRateAt(const LrSchedule& schedule, int64_t step);

} // namespace anatomist::core
