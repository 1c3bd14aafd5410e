#pragma once
// Metrics of activation differences (ALGORITHMS.md §3): statistics of |a(p1) - a(p2)| and the
// progression of the per-layer mean over depth.

#include <nlohmann/json_fwd.hpp>
#include <torch/types.h>
#include <vector>

namespace anatomist::core {

// Over every element of a difference tensor. std is the population standard deviation (divide by
// n); l1 = Σ|d|, l2 = sqrt(Σ d²). All zeros for an empty tensor.
struct DiffStats {
    double mean = 0, max = 0, min = 0, std = 0, l1 = 0, l2 = 0;
    int64_t count = 0;
};
DiffStats diffStats(const torch::Tensor& diff);

// DiffStats built up from values or groups of values without keeping them: groups merge with
// Chan's pairwise update of (count, mean, Σ(d − mean)²), so the statistics over several layers or
// components equal those over the concatenated values up to rounding.
class DiffAccumulator {
public:
    // n values: two passes over them (mean, then squared deviations), merged in.
    void addValues(const float* values, int64_t n);
    void addValues(const double* values, int64_t n);
    void merge(const DiffAccumulator& other);
    DiffStats stats() const;

    struct Moments {
        int64_t count = 0;
        double mean = 0, m2 = 0, l1 = 0, sumSquares = 0, min = 0, max = 0;
    };

private:
    Moments m_moments;
};

// From per-layer mean differences in layer order: last / first (0 when first is 0), the index
// (position in the list) with the largest value, and whether the values never decrease.
struct DiffProgression {
    double first_to_last_ratio = 0;
    int layer_with_max_diff = 0;
    bool is_increasing = false;
};
DiffProgression diffProgression(const std::vector<double>& perLayerMeans);

nlohmann::json toJson(const DiffStats& stats);
nlohmann::json toJson(const DiffProgression& progression);

} // namespace anatomist::core
