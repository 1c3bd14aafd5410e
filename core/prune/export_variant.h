#pragma once
// Exports a variant as a Hugging Face folder: config.json (per-layer lists when the layers differ),
// model.safetensors in the base's dtype, the base's tokenizer and generation files, and
// variant.json. Atomic: everything is written into a temporary sibling folder that is renamed onto
// `outDir` at the end; the base folder is never written.

#include "prune/variant_record.h"

#include <filesystem>
#include <optional>

namespace anatomist::core {

struct ExportOptions {
    std::filesystem::path baseFolder; // tokenizer files come from here ("" = none)
    std::optional<torch::ScalarType>
        dtype;              // default: the base config's torch_dtype, else the model's
    bool overwrite = false; // replace an existing outDir (never the base folder)
};

void exportVariant(CausalLM& variant, const VariantRecord& record,
                   const std::filesystem::path& outDir, const ExportOptions& options,
                   JobContext& job);

} // namespace anatomist::core
