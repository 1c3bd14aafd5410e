#include "cli_common.h"
#include "commands.h"
#include "model/model_info.h"

#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

namespace anatomist::cli {

namespace {

std::string shapeText(const std::vector<int64_t>& shape) {
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

void printTree(const core::ModuleInfo& node, int depth, int maxDepth, int64_t total) {
    const std::string indent(std::size_t(depth) * 2, ' ');
    std::string label = indent + (node.localName.empty() ? std::string("model") : node.localName);
    std::string detail = node.role == core::ModuleRole::Parameter
                             ? shapeText(node.shape) + " " + node.dtype
                             : node.kind;
    std::cout << std::left << std::setw(44) << label << std::setw(28) << detail << std::right
              << std::setw(12) << node.parameters << std::setw(8)
              << fixed(total ? 100.0 * double(node.parameters) / double(total) : 0, 2) << " %";
    // As the file stores it (a GGUF's Q4_K blocks, a safetensors BF16), next to the counts.
    if (!node.storedType.empty())
        std::cout << std::setw(12) << humanBytes(double(node.storedBytes)) << "  "
                  << node.storedType;
    std::cout << "\n";
    if (maxDepth >= 0 && depth >= maxDepth)
        return;
    for (const auto& child : node.children)
        printTree(child, depth + 1, maxDepth, total);
}

} // namespace

int runInfo(const std::vector<std::string>& arguments) {
    const Args args(arguments, withOptions({"depth"}, kModelOptions), {"json"});
    args.expectPositionals(1, 1);
    auto loaded = loadModelFromArgs(args, false);
    const auto summary = core::summarize(*loaded.model);
    const auto tree = core::describeModules(*loaded.model, loaded.stored);

    if (args.flag("json")) {
        nlohmann::json out{{"model", loaded.folder.string()},
                           {"summary", core::toJson(summary)},
                           {"tree", core::toJson(tree)}};
        out["tokenizer"] = loaded.tokenizer
                               ? nlohmann::json{{"kind", loaded.tokenizer->kindName()},
                                                {"vocab_size", loaded.tokenizer->vocabSize()}}
                               : nlohmann::json();
        printJson(out);
        return 0;
    }

    const auto& s = summary;
    std::cout << loaded.folder.string() << "\n"
              << "  family        " << s.family << " (" << s.architecture << ", model_type "
              << s.model_type << ")\n"
              << "  layers        " << s.layers << "\n"
              << "  hidden size   " << s.hidden_size << "\n"
              << "  attention     " << s.heads << " heads, " << s.kv_heads << " KV heads (group "
              << (s.kv_heads ? s.heads / s.kv_heads : 0) << "), head dim " << s.head_dim << "\n"
              << "  MLP           " << s.intermediate_size << " (" << fixed(s.mlp_expansion, 2)
              << "× hidden), " << s.activation << "\n"
              << "  vocabulary    " << s.vocab_size << "\n"
              << "  context       " << s.context << "\n"
              << "  positions     " << s.positions << "\n";
    if (s.sliding_window)
        std::cout << "  sliding       window " << *s.sliding_window << " on " << s.sliding_layers
                  << " of " << s.layers << " layers\n";
    std::cout << "  tied head     " << (s.tied_embeddings ? "yes" : "no") << "\n"
              << "  tokenizer     " << (loaded.tokenizer ? loaded.tokenizer->kindName() : "none")
              << "\n"
              << "  parameters    " << s.parameters << " (" << humanCount(s.parameters) << ")\n";
    for (const auto& [group, n] : s.parametersByGroup)
        std::cout << "    " << std::left << std::setw(12) << core::paramGroupName(group)
                  << std::right << std::setw(14) << n << "  "
                  << fixed(100.0 * double(n) / double(s.parameters), 2) << " %\n";
    std::cout << "  memory       ";
    for (const char* dtype : {"float32", "bfloat16", "int8"})
        std::cout << " " << dtype << " " << humanBytes(double(core::bytesFor(s.parameters, dtype)))
                  << ";";
    std::cout << "\n\n";
    printTree(tree, 0, static_cast<int>(args.intValue("depth", -1)), s.parameters);
    return 0;
}

} // namespace anatomist::cli
