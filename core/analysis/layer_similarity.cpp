#include "analysis/layer_similarity.h"

#include "errors.h"
#include "eval/token_windows.h"
#include "job.h"
#include "model/causal_lm.h"
#include "model/decode_step_kernels.h"
#include "model/taps.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numbers>
#include <torch/types.h>

namespace anatomist::core {

namespace {

constexpr double kSimilarityCosEps = 1e-8; // as torch.cosine_similarity

// Per-token cosine from a dot product and two squared norms.
torch::Tensor cosineFromParts(const torch::Tensor& dot, const torch::Tensor& sqA,
                              const torch::Tensor& sqB) {
    return dot / (sqA * sqB).clamp_min(kSimilarityCosEps * kSimilarityCosEps).sqrt();
}

// Σ_r weights[r] · (cos(in_r, out_r), cos(in_r, mid_r), cos(mid_r, out_r)) over [rows, width]
// float32 rows, in one pass over the three activations per row (each row's three vectors stay in
// L1 for its six dot products). With the operator version (stack, a batch of 3×3 Gram products,
// index selects, a masked matmul) a similarity pass took 1.13-1.19× a plain forward; with this one,
// which reads x_in, x_mid and x_out once, 1.01×. Cosines as cosineFromParts, non-finite ones
// counted as 0 (nan_to_num).
std::array<double, 3> weightedResidualCosines(const float* in, const float* mid, const float* out,
                                              const float* weights, int64_t rows, int64_t width) {
    std::array<double, 3> sums{0, 0, 0};
    const auto cosine = [](double dot, double sqA, double sqB) {
        const double c =
            dot / std::sqrt(std::max(sqA * sqB, kSimilarityCosEps * kSimilarityCosEps));
        return std::isfinite(c) ? c : 0.0;
    };
    for (int64_t r = 0; r < rows; ++r) {
        const float w = weights[r];
        if (w == 0)
            continue;
        const float* a = in + r * width;
        const float* m = mid + r * width;
        const float* o = out + r * width;
        const double aa = decode::dot(a, a, width), mm = decode::dot(m, m, width),
                     oo = decode::dot(o, o, width);
        sums[0] += w * cosine(decode::dot(a, o, width), aa, oo);
        sums[1] += w * cosine(decode::dot(a, m, width), aa, mm);
        sums[2] += w * cosine(decode::dot(m, o, width), mm, oo);
    }
    return sums;
}

bool isCpuFloatRows(const torch::Tensor& t) {
    return t.device().is_cpu() && t.scalar_type() == torch::kFloat32 && t.is_contiguous();
}

// Reduces x_in / x_mid / x_out of every layer to masked cosine sums while the forward runs.
class SimilarityAccumulator final : public TapListener {
public:
    SimilarityAccumulator(int layers, int angularSpan, const torch::Device& device, JobContext& job)
        : m_layers(layers)
        , m_span(std::min(angularSpan, layers))
        , m_job(job)
        , m_inputs(static_cast<std::size_t>(layers) + 1)
        , m_inputNorms(static_cast<std::size_t>(layers) + 1) {
        const auto opts = torch::TensorOptions().dtype(torch::kFloat64).device(device);
        m_sums = torch::zeros({layers, 3}, opts);
        m_angular = torch::zeros({std::max(m_span, 1), layers}, opts);
        m_count = torch::zeros({}, opts);
        const auto idx = torch::TensorOptions().dtype(torch::kInt64).device(device);
        m_dotColumns = torch::tensor({2, 1, 5}, idx);
        m_normAColumns = torch::tensor({0, 0, 4}, idx);
        m_normBColumns = torch::tensor({8, 4, 8}, idx);
    }

    TapMask tapMask() const override {
        return tapBit(TapPoint::In) | tapBit(TapPoint::Mid) | tapBit(TapPoint::Out);
    }

    // The share of the whole job the next forward covers, reported layer by layer.
    void setProgressRange(double base, double span) {
        m_progressBase = base;
        m_progressSpan = span;
    }

