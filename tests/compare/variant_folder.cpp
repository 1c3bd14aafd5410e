#include "variant_folder.h"

#include "analysis/datasets.h"
#include "io/safetensors.h"
#include "job.h"
#include "test_support.h"

#include <algorithm>
#include <regex>

namespace anatomist::test {

std::vector<int> writeDepthVariant(const std::filesystem::path& base,
                                   const std::vector<int>& removed,
                                   const std::filesystem::path& out, bool manifest,
                                   const nlohmann::json& plan) {
    auto config = readJson(base / "config.json");
    const int layers = config.at("num_hidden_layers").get<int>();
    std::vector<int> kept;
    for (int l = 0; l < layers; ++l)
        if (std::find(removed.begin(), removed.end(), l) == removed.end())
            kept.push_back(l);
    std::filesystem::create_directories(out);
    const auto checkpoint = core::SafetensorsCheckpoint::open(base);
    const std::regex layerKey(R"(^(model\.layers\.)(\d+)(\..*)$)");
    core::NamedTensors tensors;
    for (const auto& name : checkpoint.names()) {
        std::smatch m;
        if (!std::regex_match(name, m, layerKey)) {
            tensors.emplace_back(name, checkpoint.load(name).clone());
            continue;
        }
        const auto it = std::find(kept.begin(), kept.end(), std::stoi(m[2].str()));
        if (it != kept.end())
            tensors.emplace_back(m[1].str() + std::to_string(it - kept.begin()) + m[3].str(),
                                 checkpoint.load(name).clone());
    }
    core::writeSafetensors(out / "model.safetensors", tensors);
    config["num_hidden_layers"] = static_cast<int>(kept.size());
    writeText(out / "config.json", config.dump(2));
    for (const char* file : {"tokenizer.model", "tokenizer.json", "tokenizer_config.json",
                             "special_tokens_map.json", "generation_config.json"})
        if (std::filesystem::exists(base / file))
            std::filesystem::copy_file(base / file, out / file,
                                       std::filesystem::copy_options::overwrite_existing);
    if (manifest) {
        nlohmann::json j = {{"format", "anatomist-variant"},
                            {"version", 1},
                            {"base", {{"path", base.string()}, {"sha256", ""}, {"parameters", 0}}},
                            {"plan", plan},
                            {"kept_layers", kept},
                            {"parameters", {{"before", 0}, {"after", 0}}}};
        writeText(out / "variant.json", j.dump(2));
    }
    return kept;
}

core::LoadedModel openFolder(const std::filesystem::path& folder) {
    return core::loadModel(folder, core::LoadOptions{}, core::nullJobContext());
}

std::vector<std::string> sharedStories(std::size_t count) {
    auto docs = core::readTextDataset(sharedDir() / "data/stories_a.txt");
    docs.resize(std::min(docs.size(), count));
    return docs;
}

} // namespace anatomist::test
