#include "distill_test_models.h"

#include "io/model_config.h"
#include "io/safetensors.h"
#include "job.h"
#include "model/arch_registry.h"
#include "model/model_saver.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <torch/torch.h>

namespace anatomist::test {

namespace fs = std::filesystem;

namespace {

// "model.layers.7.x" → the name in a model without layer `removed` ("" when it is that layer).
std::string renumbered(const std::string& name, int removed) {
    static const std::regex layer(R"(^(.*\.layers\.)(\d+)(\..*)$)");
    std::smatch m;
    if (!std::regex_match(name, m, layer))
        return name;
    const int index = std::stoi(m[2]);
    if (index == removed)
        return {};
    return m[1].str() + std::to_string(index > removed ? index - 1 : index) + m[3].str();
}

} // namespace

std::shared_ptr<core::CausalLM> tinyLlama(int layers, uint64_t seed, torch::ScalarType dtype,
                                          int64_t vocab, int64_t hidden) {
    const nlohmann::json config = {
        {"model_type", "llama"},    {"vocab_size", vocab},           {"hidden_size", hidden},
        {"intermediate_size", 64},  {"num_hidden_layers", layers},   {"num_attention_heads", 4},
        {"num_key_value_heads", 2}, {"max_position_embeddings", 64}, {"rms_norm_eps", 1e-5},
    };
    const auto resolved = core::resolveConfig(config, "tiny test model");
    auto model = std::make_shared<core::CausalLM>(resolved.config, *resolved.spec,
                                                  torch::TensorOptions().dtype(dtype));
    model->initializeWeights(seed, 0.1);
    return model;
}

std::shared_ptr<core::CausalLM> withoutLayer(const core::CausalLM& teacher, int removed) {
    auto config = teacher.config();
    config.num_hidden_layers -= 1;
    config.layer_types.erase(config.layer_types.begin() + removed);
    config.layer_rope.erase(config.layer_rope.begin() + removed);
    auto student = std::make_shared<core::CausalLM>(config, teacher.spec(), teacher.options());
    torch::NoGradGuard noGrad;
    auto target = student->named_parameters(true);
    for (const auto& item : teacher.named_parameters(true)) {
        const auto name = renumbered(item.key(), removed);
        if (!name.empty())
            target[name].copy_(item.value());
    }
    return student;
}

void writeFolderWithoutLayer(const fs::path& teacherDir, int removed, const fs::path& outDir) {
    fs::create_directories(outDir);
    auto config = core::readJsonFile(teacherDir / "config.json");
    config["num_hidden_layers"] = config["num_hidden_layers"].get<int>() - 1;
    std::ofstream(outDir / "config.json") << config.dump(2);
    const auto checkpoint = core::SafetensorsCheckpoint::open(teacherDir);
    core::NamedTensors tensors;
    for (const auto& name : checkpoint.names()) {
        const auto renamed = renumbered(name, removed);
        if (!renamed.empty())
            tensors.emplace_back(renamed, checkpoint.load(name).contiguous());
    }
    core::writeSafetensors(outDir / "model.safetensors", tensors, {{"format", "pt"}});
    core::copyTokenizerFiles(teacherDir, outDir);
}

std::vector<std::vector<core::TokenId>> patternDocuments(int count) {
    std::vector<std::vector<core::TokenId>> docs;
    for (int d = 0; d < count; ++d) {
        const int step = 1 + d % 3, length = 12 + (d * 7) % 20;
        std::vector<core::TokenId> doc;
        for (int i = 0; i < length; ++i)
            doc.push_back(core::TokenId((d + i * step) % 24));
        docs.push_back(doc);
    }
    return docs;
}

} // namespace anatomist::test
