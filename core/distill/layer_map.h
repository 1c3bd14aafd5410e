#pragma once
// Which teacher layer each student layer is aligned with for the hidden-state and trajectory terms.
// A depth-pruned student carries its map in variant.json ("kept_layers": the base index of each
// kept layer, written by the pruning engine); otherwise equal depths align one to one and a
// shallower student is spread uniformly with its last layer on the teacher's last.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace anatomist::core {

inline constexpr const char* kVariantFileName = "variant.json";

// "kept_layers" of <studentDir>/variant.json; nullopt when there is no such file or key. Read
// tolerantly: other keys are ignored; a kept_layers that is not an array of integers, or a file
// that is not JSON, is a FormatError naming the file.
std::optional<std::vector<int>> readVariantKeptLayers(const std::filesystem::path& studentDir);

// "base": {"parameters": N} of variant.json when present (to tell whether a student is a variant
// of a given teacher).
std::optional<long long> readVariantBaseParameters(const std::filesystem::path& studentDir);

// Equal depth: i → i; fewer student layers: i → floor((i + 1) · L_t / L_s) − 1.
// Empty when no map exists (a student deeper than its teacher).
std::vector<int> defaultLayerMap(int studentLayers, int teacherLayers);

// InvalidArgument (naming `origin`) unless the map has one strictly increasing teacher index in
// [0, teacherLayers) per student layer.
void checkLayerMap(const std::vector<int>& map, int studentLayers, int teacherLayers,
                   const std::string& origin);

} // namespace anatomist::core
