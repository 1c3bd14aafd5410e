#pragma once
// Describing a model: its module tree with shapes and parameter counts, and a summary card
// (sizes, attention layout, parameters by kind, memory per dtype). Plain data, JSON-serialisable.

#include "io/stored_tensor.h"
#include "model/module_kinds.h"

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace anatomist::core {

class CausalLM;

struct ModuleInfo {
    std::string name;      // full dotted name: "model.layers.0.self_attn" ("" for the root)
    std::string localName; // "self_attn"
    std::string kind;      // module class ("Attention", "Linear", ...) or "Parameter"
    ModuleRole role = ModuleRole::Other;
    std::vector<int64_t> shape; // parameters only
    std::string dtype;          // parameters only
    int64_t parameters = 0;     // total below this node
    // As the source stores it: a parameter's type ("BF16", "Q4_K"); for a module the types below
    // it, joined by "+" with the most bytes first ("Q8_0+F16+F32"). Empty when unknown (a model
    // built in memory).
    std::string storedType;
    uint64_t storedBytes = 0; // bytes at the source, summed below a module
    std::vector<ModuleInfo> children;
};

const char* paramGroupName(ParamGroup group);

struct ModelSummary {
    std::string family;
    std::string model_type;
    std::string architecture;
    int64_t layers = 0, hidden_size = 0, heads = 0, kv_heads = 0, head_dim = 0;
    int64_t intermediate_size = 0, vocab_size = 0, context = 0;
    double mlp_expansion = 0; // intermediate / hidden
    std::string activation;
    std::string positions; // "rope θ=10000 (llama3 ×8)", "learned"
    bool tied_embeddings = false;
    int sliding_layers = 0;
    std::optional<int64_t> sliding_window;
    std::string dtype;
    int64_t parameters = 0;
    std::map<ParamGroup, int64_t> parametersByGroup;
    std::vector<int64_t> parametersPerLayer; // what removing each block saves
    std::vector<int64_t> attentionParametersPerLayer;
    std::vector<int64_t> mlpParametersPerLayer;
};

// `stored` (LoadedModel::stored) fills the stored type and size; parameters missing from it have
// none.
ModuleInfo describeModules(CausalLM& model, const StoredTensors& stored = {});
ModelSummary summarize(CausalLM& model);

// Bytes needed for `parameters` values in a dtype ("float32" 4, "bfloat16"/"float16" 2, "int8" 1).
int64_t bytesFor(int64_t parameters, const std::string& dtype);

nlohmann::json toJson(const ModuleInfo& info);
nlohmann::json toJson(const ModelSummary& summary);

} // namespace anatomist::core
