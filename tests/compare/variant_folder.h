#pragma once
// Depth variants written by the tests themselves, independently of the pruning engine: the removed
// layers' tensors dropped from model.safetensors, the others renumbered, num_hidden_layers edited
// in config.json, tokenizer files copied, and optionally a variant.json manifest.

#include "model/model_loader.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace anatomist::test {

// Returns the base index of every kept layer.
std::vector<int> writeDepthVariant(const std::filesystem::path& base,
                                   const std::vector<int>& removed,
                                   const std::filesystem::path& out, bool manifest,
                                   const nlohmann::json& plan = nlohmann::json::object());

// stories260K, the model these tests measure (relative to ../shared).
inline constexpr const char* kStoriesModel = "models/stories260K";

// A folder loaded in float32 with its tokenizer.
core::LoadedModel openFolder(const std::filesystem::path& folder);

// The first `count` stories of ../shared/data/stories_a.txt: enough tokens for stable cosines,
// fast on 2 cores.
std::vector<std::string> sharedStories(std::size_t count);

} // namespace anatomist::test
