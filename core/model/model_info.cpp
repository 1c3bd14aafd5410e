#include "model_info.h"

#include "model/attention.h"
#include "model/causal_lm.h"
#include "model/decoder_layer.h"
#include "model/mlp.h"
#include "model/model_loader.h"
#include "model/modules.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>
#include <torch/types.h>

namespace anatomist::core {

namespace {

ModuleRole roleOf(const torch::nn::Module& module) {
    if (dynamic_cast<const DecoderLayer*>(&module))
        return ModuleRole::Block;
    if (dynamic_cast<const AttentionModule*>(&module))
        return ModuleRole::Attention;
    if (dynamic_cast<const MlpModule*>(&module))
        return ModuleRole::Mlp;
    if (dynamic_cast<const EmbeddingModule*>(&module))
        return ModuleRole::Embedding;
    if (dynamic_cast<const NormModule*>(&module))
        return ModuleRole::Norm;
    if (const auto* linear = dynamic_cast<const LinearModule*>(&module))
        return linear->layout == LinearLayout::InOut ? ModuleRole::Conv1D : ModuleRole::Linear;
    return ModuleRole::Other;
}

// The types below a module, most bytes first (ties by name, so the order is stable).
std::string joinStoredTypes(const std::map<std::string, uint64_t>& bytesByType) {
    std::vector<std::pair<std::string, uint64_t>> types(bytesByType.begin(), bytesByType.end());
    std::stable_sort(types.begin(), types.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string out;
    for (const auto& [type, bytes] : types)
        out += (out.empty() ? "" : "+") + type;
    return out;
}

ModuleInfo describe(const torch::nn::Module& module, const std::string& name,
                    const std::string& localName, const StoredTensors& stored,
                    std::map<std::string, uint64_t>& bytesByType) {
    ModuleInfo info;
    info.name = name;
    info.localName = localName;
    info.role = roleOf(module);
    std::map<std::string, uint64_t> below; // stored bytes per type under this module
    // torch names its own containers with their C++ namespace ("torch::nn::ModuleList").
    info.kind = module.name();
    if (const auto colon = info.kind.rfind("::"); colon != std::string::npos)
        info.kind.erase(0, colon + 2);
    // ... and some by their C++ implementation class ("ModuleListImpl"); users know "ModuleList".
    if (info.kind.size() > 4 && info.kind.compare(info.kind.size() - 4, 4, "Impl") == 0)
        info.kind.erase(info.kind.size() - 4);
    for (const auto& p : module.named_parameters(/*recurse=*/false)) {
        ModuleInfo leaf;
        leaf.name = name.empty() ? p.key() : name + "." + p.key();
        leaf.localName = p.key();
        leaf.kind = "Parameter";
        leaf.role = ModuleRole::Parameter;
        leaf.shape = p.value().sizes().vec();
        leaf.dtype = dtypeName(p.value().scalar_type());
        leaf.parameters = p.value().numel();
        if (const auto it = stored.find(leaf.name); it != stored.end()) {
            leaf.storedType = it->second.type;
            leaf.storedBytes = it->second.bytes;
            below[leaf.storedType] += leaf.storedBytes;
        }
        info.parameters += leaf.parameters;
        info.storedBytes += leaf.storedBytes;
        info.children.push_back(std::move(leaf));
    }
    for (const auto& child : module.named_children()) {
        auto sub = describe(*child.value(), name.empty() ? child.key() : name + "." + child.key(),
                            child.key(), stored, below);
        info.parameters += sub.parameters;
        info.storedBytes += sub.storedBytes;
        info.children.push_back(std::move(sub));
    }
    info.storedType = joinStoredTypes(below);
    for (const auto& [type, bytes] : below)
        bytesByType[type] += bytes;
    return info;
}

int64_t countParameters(const torch::nn::Module& module) {
    int64_t n = 0;
    for (const auto& p : module.parameters(true))
        n += p.numel();
    return n;
}

} // namespace

const char* paramGroupName(ParamGroup group) {
    switch (group) {
    case ParamGroup::Embedding:
        return "embedding";
    case ParamGroup::Positions:
        return "positions";
    case ParamGroup::Attention:
        return "attention";
    case ParamGroup::Mlp:
        return "mlp";
    case ParamGroup::Norm:
        return "norms";
    case ParamGroup::Head:
        return "head";
    }
    return "?";
}

int64_t bytesFor(int64_t parameters, const std::string& dtype) {
    if (dtype == "float64")
        return parameters * 8;
    if (dtype == "bfloat16" || dtype == "float16")
        return parameters * 2;
    if (dtype == "int8")
        return parameters;
    return parameters * 4;
}

ModuleInfo describeModules(CausalLM& model, const StoredTensors& stored) {
    std::map<std::string, uint64_t> bytesByType;
    auto root = describe(model, "", "", stored, bytesByType);
    root.localName = model.spec().architectures.front();
    return root;
}

ModelSummary summarize(CausalLM& model) {
    const auto& c = model.config();
    const auto& spec = model.spec();
    ModelSummary s;
    s.family = spec.family;
    s.model_type = c.model_type;
    s.architecture = c.architectures.empty() ? spec.architectures.front() : c.architectures.front();
    s.layers = c.num_hidden_layers;
    s.hidden_size = c.hidden_size;
    s.heads = c.num_attention_heads;
    s.kv_heads = c.num_key_value_heads;
    s.head_dim = c.head_dim;
    s.intermediate_size = c.intermediate_size;
    s.vocab_size = c.vocab_size;
    s.context = c.max_position_embeddings;
    s.mlp_expansion = static_cast<double>(c.intermediate_size) / static_cast<double>(c.hidden_size);
    s.activation = activationName(c.hidden_act);
    s.tied_embeddings = c.tie_word_embeddings;
    s.sliding_window = c.sliding_window;
    for (auto t : c.layer_types)
        s.sliding_layers += t == AttentionKind::Sliding;
    s.dtype = dtypeName(model.embedding().weight.scalar_type());
    if (spec.positions == PositionKind::Learned) {
        s.positions = "learned";
    } else {
        std::ostringstream text;
        text << "rope theta=" << c.rope_theta;
        if (c.rope_scaling)
            text << " (" << c.rope_scaling->rope_type << " x" << c.rope_scaling->factor << ")";
        if (c.rope_local_base_freq)
            text << ", local theta=" << *c.rope_local_base_freq;
        s.positions = text.str();
    }

    for (const auto& item : model.named_parameters(true)) {
        const std::string& name = item.key();
        const int64_t n = item.value().numel();
        s.parameters += n;
        ParamGroup group;
        const auto& names = spec.names;
        const std::string layersPrefix = names.backbone + "." + names.layers + ".";
        if (name.rfind(layersPrefix, 0) == 0) {
            const auto rest = name.substr(layersPrefix.size());
            const auto local = rest.substr(rest.find('.') + 1);
            if (local.rfind(names.attention + ".", 0) == 0) {
                const auto leaf = local.substr(names.attention.size() + 1);
                group = (!names.qNorm.empty() && leaf.rfind(names.qNorm + ".", 0) == 0) ||
                                (!names.kNorm.empty() && leaf.rfind(names.kNorm + ".", 0) == 0)
                            ? ParamGroup::Norm
                            : ParamGroup::Attention;
            } else if (local.rfind(names.mlp + ".", 0) == 0) {
                group = ParamGroup::Mlp;
            } else {
                group = ParamGroup::Norm;
            }
        } else if (name == names.backbone + "." + names.embed + ".weight") {
            group = ParamGroup::Embedding;
        } else if (!names.positions.empty() &&
                   name.rfind(names.backbone + "." + names.positions, 0) == 0) {
            group = ParamGroup::Positions;
        } else if (name.rfind(names.lmHead + ".", 0) == 0) {
            group = ParamGroup::Head;
        } else {
            group = ParamGroup::Norm;
        }
        s.parametersByGroup[group] += n;
    }
    for (int i = 0; i < model.numLayers(); ++i) {
        auto& layer = model.layer(i);
        s.parametersPerLayer.push_back(countParameters(layer));
        s.attentionParametersPerLayer.push_back(
            countParameters(*layer.attention) + countParameters(*layer.inputNorm) +
            (layer.postAttentionNorm ? countParameters(*layer.postAttentionNorm) : 0));
        s.mlpParametersPerLayer.push_back(countParameters(*layer.mlp));
    }
    return s;
}

nlohmann::json toJson(const ModuleInfo& info) {
    nlohmann::json j{{"name", info.name},
                     {"local_name", info.localName},
                     {"kind", info.kind},
                     {"parameters", info.parameters}};
    if (info.role == ModuleRole::Parameter) {
        j["shape"] = info.shape;
        j["dtype"] = info.dtype;
    }
    if (!info.storedType.empty()) {
        j["stored_type"] = info.storedType;
        j["stored_bytes"] = info.storedBytes;
    }
    if (!info.children.empty()) {
        j["children"] = nlohmann::json::array();
        for (const auto& child : info.children)
            j["children"].push_back(toJson(child));
    }
    return j;
}

nlohmann::json toJson(const ModelSummary& s) {
    nlohmann::json groups = nlohmann::json::object();
    for (const auto& [group, n] : s.parametersByGroup)
        groups[paramGroupName(group)] = n;
    nlohmann::json memory = nlohmann::json::object();
    for (const char* dtype : {"float32", "bfloat16", "float16", "int8"})
        memory[dtype] = bytesFor(s.parameters, dtype);
    nlohmann::json j{
        {"family", s.family},
        {"model_type", s.model_type},
        {"architecture", s.architecture},
        {"layers", s.layers},
        {"hidden_size", s.hidden_size},
        {"attention_heads", s.heads},
        {"kv_heads", s.kv_heads},
        {"gqa_group", s.kv_heads ? s.heads / s.kv_heads : 0},
        {"head_dim", s.head_dim},
        {"intermediate_size", s.intermediate_size},
        {"mlp_expansion", s.mlp_expansion},
        {"activation", s.activation},
        {"vocab_size", s.vocab_size},
        {"context", s.context},
        {"positions", s.positions},
        {"tied_embeddings", s.tied_embeddings},
        {"sliding_layers", s.sliding_layers},
        {"dtype", s.dtype},
        {"parameters", s.parameters},
        {"parameters_by_group", groups},
        {"memory_bytes", memory},
        {"parameters_per_layer", s.parametersPerLayer},
        {"attention_parameters_per_layer", s.attentionParametersPerLayer},
        {"mlp_parameters_per_layer", s.mlpParametersPerLayer},
    };
    j["sliding_window"] = s.sliding_window ? nlohmann::json(*s.sliding_window) : nlohmann::json();
    return j;
}

} // namespace anatomist::core