    // The positions to count in the next forward (bool [B, T]); the valid mask when not set.
    void setCountedPositions(torch::Tensor mask) { m_pending = std::move(mask); }

    void onForwardBegin(const torch::Tensor& validMask) override {
        m_mask = m_pending.defined() ? m_pending.to(torch::kBool) : validMask.to(torch::kBool);
        m_pending = torch::Tensor();
        m_count.add_(m_mask.sum().to(torch::kFloat64));
        m_weights = m_mask.reshape({-1}).to(torch::kFloat32);
        std::fill(m_inputs.begin(), m_inputs.end(), torch::Tensor());
        std::fill(m_inputNorms.begin(), m_inputNorms.end(), torch::Tensor());
    }

    void onTap(TapPoint point, int layer, const torch::Tensor& value) override {
        const auto x = value.scalar_type() == torch::kFloat64 ? value : value.to(torch::kFloat32);
        const auto l = static_cast<std::size_t>(layer);
        if (point == TapPoint::In) {
            m_in = x;
            if (m_span > 0)
                recordInput(l, x, torch::linalg_vecdot(x, x));
        } else if (point == TapPoint::Mid) {
            m_mid = x;
        } else if (point == TapPoint::Out) {
            if (isCpuFloatRows(m_in) && isCpuFloatRows(m_mid) && isCpuFloatRows(x) &&
                isCpuFloatRows(m_weights)) {
                const auto H = x.size(-1);
                TORCH_CHECK(x.numel() / H == m_weights.numel(),
                            "similarity: activations and token mask disagree on the row count");
                const auto sums = weightedResidualCosines(
                    m_in.data_ptr<float>(), m_mid.data_ptr<float>(), x.data_ptr<float>(),
                    m_weights.data_ptr<float>(), x.numel() / H, H);
                auto row = m_sums.select(0, layer);
                for (int64_t k = 0; k < 3; ++k)
                    row[k].add_(sums[static_cast<std::size_t>(k)]);
            } else {
                addGramCosines(layer, x);
            }
            if (m_span > 0 && layer == m_layers - 1)
                recordInput(l + 1, x, torch::linalg_vecdot(x, x));
            m_in = torch::Tensor();
            m_mid = torch::Tensor();
            // Cancellation inside a batch, so that a large model stops within a second; progress
            // inside a batch too, so that one large batch does not sit at 0 % and then jump.
            if (m_job.isCancelled())
                throw Cancelled();
            if (m_progressSpan > 0)
                m_job.setProgress(m_progressBase +
                                      m_progressSpan * double(layer + 1) / double(m_layers),
                                  "similarity");
        }
    }

    torch::Tensor sums() const { return m_sums.cpu(); }
    torch::Tensor angularSums() const { return m_angular.cpu(); }
    double count() const { return m_count.item<double>(); }

private:
    // The operator version, for float64 and device tensors.
    void addGramCosines(int layer, const torch::Tensor& x) {
        // One Gram matrix per token gives every dot product and squared norm at once:
        // [N, 3, H] x [N, H, 3] -> [N, 3, 3] over (x_in, x_mid, x_out).
        const auto H = x.size(-1);
        const auto stacked = torch::stack({m_in, m_mid, x}, -2).reshape({-1, 3, H});
        const auto gram = torch::bmm(stacked, stacked.transpose(1, 2)).reshape({-1, 9});
        // columns of the flattened 3x3: 0 in.in, 1 in.mid, 2 in.out, 4 mid.mid, 5 mid.out, 8
        // out.out
        const auto dots = gram.index_select(1, m_dotColumns);    // [N, 3]: block, attn, mlp
        const auto normA = gram.index_select(1, m_normAColumns); // in, in, mid
        const auto normB = gram.index_select(1, m_normBColumns); // out, mid, out
        const auto cosines = cosineFromParts(dots, normA, normB).nan_to_num(0, 0, 0);
        // masked, token-weighted sum: weights [N] · cosines [N, 3], in the activations' dtype
        const auto weights = m_weights.to(cosines.device(), cosines.scalar_type());
        m_sums.select(0, layer).add_(weights.matmul(cosines).to(torch::kFloat64));
    }

