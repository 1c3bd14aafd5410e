#include "analysis/diff_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace anatomist::core {

DiffStats diffStats(const torch::Tensor& diff) {
    if (!diff.defined() || diff.numel() == 0)
        return {};
    const auto values = diff.to(torch::kFloat64).cpu().contiguous();
    DiffAccumulator accumulator;
    accumulator.addValues(values.data_ptr<double>(), values.numel());
    return accumulator.stats();
}

namespace {

template <typename T> DiffAccumulator::Moments momentsOf(const T* values, int64_t n) {
    DiffAccumulator::Moments g;
    g.count = n;
    g.min = g.max = double(values[0]);
    double sum = 0;
    for (int64_t i = 0; i < n; ++i) {
        const double d = values[i];
        sum += d;
        g.l1 += std::abs(d);
        g.sumSquares += d * d;
        g.min = std::min(g.min, d);
        g.max = std::max(g.max, d);
    }
    g.mean = sum / double(n);
    // std::min/max skip a NaN after the first value; torch's min/max (the reference) return NaN.
    if (std::isnan(sum) && std::any_of(values, values + n, [](T v) { return std::isnan(v); }))
        g.min = g.max = std::numeric_limits<double>::quiet_NaN();
    for (int64_t i = 0; i < n; ++i) {
        const double deviation = double(values[i]) - g.mean;
        g.m2 += deviation * deviation;
    }
    return g;
}

void mergeMoments(DiffAccumulator::Moments& into, const DiffAccumulator::Moments& other) {
    if (other.count == 0)
        return;
    if (into.count == 0) {
        into = other;
        return;
    }
    const double n = double(into.count), m = double(other.count);
    const double delta = other.mean - into.mean;
    into.mean += delta * m / (n + m);
    into.m2 += other.m2 + delta * delta * n * m / (n + m);
    into.count += other.count;
    into.l1 += other.l1;
    into.sumSquares += other.sumSquares;
    const bool nan = std::isnan(into.min) || std::isnan(other.min);
    into.min = nan ? std::numeric_limits<double>::quiet_NaN() : std::min(into.min, other.min);
    into.max = nan ? std::numeric_limits<double>::quiet_NaN() : std::max(into.max, other.max);
}

} // namespace

void DiffAccumulator::addValues(const float* values, int64_t n) {
    if (n > 0)
        mergeMoments(m_moments, momentsOf(values, n));
}

void DiffAccumulator::addValues(const double* values, int64_t n) {
    if (n > 0)
        mergeMoments(m_moments, momentsOf(values, n));
}

void DiffAccumulator::merge(const DiffAccumulator& other) {
    mergeMoments(m_moments, other.m_moments);
}

DiffStats DiffAccumulator::stats() const {
    DiffStats s;
    const auto& m = m_moments;
    if (m.count == 0)
        return s;
    s.count = m.count;
    s.mean = m.mean;
    s.max = m.max;
    s.min = m.min;
    s.std = std::sqrt(m.m2 / double(m.count));
    s.l1 = m.l1;
    s.l2 = std::sqrt(m.sumSquares);
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
