#include "arch_registry.h"

#include "errors.h"
#include "model/arch/families.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace anatomist::core {

const std::vector<const ArchSpec*>& architectureRegistry() {
    static const std::vector<const ArchSpec*> registry{
        &arch::llamaSpec(), &arch::mistralSpec(), &arch::qwen2Spec(),
        &arch::qwen3Spec(), &arch::gemma3Spec(),  &arch::gpt2Spec(),
    };
    return registry;
}

std::string supportedArchitecturesText() {
    std::string text;
    for (const ArchSpec* spec : architectureRegistry()) {
        if (!text.empty())
            text += ", ";
        text += spec->modelTypes.front() + " (" + spec->architectures.front() + ")";
    }
    return text;
}

const ArchSpec& findArchitecture(const nlohmann::json& config, const std::string& source) {
    auto contains = [](const std::vector<std::string>& list, const std::string& value) {
        return std::find(list.begin(), list.end(), value) != list.end();
    };
    std::string modelType;
    if (auto it = config.find("model_type"); it != config.end() && it->is_string())
        modelType = it->get<std::string>();
    std::string architecture;
    if (auto it = config.find("architectures");
        it != config.end() && it->is_array() && !it->empty() && (*it)[0].is_string())
        architecture = (*it)[0].get<std::string>();

    for (const ArchSpec* spec : architectureRegistry())
        if (!modelType.empty() && contains(spec->modelTypes, modelType))
            return *spec;
    for (const ArchSpec* spec : architectureRegistry())
        if (!architecture.empty() && contains(spec->architectures, architecture))
            return *spec;
    if (modelType.empty() && architecture.empty())
        throw ConfigError(
            source + ": 'model_type' is missing (supported: " + supportedArchitecturesText() + ")");
    throw UnsupportedArchitecture(
        source + ": unsupported architecture '" + (modelType.empty() ? architecture : modelType) +
        (architecture.empty() || modelType.empty() ? "" : " / " + architecture) +
        "'. Supported: " + supportedArchitecturesText());
}

ResolvedConfig resolveConfig(const nlohmann::json& document, const std::string& source) {
    ConfigReader reader(document, source);
    ResolvedConfig out;
    out.spec = &findArchitecture(document, source);
    ModelConfig& c = out.config;
    c.raw = document;
    c.model_type = reader.optionalString("model_type").value_or(out.spec->modelTypes.front());
    if (auto it = document.find("architectures"); it != document.end() && it->is_array())
        for (const auto& a : *it)
            if (a.is_string())
                c.architectures.push_back(a.get<std::string>());
    out.spec->readConfig(reader, c);
    readLayerLists(reader, c);
    validateConfig(c, source);
    return out;
}

ResolvedConfig readModelConfig(const std::filesystem::path& configFile) {
    return resolveConfig(readJsonFile(configFile), configFile.string());
}

nlohmann::json configToJson(const ModelConfig& config, const ArchSpec& spec) {
    nlohmann::json out = config.raw.is_object() ? config.raw : nlohmann::json::object();
    out["model_type"] = config.model_type;
    if (!config.architectures.empty())
        out["architectures"] = config.architectures;
    else
        out["architectures"] = {spec.architectures.front()};
    spec.writeConfig(config, out);
    writeLayerLists(config, out);
    return out;
}

} // namespace anatomist::core