    // [k, B, T] → [k] sums over the counted positions, in float64.
    torch::Tensor maskedSum(const torch::Tensor& values) const {
        return values.masked_fill(m_mask.logical_not(), 0).to(torch::kFloat64).sum({1, 2});
    }

    void recordInput(std::size_t index, const torch::Tensor& x, const torch::Tensor& norm) {
        if (m_span == 0)
            return;
        m_inputs[index] = x;
        m_inputNorms[index] = norm;
        for (int n = 1; n <= m_span; ++n) {
            if (static_cast<int>(index) - n < 0)
                break;
            const auto from = index - static_cast<std::size_t>(n);
            const auto cos =
                cosineFromParts(torch::linalg_vecdot(m_inputs[from], x), m_inputNorms[from], norm);
            const auto distance = cos.clamp(-1.0, 1.0).acos() / std::numbers::pi;
            m_angular[n - 1][static_cast<int64_t>(from)].add_(maskedSum(distance.unsqueeze(0))[0]);
        }
        // inputs older than the longest span are no longer needed
        if (static_cast<int>(index) >= m_span) {
            m_inputs[index - static_cast<std::size_t>(m_span)] = torch::Tensor();
            m_inputNorms[index - static_cast<std::size_t>(m_span)] = torch::Tensor();
        }
    }

