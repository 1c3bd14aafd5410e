#pragma once
// Depth variants written by the tests themselves, independently of the pruning engine: the removed
// layers' tensors dropped from model.safetensors, the others renumbered, num_hidden_layers edited in
// config.json, tokenizer files copied, and optionally a variant.json manifest.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <vector>

namespace anatomist::test {

// Returns the base index of every kept layer.
std::vector<int> writeDepthVariant(const std::filesystem::path& base, const std::vector<int>& removed,
                                   const std::filesystem::path& out, bool manifest,
                                   const nlohmann::json& plan = nlohmann::json::object());

} // namespace anatomist::test
