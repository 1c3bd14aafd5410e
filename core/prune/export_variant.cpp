#include "prune/export_variant.h"

#include "errors.h"
#include "io/atomic_file.h"
#include "job.h"
#include "model/model_loader.h"
#include "model/model_saver.h"

#include <unistd.h>

namespace anatomist::core {

namespace fs = std::filesystem;

namespace {

// True when `inner` is `outer` or lies inside it.
bool within(const fs::path& inner, const fs::path& outer) {
    std::error_code ec;
    const auto a = fs::weakly_canonical(inner, ec);
    const auto b = fs::weakly_canonical(outer, ec);
    auto ia = a.begin();
    for (auto ib = b.begin(); ib != b.end(); ++ib, ++ia)
        if (ia == a.end() || *ia != *ib)
            return false;
    return true;
}

torch::ScalarType exportDtype(CausalLM& variant, const ExportOptions& options) {
    if (options.dtype)
        return *options.dtype;
    const auto& stored = variant.config().torch_dtype;
    if (stored == "float32" || stored == "bfloat16" || stored == "float16")
        return parseDtype(stored);
    return variant.embedding().weight.scalar_type();
}

} // namespace

void exportVariant(CausalLM& variant, const VariantRecord& record, const fs::path& outDir,
                   const ExportOptions& options, JobContext& job) {
    if (outDir.empty())
        throw InvalidArgument("export: no output folder given");
    std::error_code ec;
    if (!options.baseFolder.empty() &&
        (within(outDir, options.baseFolder) || within(options.baseFolder, outDir)))
        throw InvalidArgument(outDir.string() + ": is or contains or lies inside the base model "
                                                "folder; choose another folder for the export");
    const bool exists = fs::exists(outDir, ec);
    if (exists && !fs::is_directory(outDir, ec))
        throw IoError(outDir.string() + ": exists and is not a folder");
    if (exists && !fs::is_empty(outDir, ec) && !options.overwrite)
        throw InvalidArgument(outDir.string() +
                              ": exists and is not empty (overwrite it explicitly)");

    const fs::path parent = fs::absolute(outDir).parent_path();
    fs::create_directories(parent, ec);
    const std::string stem = "." + fs::absolute(outDir).filename().string();
    const fs::path temp = parent / (stem + ".tmp-" + std::to_string(::getpid()));
    const fs::path old = parent / (stem + ".old-" + std::to_string(::getpid()));
    fs::remove_all(temp, ec);
    try {
        SaveOptions save;
        save.dtype = exportDtype(variant, options);
        save.tokenizerSource = options.baseFolder;
        SubJobContext saveJob(job, 0.0, 0.95);
        saveModel(variant, temp, save, saveJob);
        writeVariantRecord(record, temp / "variant.json");
        job.throwIfCancelled();
        if (exists) {
            fs::rename(outDir, old);
            fs::rename(temp, outDir);
            fs::remove_all(old, ec);
        } else {
            fs::rename(temp, outDir);
        }
        syncDirectory(parent); // the folder's new name must survive a power cut too
    } catch (const fs::filesystem_error& e) {
        fs::remove_all(temp, ec);
        throw IoError(outDir.string() + ": cannot write the export (" + e.code().message() + ")");
    } catch (...) {
        fs::remove_all(temp, ec);
        throw;
    }
    job.setProgress(1.0, "done");
}

} // namespace anatomist::core