    int m_layers;
    int m_span;
    JobContext& m_job;
    double m_progressBase = 0, m_progressSpan = 0;
    torch::Tensor m_sums, m_angular, m_count;
    torch::Tensor m_pending, m_mask;
    torch::Tensor m_in, m_mid, m_weights;
    torch::Tensor m_dotColumns, m_normAColumns, m_normBColumns;
    std::vector<torch::Tensor> m_inputs, m_inputNorms;
};

bool layerAllowed(int layer, int numLayers, const std::vector<int>& picked,
                  const LayerSelectionOptions& options) {
    if (layer < options.protectFirst)
        return false;
    if (options.protectLast && layer == numLayers - 1)
        return false;
    for (int p : picked)
        if (p == layer || (options.noAdjacent && std::abs(p - layer) == 1))
            return false;
    return true;
}

} // namespace

SimilarityResult measureLayerSimilarity(CausalLM& model,
                                        const std::vector<std::vector<TokenId>>& documents,
                                        const SimilarityOptions& options, JobContext& job) {
    const auto start = std::chrono::steady_clock::now();
    const auto& config = model.config();
    if (options.angularMaxSpan < 0)
        throw InvalidArgument("angular span must be 0 or more");
    const auto skipped = [&](int l) {
        return static_cast<std::size_t>(l) < options.skipLayers.size() &&
               options.skipLayers[static_cast<std::size_t>(l)];
    };
    const int L = model.numLayers();
    int kept = 0;
    for (int l = 0; l < L; ++l)
        kept += skipped(l) ? 0 : 1;
    if (kept == 0)
        throw InvalidArgument("layer similarity: every layer is skipped");
    if (kept < L && options.angularMaxSpan > 0)
        throw InvalidArgument(
            "layer similarity: angular distances need every layer (some are skipped)");
    const auto plan =
        planScoring(documents, config, options.context, options.stride, options.tokenBudget);
    const auto& windows = plan.windows;
    const auto& batches = plan.batches;
    if (windows.empty())
        throw InvalidArgument("layer similarity: no document has any token");

    SimilarityResult result;
    result.dataset = options.dataset;
    result.documents = plan.documents;

    torch::InferenceMode inference;
    const auto device = model.embedding().weight.device();
    SimilarityAccumulator accumulator(L, options.angularMaxSpan, device, job);
    ForwardOptions forward;
    forward.computeLogits = false;
    forward.taps = &accumulator;
    forward.skipLayers = options.skipLayers;
    forward.bypassAttention = options.bypassAttention;
    std::size_t done = 0;
    job.setProgress(0, "similarity");
    for (const auto& batch : batches) {
        job.throwIfCancelled();
        accumulator.setCountedPositions(batch.newPositions.to(device));
        accumulator.setProgressRange(double(done) / double(windows.size()),
                                     double(batch.windows.size()) / double(windows.size()));
        model.forward(batch.ids.to(device), batch.valid.to(device), forward);
        done += batch.windows.size();
        job.setProgress(double(done) / double(windows.size()), "similarity");
    }

    const double count = accumulator.count();
    result.tokens = static_cast<int64_t>(std::llround(count));
    const auto sums = accumulator.sums();
    auto s = sums.accessor<double, 2>();
    std::vector<double> importance;
    std::vector<int> measured;
    for (int l = 0; l < L; ++l) {
        if (skipped(l))
            continue;
        measured.push_back(l);
        LayerSimilarity layer;
        layer.layer = l;
        layer.block = s[l][0] / count;
        layer.attention = s[l][1] / count;
        layer.mlp = s[l][2] / count;
        layer.importance = 1.0 - layer.block;
        importance.push_back(layer.importance);
        result.layers.push_back(layer);
    }
    for (int position : removalOrder(importance))
        result.removalOrder.push_back(measured[static_cast<std::size_t>(position)]);
    if (options.angularMaxSpan > 0) {
        const auto angular = accumulator.angularSums();
        auto a = angular.accessor<double, 2>();
        for (int n = 1; n <= std::min(options.angularMaxSpan, L); ++n) {
            AngularDistances d;
            d.span = n;
            for (int l = 0; l + n <= L; ++l)
                d.distance.push_back(a[n - 1][l] / count);
            d.best = static_cast<int>(std::min_element(d.distance.begin(), d.distance.end()) -
                                      d.distance.begin());
            result.angular.push_back(std::move(d));
        }
    }
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    job.setProgress(1, "similarity");
    return result;
}

SimilarityBench benchLayerSimilarity(CausalLM& model,
                                     const std::vector<std::vector<TokenId>>& documents,
                                     const SimilarityOptions& options, int repeats,
                                     JobContext& job) {
    const auto plan = planScoring(documents, model.config(), options.context, options.stride,
                                  options.tokenBudget);
    const auto& batches = plan.batches;
    torch::InferenceMode inference;
    const auto device = model.embedding().weight.device();
    std::vector<std::pair<torch::Tensor, torch::Tensor>> inputs;
    std::vector<torch::Tensor> counted;
    SimilarityBench bench;
    for (const auto& b : batches) {
        inputs.emplace_back(b.ids.to(device), b.valid.to(device));
        counted.push_back(b.newPositions.to(device));
        bench.tokens += b.newPositions.sum().item<int64_t>();
    }
    bench.batches = static_cast<int64_t>(batches.size());
    bench.repeats = std::max(1, repeats);
    auto pass = [&](TapListener* taps, SimilarityAccumulator* acc) {
        ForwardOptions forward;
        forward.computeLogits = false;
        forward.taps = taps;
        const auto t0 = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            if (acc)
                acc->setCountedPositions(counted[i]);
            model.forward(inputs[i].first, inputs[i].second, forward);
        }
        if (acc)
            (void)acc->count(); // waits for the device
        else if (device.is_cuda())
            (void)model.embedding().weight.sum().item<double>();
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    };
    pass(nullptr, nullptr); // warm-up
    std::vector<double> plain, similarity;
    for (int r = 0; r < bench.repeats; ++r) {
        job.throwIfCancelled();
        plain.push_back(pass(nullptr, nullptr));
        SimilarityAccumulator acc(model.numLayers(), options.angularMaxSpan, device, job);
        similarity.push_back(pass(&acc, &acc));
        job.setProgress(double(r + 1) / double(bench.repeats), "bench");
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    bench.forwardSeconds = *std::min_element(plain.begin(), plain.end());
    bench.similaritySeconds = *std::min_element(similarity.begin(), similarity.end());
    bench.forwardMedian = median(plain);
    bench.similarityMedian = median(similarity);
    bench.ratio = bench.similaritySeconds / bench.forwardSeconds;
    return bench;
}

nlohmann::json toJson(const SimilarityBench& b) {
    return {{"tokens", b.tokens},
            {"batches", b.batches},
            {"repeats", b.repeats},
            {"forward_seconds", b.forwardSeconds},
            {"similarity_seconds", b.similaritySeconds},
            {"forward_median_seconds", b.forwardMedian},
            {"similarity_median_seconds", b.similarityMedian},
            {"ratio", b.ratio}};
}

nlohmann::json toJson(const SimilarityResult& r) {
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : r.layers)
        layers.push_back({{"index", l.layer},
                          {"block", l.block},
                          {"attention", l.attention},
                          {"mlp", l.mlp},
                          {"importance", l.importance}});
    nlohmann::json angular = nlohmann::json::array();
    for (const auto& a : r.angular)
        angular.push_back({{"span", a.span}, {"distance", a.distance}, {"best", a.best}});
    return {{"dataset", r.dataset}, {"documents", r.documents}, {"tokens", r.tokens},
            {"seconds", r.seconds}, {"layers", layers},         {"removal_order", r.removalOrder},
            {"angular", angular}};
}

