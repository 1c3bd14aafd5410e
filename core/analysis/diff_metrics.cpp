#include "analysis/diff_metrics.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace anatomist::core {

DiffStats diffStats(const torch::Tensor& diff) {
    DiffStats s;
    if (!diff.defined() || diff.numel() == 0)
        return s;
    const auto d = diff.to(torch::kFloat64).flatten();
    s.count = d.numel();
    s.mean = d.mean().item<double>();
    s.max = d.max().item<double>();
    s.min = d.min().item<double>();
    s.std = std::sqrt((d - s.mean).square().mean().item<double>());
    s.l1 = d.abs().sum().item<double>();
    s.l2 = std::sqrt(d.square().sum().item<double>());
    return s;
}

DiffProgression diffProgression(const std::vector<double>& v) {
    DiffProgression p;
    if (v.empty())
        return p;
    p.first_to_last_ratio = v.front() != 0 ? v.back() / v.front() : 0.0;
    p.layer_with_max_diff = static_cast<int>(std::max_element(v.begin(), v.end()) - v.begin());
    p.is_increasing = v.size() > 1 && std::is_sorted(v.begin(), v.end());
    return p;
}

nlohmann::json toJson(const DiffStats& s) {
    return {{"mean", s.mean}, {"max", s.max}, {"min", s.min},    {"std", s.std},
            {"l1", s.l1},     {"l2", s.l2},   {"count", s.count}};
}

nlohmann::json toJson(const DiffProgression& p) {
    return {{"first_to_last_ratio", p.first_to_last_ratio},
            {"layer_with_max_diff", p.layer_with_max_diff},
            {"is_increasing", p.is_increasing}};
}

} // namespace anatomist::core
