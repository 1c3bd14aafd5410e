#include "distill/layer_map.h"

#include "errors.h"
#include "io/model_config.h"

#include <nlohmann/json.hpp>

namespace anatomist::core {

namespace fs = std::filesystem;

namespace {

std::optional<nlohmann::json> readVariant(const fs::path& studentDir) {
    const auto file = studentDir / kVariantFileName;
    if (!fs::exists(file))
        return std::nullopt;
    auto doc = readJsonFile(file);
    if (!doc.is_object())
        throw FormatError(file.string() + ": a variant record must be a JSON object");
    return doc;
}

} // namespace

std::optional<std::vector<int>> readVariantKeptLayers(const fs::path& studentDir) {
    const auto doc = readVariant(studentDir);
    if (!doc || !doc->contains("kept_layers") || (*doc)["kept_layers"].is_null())
        return std::nullopt;
    const auto& kept = (*doc)["kept_layers"];
    const auto file = (studentDir / kVariantFileName).string();
    if (!kept.is_array())
        throw FormatError(file + ": 'kept_layers' must be an array of layer indices");
    std::vector<int> out;
    for (const auto& v : kept) {
        if (!v.is_number_integer())
            throw FormatError(file + ": 'kept_layers' holds " + v.dump() + ", not a layer index");
        out.push_back(v.get<int>());
    }
    return out;
}

std::optional<long long> readVariantBaseParameters(const fs::path& studentDir) {
    const auto doc = readVariant(studentDir);
    if (!doc)
        return std::nullopt;
    const auto base = doc->find("base");
    if (base == doc->end() || !base->is_object())
        return std::nullopt;
    const auto n = base->find("parameters");
    if (n == base->end() || !n->is_number_integer())
        return std::nullopt;
    return n->get<long long>();
}

std::vector<int> defaultLayerMap(int studentLayers, int teacherLayers) {
    if (studentLayers > teacherLayers || studentLayers < 1)
        return {};
    std::vector<int> map;
    for (int i = 0; i < studentLayers; ++i)
        map.push_back(int((int64_t(i) + 1) * teacherLayers / studentLayers) - 1);
    return map;
}

void checkLayerMap(const std::vector<int>& map, int studentLayers, int teacherLayers,
                   const std::string& origin) {
    if (int(map.size()) != studentLayers)
        throw InvalidArgument(origin + ": the layer map has " + std::to_string(map.size()) +
                              " entries, the student has " + std::to_string(studentLayers) +
                              " layers");
    for (std::size_t i = 0; i < map.size(); ++i) {
        if (map[i] < 0 || map[i] >= teacherLayers)
            throw InvalidArgument(origin + ": layer map entry " + std::to_string(map[i]) +
                                  " is outside the teacher's " + std::to_string(teacherLayers) +
                                  " layers");
        if (i > 0 && map[i] <= map[i - 1])
            throw InvalidArgument(origin + ": the layer map must be strictly increasing");
    }
}

} // namespace anatomist::core