SimilarityResult similarityFromJson(const nlohmann::json& j) {
    try {
        SimilarityResult r;
        r.dataset = j.value("dataset", std::string());
        r.documents = j.value("documents", int64_t{0});
        r.tokens = j.value("tokens", int64_t{0});
        r.seconds = j.value("seconds", 0.0);
        for (const auto& l : j.at("layers")) {
            LayerSimilarity layer;
            layer.layer = l.at("index").get<int>();
            layer.block = l.at("block").get<double>();
            layer.attention = l.at("attention").get<double>();
            layer.mlp = l.at("mlp").get<double>();
            layer.importance = l.value("importance", 1.0 - layer.block);
            r.layers.push_back(layer);
        }
        if (j.contains("removal_order"))
            r.removalOrder = j.at("removal_order").get<std::vector<int>>();
        if (j.contains("angular"))
            for (const auto& a : j.at("angular"))
                r.angular.push_back({a.at("span").get<int>(),
                                     a.at("distance").get<std::vector<double>>(),
                                     a.at("best").get<int>()});
        return r;
    } catch (const nlohmann::json::exception& e) {
        throw FormatError(std::string("layer similarity JSON: ") + e.what());
    }
}

std::vector<int> removalOrder(const std::vector<double>& importance) {
    std::vector<int> order(importance.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = static_cast<int>(i);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return importance[static_cast<std::size_t>(a)] < importance[static_cast<std::size_t>(b)];
    });
    return order;
}

std::vector<int> selectLayers(const std::vector<double>& importance,
                              const LayerSelectionOptions& options) {
    const int L = static_cast<int>(importance.size());
    std::vector<int> picked;
    for (int layer : removalOrder(importance)) {
        if (static_cast<int>(picked.size()) >= options.count)
            break;
        if (layerAllowed(layer, L, picked, options))
            picked.push_back(layer);
    }
    return picked;
}

std::vector<int> selectLayersIterative(int numLayers, const LayerSelectionOptions& options,
                                       const ImportanceMeasure& measure, JobContext& job) {
    std::vector<int> picked;
    for (int step = 0; step < options.count; ++step) {
        job.throwIfCancelled();
        const auto importance = measure(picked);
        if (static_cast<int>(importance.size()) != numLayers)
            throw InvalidArgument("iterative selection: the measure returned " +
                                  std::to_string(importance.size()) + " importances, expected " +
                                  std::to_string(numLayers));
        int best = -1;
        for (int layer : removalOrder(importance))
            if (layerAllowed(layer, numLayers, picked, options)) {
                best = layer;
                break;
            }
        if (best < 0)
            break;
        picked.push_back(best);
        job.setProgress(double(step + 1) / double(options.count), "select");
    }
    return picked;
}

} // namespace anatomist::core
