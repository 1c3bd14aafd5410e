#include "distill/lora.h"

#include "errors.h"
#include "io/atomic_file.h"
#include "io/safetensors.h"
#include "model/causal_lm.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <torch/torch.h>

namespace anatomist::core {

namespace {

template <typename T> void readLoraKey(const nlohmann::json& doc, const char* key, T& into) {
    const auto it = doc.find(key);
    if (it == doc.end() || it->is_null())
        return;
    try {
        into = it->get<T>();
    } catch (const nlohmann::json::exception&) {
        throw InvalidArgument(std::string("LoRA option '") + key +
                              "' has the wrong type: " + it->dump());
    }
}

// (block, leaf) module names of a short target name in this architecture.
std::pair<std::string, std::string> loraTargetNames(const ModuleNames& n,
                                                    const std::string& target) {
    const std::map<std::string, std::pair<std::string, std::string>> shortNames = {
        {"q", {n.attention, n.q}}, {"k", {n.attention, n.k}},     {"v", {n.attention, n.v}},
        {"o", {n.attention, n.o}}, {"gate", {n.mlp, n.gate}},     {"up", {n.mlp, n.up}},
        {"down", {n.mlp, n.down}}, {"qkv", {n.attention, n.qkv}},
    };
    if (const auto it = shortNames.find(target); it != shortNames.end())
        return it->second;
    for (const auto& [name, names] : shortNames)
        if (!names.second.empty() && names.second == target)
            return names;
    return {};
}

std::vector<std::pair<std::string, std::shared_ptr<LinearModule>>> loraModules(CausalLM& model) {
    std::vector<std::pair<std::string, std::shared_ptr<LinearModule>>> out;
    for (const auto& item : model.named_modules("", false))
        if (auto linear = std::dynamic_pointer_cast<LinearModule>(item.value());
            linear && linear->loraA)
            out.emplace_back(item.key(), linear);
    return out;
}

// The adapter's update as a [out, in] matrix.
torch::Tensor loraDelta(const LinearModule& linear) {
    return torch::mm(linear.loraB->weight, linear.loraA->weight) * linear.loraScaling;
}

} // namespace

nlohmann::json toJson(const LoraOptions& o) {
    return {{"rank", o.rank},       {"alpha", o.alpha},   {"dropout", o.dropout},
            {"targets", o.targets}, {"layers", o.layers}, {"seed", o.seed}};
}

LoraOptions loraOptionsFromJson(const nlohmann::json& doc) {
    if (!doc.is_object())
        throw InvalidArgument("LoRA options must be a JSON object");
    LoraOptions o;
    readLoraKey(doc, "rank", o.rank);
    readLoraKey(doc, "alpha", o.alpha);
    readLoraKey(doc, "dropout", o.dropout);
    readLoraKey(doc, "targets", o.targets);
    readLoraKey(doc, "layers", o.layers);
    readLoraKey(doc, "seed", o.seed);
    if (o.rank < 1)
        throw InvalidArgument("LoRA rank must be at least 1");
    if (!(o.dropout >= 0 && o.dropout < 1))
        throw InvalidArgument("LoRA dropout must lie in [0, 1)");
    if (o.targets.empty())
        throw InvalidArgument("LoRA needs at least one target projection");
    return o;
}

std::vector<std::string> loraTargetModules(const CausalLM& model, const LoraOptions& options) {
    const auto& n = model.spec().names;
    std::vector<int> layers = options.layers;
    if (layers.empty())
        for (int i = 0; i < model.numLayers(); ++i)
            layers.push_back(i);
    for (int layer : layers)
        if (layer < 0 || layer >= model.numLayers())
            throw InvalidArgument("LoRA layer " + std::to_string(layer) +
                                  " does not exist (the model has " +
                                  std::to_string(model.numLayers()) + " layers)");
    std::set<std::string> present;
    for (const auto& item : model.named_modules("", false))
        if (std::dynamic_pointer_cast<LinearModule>(item.value()))
            present.insert(item.key());
    std::vector<std::string> out;
    for (const auto& target : options.targets) {
        const auto [block, leaf] = loraTargetNames(n, target);
        for (int layer : layers) {
            const std::string path = n.backbone + "." + n.layers + "." + std::to_string(layer) +
                                     "." + block + "." + leaf;
            if (leaf.empty() || !present.count(path))
                throw InvalidArgument(
                    "LoRA target '" + target + "' does not exist in this " + model.spec().family +
                    " model (targets: q, k, v, o, gate, up, down, or a projection's "
                    "module name)");
            out.push_back(path);
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::vector<std::string> attachLora(CausalLM& model, const LoraOptions& options) {
    const auto paths = loraTargetModules(model, options);
    std::map<std::string, std::shared_ptr<LinearModule>> linears;
    for (const auto& item : model.named_modules("", false))
        if (auto linear = std::dynamic_pointer_cast<LinearModule>(item.value()))
            linears[item.key()] = linear;
    auto generator = at::detail::createCPUGenerator(options.seed);
    torch::NoGradGuard noGrad;
    for (const auto& path : paths) {
        auto& linear = *linears.at(path);
        if (linear.loraA)
            throw InvalidArgument("'" + path + "' already has a LoRA adapter");
        const auto tensorOptions = linear.weight.options();
        auto a = std::make_shared<LinearModule>(linear.inFeatures, options.rank, false,
                                                LinearLayout::OutIn, tensorOptions);
        auto b = std::make_shared<LinearModule>(options.rank, linear.outFeatures, false,
                                                LinearLayout::OutIn, tensorOptions);
        // ref: peft LoraLayer.reset_lora_parameters: kaiming_uniform_(A, a=√5) → U(±1/√in); B = 0
        const double bound = 1.0 / std::sqrt(double(linear.inFeatures));
        a->weight.copy_(
            at::empty(a->weight.sizes(), torch::kFloat32).uniform_(-bound, bound, generator));
        b->weight.zero_();
        linear.loraA = linear.register_module("lora_A", a);
        linear.loraB = linear.register_module("lora_B", b);
        linear.loraScaling = options.alpha / double(options.rank);
        linear.loraDropout = options.dropout;
    }
    return paths;
}

void mergeLora(CausalLM& model) {
    torch::NoGradGuard noGrad;
    for (auto& [path, linear] : loraModules(model)) {
        const auto delta = loraDelta(*linear);
        if (linear->layout == LinearLayout::OutIn)
            linear->weight.add_(delta);
        else
            linear->weight.add_(delta.t());
        linear->unregister_module("lora_A");
        linear->unregister_module("lora_B");
        linear->loraA.reset();
        linear->loraB.reset();
    }
}

void saveLoraAdapters(CausalLM& model, const LoraOptions& options, const std::filesystem::path& dir,
                      const std::string& baseModelPath) {
    const auto modules = loraModules(model);
    if (modules.empty())
        throw InvalidArgument("the model has no LoRA adapter to save");
    NamedTensors tensors;
    std::set<std::string> leaves;
    for (const auto& [path, linear] : modules) {
        // ref: peft save_pretrained: "base_model.model." + name, adapter name ("default") removed
        tensors.emplace_back("base_model.model." + path + ".lora_A.weight",
                             linear->loraA->weight.detach().contiguous());
        tensors.emplace_back("base_model.model." + path + ".lora_B.weight",
                             linear->loraB->weight.detach().contiguous());
        leaves.insert(path.substr(path.rfind('.') + 1));
    }
    std::filesystem::create_directories(dir);
    writeSafetensors(dir / "adapter_model.safetensors", tensors, {{"format", "pt"}});
    nlohmann::json config = {
        {"peft_type", "LORA"},
        {"task_type", "CAUSAL_LM"},
        {"base_model_name_or_path", baseModelPath},
        {"r", options.rank},
        {"lora_alpha", options.alpha},
        {"lora_dropout", options.dropout},
        {"target_modules", std::vector<std::string>(leaves.begin(), leaves.end())},
        {"layers_to_transform",
         options.layers.empty() ? nlohmann::json() : nlohmann::json(options.layers)},
        {"bias", "none"},
        {"fan_in_fan_out", false},
        {"inference_mode", true},
        {"init_lora_weights", true},
        {"modules_to_save", nullptr},
        {"use_rslora", false},
    };
    writeTextAtomically(dir / "adapter_config.json", config.dump(2) + "\n");
}

} // namespace anatomist::core
