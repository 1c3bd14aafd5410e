#pragma once

#include "arch_spec.h"

#include <filesystem>
#include <string>
#include <vector>

namespace anatomist::core {

// Every supported family, in display order.
const std::vector<const ArchSpec*>& architectureRegistry();

// The spec for a config.json document: model_type first, then architectures[0]. Throws
// UnsupportedArchitecture listing what is supported.
const ArchSpec& findArchitecture(const nlohmann::json& config, const std::string& source);

// "llama (LlamaForCausalLM), mistral (...), ..." for messages and --help.
std::string supportedArchitecturesText();

struct ResolvedConfig {
    ModelConfig config;
    const ArchSpec* spec = nullptr;
};

// Parses and validates a config.json document (source names it in errors).
ResolvedConfig resolveConfig(const nlohmann::json& document, const std::string& source);
ResolvedConfig readModelConfig(const std::filesystem::path& configFile);

// The config.json document for `config` (raw keys preserved, sizes and layer lists updated).
nlohmann::json configToJson(const ModelConfig& config, const ArchSpec& spec);

} // namespace anatomist::core
