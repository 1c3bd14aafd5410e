#include "model_saver.h"

#include "errors.h"
#include "io/atomic_file.h"
#include "io/safetensors.h"
#include "job.h"
#include "model/arch_registry.h"
#include "model/causal_lm.h"
#include "model/model_loader.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <torch/types.h>

namespace anatomist::core {

namespace fs = std::filesystem;

void copyTokenizerFiles(const fs::path& from, const fs::path& to) {
    for (const char* name : {"tokenizer.json", "tokenizer.model", "tokenizer_config.json",
                             "special_tokens_map.json", "generation_config.json"}) {
        const fs::path source = from / name;
        if (!fs::exists(source))
            continue;
        copyFileAtomically(source, to / name);
    }
}

void saveModel(CausalLM& model, const fs::path& outDir, const SaveOptions& options,
               JobContext& job) {
    std::error_code ec;
    if (!options.tokenizerSource.empty() && fs::exists(outDir, ec) &&
        fs::equivalent(outDir, options.tokenizerSource, ec))
        throw InvalidArgument(outDir.string() +
                              ": is the source model folder; choose another folder for the export");
    fs::create_directories(outDir, ec);
    if (ec)
        throw IoError(outDir.string() + ": cannot create folder (" + ec.message() + ")");

    const auto dtype = options.dtype.value_or(model.embedding().weight.scalar_type());
    NamedTensors tensors;
    {
        torch::NoGradGuard noGrad;
        for (const auto& item : model.named_parameters(true))
            tensors.emplace_back(item.key(), item.value().detach().to(torch::kCPU).to(dtype));
    }
    job.setProgress(0.1, "weights");
    writeSafetensors(outDir / "model.safetensors", tensors);
    job.setProgress(0.9, "config");

    ModelConfig config = model.config();
    config.torch_dtype = dtypeName(dtype);
    const auto document = configToJson(config, model.spec());
    writeTextAtomically(outDir / "config.json", document.dump(2) + "\n");
    if (!options.tokenizerSource.empty())
        copyTokenizerFiles(options.tokenizerSource, outDir);
    job.setProgress(1.0, "done");
}

} // namespace anatomist::core
