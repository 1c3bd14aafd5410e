#include "cli_common.h"
#include "commands.h"
#include "errors.h"
#include "io/gguf_types.h"
#include "job.h"
#include "model/gguf_export.h"
#include "model/model_saver.h"

#include <iostream>
#include <nlohmann/json.hpp>

namespace anatomist::cli {

int runExport(const std::vector<std::string>& arguments) {
    const Args args(arguments, withOptions({"format", "type", "out"}, kModelOptions), {"json"});
    args.expectPositionals(1, 1);
    const std::string format = args.required("format");
    const std::filesystem::path out = args.required("out");
    auto loaded = loadModelFromArgs(args, false);

    if (format == "gguf") {
        const std::string typeName = args.valueOr("type", "f32");
        const auto type = core::parseGgmlType(typeName);
        if (!type || (*type != core::GgmlType::F32 && *type != core::GgmlType::F16 &&
                      *type != core::GgmlType::BF16 && *type != core::GgmlType::Q8_0))
            throw UsageError("--type " + typeName + ": use f32, f16, bf16 or q8_0");
        core::GgufExportOptions options;
        options.type = *type;
        options.tokenizerSource = loaded.folder;
        options.name = loaded.folder.stem().string();
        core::exportGguf(*loaded.model, out, options, core::nullJobContext());
    } else if (format == "hf") {
        if (args.has("type"))
            throw UsageError("--type applies to --format gguf; use --dtype for hf");
        core::SaveOptions options;
        options.tokenizerSource = loaded.folder;
        core::saveModel(*loaded.model, out, options, core::nullJobContext());
    } else {
        throw UsageError("--format " + format + ": use gguf or hf");
    }
    if (args.flag("json"))
        printJson({{"model", loaded.folder.string()}, {"format", format}, {"out", out.string()}});
    else
        std::cout << "wrote " << out.string() << "\n";
    return 0;
}

} // namespace anatomist::cli
