#pragma once
// Neuron importance for MLP width pruning (ALGORITHMS.md §3–4). A GLU neuron k is the pair
// (row k of gate G, row k of up U) plus column k of down D: it is always scored as one unit.
// Weight matrices are passed as [out, in] (LinearModule::weightOutIn()), so G, U: [I, H] and
// D: [H, I]. Scores are float32 [I]; higher = more important.

#include "tokenizer/tokenizer.h"

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <torch/types.h>
#include <vector>

namespace anatomist::core {

class CausalLM;
class JobContext;

enum class NeuronScoreMethod {
    Ppm,        // peak-to-peak magnitude (MAW): (max_j G_kj + |min_j G_kj|) + (same for U)
    Vow,        // Var_j(G_kj) + Var_j(U_kj), unbiased (n - 1) variance as torch.var
    Pon,        // ||G_k||_1 · ||U_k||_1
    L2,         // ||G_k||_2 + ||U_k||_2
    Activation, // (PPM(G_k)/max + PPM(U_k)/max + PPM(D_:,k)/max) · sqrt(Σ_t act_tk²), data-driven
    L1,         // plain (GPT-2) MLP: ||W_fc[:, k]||_1 of the c_fc output neuron's weights
};

const char* neuronScoreMethodName(NeuronScoreMethod method); // "ppm", "vow", ...
std::optional<NeuronScoreMethod> parseNeuronScoreMethod(const std::string& name); // "maw" = ppm

// rows [N, M] → [N]: max_j r_kj + |min_j r_kj|.
torch::Tensor peakToPeak(const torch::Tensor& rows);
torch::Tensor ppmScores(const torch::Tensor& gate, const torch::Tensor& up);
torch::Tensor vowScores(const torch::Tensor& gate, const torch::Tensor& up);
torch::Tensor ponScores(const torch::Tensor& gate, const torch::Tensor& up);
torch::Tensor l2Scores(const torch::Tensor& gate, const torch::Tensor& up);
// activationNorm [I]: X_k = sqrt(Σ over non-padding tokens of act_k²) at the down_proj input.
torch::Tensor activationWeightedScores(const torch::Tensor& gate, const torch::Tensor& up,
                                       const torch::Tensor& down,
                                       const torch::Tensor& activationNorm);
// upOutIn [I, H] (c_fc as [out, in]) → [I] L1 norms.
torch::Tensor l1Scores(const torch::Tensor& upOutIn);
// (x - min) / (max - min); all zeros when max == min.
torch::Tensor minMaxNormalize(const torch::Tensor& values);
// F_k = w · norm(bias_k) + (1 - w) · (1 - norm(PPM_k)); higher = better pruning candidate.
torch::Tensor fairnessScores(const torch::Tensor& bias, const torch::Tensor& ppm, double w = 0.5);

// X_k per layer from a corpus (windowed as eval, each position once): sqrt of the sum of squares of
// the down_proj input over counted positions. One forward per batch, O(layers × I) memory.
struct ActivationNorms {
    std::vector<torch::Tensor> perLayer; // float64 [I] each
    int64_t tokens = 0;
};
ActivationNorms measureActivationNorms(CausalLM& model,
                                       const std::vector<std::vector<TokenId>>& documents,
                                       int64_t tokenBudget, JobContext& job);

// Neuron bias from contrastive pairs: pooled_k(p) = mean over the tokens of p of the down_proj
// input act_k; bias_k = |pooled_k(a) - pooled_k(b)|, mean (and max) over pairs. [I] per layer.
struct NeuronBias {
    std::vector<torch::Tensor> mean, max; // float64 [I] per layer
    int64_t pairs = 0;
};
NeuronBias
measureNeuronBias(CausalLM& model,
                  const std::vector<std::pair<std::vector<TokenId>, std::vector<TokenId>>>& pairs,
                  JobContext& job);

struct NeuronImportanceResult {
    std::string method;
    std::vector<std::vector<float>> layers; // [layer][neuron]
    int64_t tokens = 0;                     // data-driven methods: positions seen
    double seconds = 0;
};

// Static methods need no documents; Activation needs them (InvalidArgument otherwise). Gated
// methods on a plain MLP (and L1 on a gated one) are InvalidArgument naming the model's MLP kind.
NeuronImportanceResult scoreNeurons(CausalLM& model, NeuronScoreMethod method,
                                    const std::vector<std::vector<TokenId>>& documents,
                                    JobContext& job, int64_t tokenBudget = 8192);

// Fairness pruning scores (ALGORITHMS.md §3): per layer F_k from the PPM scores and the mean neuron
// bias over the pairs, weight w; method "fairness", higher = better pruning candidate. Progress:
// the pairs' forwards.
NeuronImportanceResult
fairnessImportance(CausalLM& model,
                   const std::vector<std::pair<std::vector<TokenId>, std::vector<TokenId>>>& pairs,
                   double w, JobContext& job);

// {method, tokens, seconds, layers: [{index, scores: [...], min, max, mean}]}
nlohmann::json toJson(const NeuronImportanceResult& result);

} // namespace anatomist::core
