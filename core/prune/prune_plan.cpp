#include "prune/prune_plan.h"

#include "errors.h"
#include "io/model_config.h"

namespace anatomist::core {

using nlohmann::json;

namespace {

constexpr PruneOpKind kAllKinds[] = {PruneOpKind::RemoveLayers, PruneOpKind::BypassAttention,
                                     PruneOpKind::PruneMlp,     PruneOpKind::RemoveNeurons,
                                     PruneOpKind::PruneHeads,   PruneOpKind::FairnessNeurons};

// Reads one operation object; every failure names the operation's position and the key.
class OpReader {
public:
    OpReader(const json& j, std::string where)
        : m_json(j)
        , m_where(std::move(where)) {}

    [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
        throw FormatError(m_where + ": '" + key + "' " + problem);
    }
    bool has(const char* key) const { return m_json.contains(key) && !m_json[key].is_null(); }
    template <typename T> std::vector<T> intList(const char* key) const {
        if (!has(key))
            return {};
        const json& v = m_json[key];
        if (!v.is_array())
            fail(key, "must be a list of integers, got " + v.dump());
        std::vector<T> out;
        for (const auto& e : v) {
            if (!e.is_number_integer())
                fail(key, "must hold integers, got " + e.dump());
            out.push_back(e.get<T>());
        }
        return out;
    }
    std::optional<int64_t> integer(const char* key) const {
        if (!has(key))
            return std::nullopt;
        if (!m_json[key].is_number_integer())
            fail(key, "must be an integer, got " + m_json[key].dump());
        return m_json[key].get<int64_t>();
    }
    std::optional<double> number(const char* key) const {
        if (!has(key))
            return std::nullopt;
        if (!m_json[key].is_number())
            fail(key, "must be a number, got " + m_json[key].dump());
        return m_json[key].get<double>();
    }
    std::optional<std::string> string(const char* key) const {
        if (!has(key))
            return std::nullopt;
        if (!m_json[key].is_string())
            fail(key, "must be a string, got " + m_json[key].dump());
        return m_json[key].get<std::string>();
    }

private:
    const json& m_json;
    std::string m_where;
};

PruneOperation operationFromJson(const json& j, const std::string& where) {
    if (!j.is_object())
        throw FormatError(where + ": must be an object");
    OpReader r(j, where);
    PruneOperation op;
    const auto name = r.string("op");
    if (!name)
        r.fail("op", "is missing");
    const auto kind = parsePruneOpName(*name);
    if (!kind)
        r.fail("op", "names an unknown operation '" + *name +
                         "' (remove_layers, bypass_attention, prune_mlp, remove_neurons, "
                         "prune_heads, fairness_neurons)");
    op.op = *kind;
    op.layers = r.intList<int>("layers");
    if (auto layer = r.integer("layer")) {
        if (r.has("layers"))
            r.fail("layer", "and 'layers' are both given; use one");
        op.layers = {static_cast<int>(*layer)};
    }
    op.method = r.string("method").value_or("");
    op.percent = r.number("percent");
    op.expansion = r.number("expansion");
    op.keep = r.integer("keep");
    op.divisor = r.integer("divisor");
    op.neurons = r.intList<int64_t>("neurons");
    op.kv_groups = r.intList<int64_t>("kv_groups");
    op.query_heads_per_group = r.integer("query_heads_per_group");
    op.query_heads = r.intList<int64_t>("query_heads");
    op.pairs = r.string("pairs").value_or("");
    op.count = r.integer("count").value_or(0);
    op.weight = r.number("weight").value_or(0.5);
    switch (op.op) {
    case PruneOpKind::RemoveLayers:
    case PruneOpKind::BypassAttention:
        if (op.layers.empty())
            r.fail("layers", "must list at least one layer");
        break;
    case PruneOpKind::PruneMlp: {
        const int given =
            int(op.percent.has_value()) + int(op.expansion.has_value()) + int(op.keep.has_value());
        if (given != 1)
            r.fail("percent", "or 'expansion' or 'keep': exactly one must be given");
        break;
    }
    case PruneOpKind::RemoveNeurons:
        if (op.layers.size() != 1)
            r.fail("layer", "must name exactly one layer");
        if (op.neurons.empty())
            r.fail("neurons", "must list at least one neuron");
        break;
    case PruneOpKind::PruneHeads: {
        const int given = int(!op.kv_groups.empty()) + int(op.query_heads_per_group.has_value()) +
                          int(!op.query_heads.empty());
        if (given != 1)
            r.fail("kv_groups", "or 'query_heads_per_group' or 'query_heads': exactly one must be "
                                "given");
        break;
    }
    case PruneOpKind::FairnessNeurons:
        if (op.count <= 0)
            r.fail("count", "must be a positive number of neurons per layer");
        if (op.weight < 0 || op.weight > 1)
            r.fail("weight", "must be in [0, 1]");
        break;
    }
    return op;
}

json operationToJson(const PruneOperation& op) {
    json j{{"op", pruneOpName(op.op)}};
    if (op.op == PruneOpKind::RemoveNeurons && op.layers.size() == 1)
        j["layer"] = op.layers.front();
    else if (!op.layers.empty())
        j["layers"] = op.layers;
    switch (op.op) {
    case PruneOpKind::RemoveLayers:
    case PruneOpKind::BypassAttention:
        break;
    case PruneOpKind::PruneMlp:
        if (!op.method.empty())
            j["method"] = op.method;
        if (op.percent)
            j["percent"] = *op.percent;
        if (op.expansion)
            j["expansion"] = *op.expansion;
        if (op.keep)
            j["keep"] = *op.keep;
        if (op.divisor)
            j["divisor"] = *op.divisor;
        break;
    case PruneOpKind::RemoveNeurons:
        j["neurons"] = op.neurons;
        break;
    case PruneOpKind::PruneHeads:
        if (!op.kv_groups.empty())
            j["kv_groups"] = op.kv_groups;
        if (op.query_heads_per_group) {
            j["query_heads_per_group"] = *op.query_heads_per_group;
            j["method"] = op.method.empty() ? "l2" : op.method;
        }
        if (!op.query_heads.empty())
            j["query_heads"] = op.query_heads;
        break;
    case PruneOpKind::FairnessNeurons:
        j["pairs"] = op.pairs;
        j["count"] = op.count;
        j["weight"] = op.weight;
        break;
    }
    return j;
}

} // namespace

const char* pruneOpName(PruneOpKind kind) {
    switch (kind) {
    case PruneOpKind::RemoveLayers:
        return "remove_layers";
    case PruneOpKind::BypassAttention:
        return "bypass_attention";
    case PruneOpKind::PruneMlp:
        return "prune_mlp";
    case PruneOpKind::RemoveNeurons:
        return "remove_neurons";
    case PruneOpKind::PruneHeads:
        return "prune_heads";
    case PruneOpKind::FairnessNeurons:
        return "fairness_neurons";
    }
    return "?";
}

std::optional<PruneOpKind> parsePruneOpName(const std::string& name) {
    for (auto kind : kAllKinds)
        if (name == pruneOpName(kind))
            return kind;
    return std::nullopt;
}

PlanBase planBaseOf(const ModelConfig& c) {
    return {c.model_type,        c.num_hidden_layers,   c.hidden_size,
            c.intermediate_size, c.num_attention_heads, c.num_key_value_heads};
}

json toJson(const PrunePlan& plan) {
    json j{{"format", "anatomist-plan"}, {"version", 1}};
    if (plan.base) {
        const auto& b = *plan.base;
        j["base"] = {{"model_type", b.model_type},
                     {"num_hidden_layers", b.num_hidden_layers},
                     {"hidden_size", b.hidden_size},
                     {"intermediate_size", b.intermediate_size},
                     {"num_attention_heads", b.num_attention_heads},
                     {"num_key_value_heads", b.num_key_value_heads}};
    }
    json ops = json::array();
    for (const auto& op : plan.operations)
        ops.push_back(operationToJson(op));
    j["operations"] = ops;
    return j;
}

PrunePlan prunePlanFromJson(const json& j, const std::string& source) {
    if (!j.is_object())
        throw FormatError(source + ": a plan must be a JSON object");
    // Compared as JSON: value("format", std::string()) threw nlohmann's type_error for a non-string
    // format (found by fuzz_plan_json).
    if (!j.contains("format") || j["format"] != "anatomist-plan")
        throw FormatError(source + ": 'format' must be \"anatomist-plan\"");
    if (!j.contains("version") || j["version"] != 1)
        throw FormatError(source + ": 'version' must be 1 (this Anatomist reads plan version 1)");
    PrunePlan plan;
    if (j.contains("base") && !j["base"].is_null()) {
        const json& b = j["base"];
        if (!b.is_object())
            throw FormatError(source + ": 'base' must be an object");
        OpReader r(b, source + ": base");
        PlanBase base;
        base.model_type = r.string("model_type").value_or("");
        base.num_hidden_layers = r.integer("num_hidden_layers").value_or(0);
        base.hidden_size = r.integer("hidden_size").value_or(0);
        base.intermediate_size = r.integer("intermediate_size").value_or(0);
        base.num_attention_heads = r.integer("num_attention_heads").value_or(0);
        base.num_key_value_heads = r.integer("num_key_value_heads").value_or(0);
        plan.base = base;
    }
    if (!j.contains("operations") || !j["operations"].is_array())
        throw FormatError(source + ": 'operations' must be a list");
    for (std::size_t i = 0; i < j["operations"].size(); ++i)
        plan.operations.push_back(
            operationFromJson(j["operations"][i], source + ": operation " + std::to_string(i)));
    return plan;
}

PrunePlan readPrunePlan(const std::string& file) {
    return prunePlanFromJson(readJsonFile(file), file);
}

} // namespace anatomist::core
