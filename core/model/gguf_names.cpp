#include "model/gguf_names.h"

#include "errors.h"
#include "model/arch/families.h"

#include <charconv>

namespace anatomist::core {

namespace {

struct Pair {
    std::string module; // Hugging Face module path (relative to the layer, or absolute)
    std::string gguf;   // GGUF name without "blk.N." and the ".weight"/".bias" leaf
    bool norm = false;
};

std::string join(const std::string& parent, const std::string& child) {
    return parent.empty() || child.empty() ? std::string() : parent + "." + child;
}

// ref: gguf-py constants.py MODEL_TENSOR names (attn_norm, attn_q, ..., post_ffw_norm)
std::vector<Pair> layerPairs(const ArchSpec& spec) {
    const auto& n = spec.names;
    std::vector<Pair> out;
    auto add = [&](const std::string& module, const char* gguf, bool norm = false) {
        if (!module.empty())
            out.push_back({module, gguf, norm});
    };
    add(n.inputNorm, "attn_norm", true);
    add(join(n.attention, n.q), "attn_q");
    add(join(n.attention, n.k), "attn_k");
    add(join(n.attention, n.v), "attn_v");
    add(join(n.attention, n.qkv), "attn_qkv");
    add(join(n.attention, n.o), "attn_output");
    if (spec.qkNorm) {
        add(join(n.attention, n.qNorm), "attn_q_norm", true);
        add(join(n.attention, n.kNorm), "attn_k_norm", true);
    }
    add(n.postAttentionNorm, "post_attention_norm", true);
    add(n.mlpNorm, "ffn_norm", true);
    add(n.postFeedforwardNorm, "post_ffw_norm", true);
    add(join(n.mlp, n.gate), "ffn_gate");
    add(join(n.mlp, n.up), "ffn_up");
    add(join(n.mlp, n.down), "ffn_down");
    return out;
}

std::vector<Pair> globalPairs(const ArchSpec& spec) {
    const auto& n = spec.names;
    std::vector<Pair> out{{join(n.backbone, n.embed), "token_embd"},
                          {join(n.backbone, n.finalNorm), "output_norm", true},
                          {n.lmHead, "output"}};
    if (!n.positions.empty())
        out.push_back({join(n.backbone, n.positions), "position_embd"});
    return out;
}

struct Split {
    bool layer = false;
    int64_t index = -1;
    std::string module;
    std::string leaf; // "weight" / "bias"
};

// "model.layers.3.self_attn.q_proj.weight" → layer 3, "self_attn.q_proj", "weight".
Split splitParameter(const ArchSpec& spec, std::string_view name) {
    Split s;
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos)
        return s;
    s.leaf = std::string(name.substr(dot + 1));
    std::string_view path = name.substr(0, dot);
    const std::string prefix = join(spec.names.backbone, spec.names.layers) + ".";
    if (path.substr(0, prefix.size()) == prefix) {
        path.remove_prefix(prefix.size());
        const auto next = path.find('.');
        int64_t index = -1;
        const auto digits = path.substr(0, next);
        const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
        if (ec == std::errc() && p == digits.data() + digits.size() &&
            next != std::string_view::npos) {
            s.layer = true;
            s.index = index;
            s.module = std::string(path.substr(next + 1));
            return s;
        }
    }
    s.module = std::string(path);
    return s;
}

const Pair* findModule(const std::vector<Pair>& pairs, const std::string& module) {
    for (const auto& p : pairs)
        if (p.module == module)
            return &p;
    return nullptr;
}

} // namespace

const std::vector<GgufFamily>& ggufFamilies() {
    static const std::vector<GgufFamily> families{
        {&arch::llamaSpec(), "llama"},   {&arch::mistralSpec(), "llama"},
        {&arch::qwen2Spec(), "qwen2"},   {&arch::qwen3Spec(), "qwen3"},
        {&arch::gemma3Spec(), "gemma3"}, {&arch::gpt2Spec(), "gpt2"},
    };
    return families;
}

const std::string& ggufArchitectureOf(const ArchSpec& spec) {
    for (const auto& f : ggufFamilies())
        if (f.spec == &spec)
            return f.arch;
    throw UnsupportedArchitecture(spec.family + " has no GGUF architecture in Anatomist");
}

std::string ggufTensorName(const ArchSpec& spec, std::string_view parameter) {
    const Split s = splitParameter(spec, parameter);
    if (s.leaf != "weight" && s.leaf != "bias")
        return {};
    if (s.layer) {
        const auto pairs = layerPairs(spec);
        if (const Pair* p = findModule(pairs, s.module))
            return "blk." + std::to_string(s.index) + "." + p->gguf + "." + s.leaf;
        return {};
    }
    const auto pairs = globalPairs(spec);
    if (const Pair* p = findModule(pairs, s.module))
        return p->gguf + "." + s.leaf;
    return {};
}

std::string parameterNameForGguf(const ArchSpec& spec, std::string_view name) {
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos)
        return {};
    const std::string leaf(name.substr(dot + 1));
    if (leaf != "weight" && leaf != "bias")
        return {};
    std::string_view path = name.substr(0, dot);
    if (path.substr(0, 4) == "blk.") {
        path.remove_prefix(4);
        const auto next = path.find('.');
        if (next == std::string_view::npos)
            return {};
        int64_t index = -1;
        const auto digits = path.substr(0, next);
        const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
        if (ec != std::errc() || p != digits.data() + digits.size())
            return {};
        const std::string rest(path.substr(next + 1));
        for (const auto& pair : layerPairs(spec))
            if (pair.gguf == rest)
                return join(spec.names.backbone, spec.names.layers) + "." + std::to_string(index) +
                       "." + pair.module + "." + leaf;
        return {};
    }
    for (const auto& pair : globalPairs(spec))
        if (pair.gguf == path)
            return pair.module + "." + leaf;
    return {};
}

GgufValueChange ggufValueChange(const ArchSpec& spec, std::string_view parameter) {
    const Split s = splitParameter(spec, parameter);
    const auto& n = spec.names;
    if (s.layer && ggufArchitectureOf(spec) == "llama") {
        if (s.module == join(n.attention, n.q))
            return GgufValueChange::RopePermuteQ;
        if (s.module == join(n.attention, n.k))
            return GgufValueChange::RopePermuteK;
    }
    if (s.layer && spec.linearLayout == LinearLayout::InOut && s.leaf == "weight" &&
        (s.module == join(n.attention, n.qkv) || s.module == join(n.attention, n.o) ||
         s.module == join(n.mlp, n.up) || s.module == join(n.mlp, n.down)))
        return GgufValueChange::Transpose;
    if (spec.norm == NormKind::RmsOffsetOne && s.leaf == "weight") {
        const auto pairs = s.layer ? layerPairs(spec) : globalPairs(spec);
        if (const Pair* p = findModule(pairs, s.module); p && p->norm)
            return GgufValueChange::PlusOne;
    }
    return GgufValueChange::None;
}

} // namespace anatomist::core
