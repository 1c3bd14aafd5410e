#include "cli_common.h"
#include "commands.h"
#include "job.h"
#include "model/llama2c_import.h"

#include <iostream>

namespace anatomist::cli {

int runImportLlama2c(const std::vector<std::string>& arguments) {
    const Args args(arguments, {"tokenizer", "out"}, {});
    args.expectPositionals(1, 1);
    const std::string bin = args.positional(0, "MODEL.bin");
    const std::string out = args.required("out");
    core::importLlama2c(bin, args.required("tokenizer"), out, core::nullJobContext());
    std::cout << "wrote " << out << "\n";
    return 0;
}

} // namespace anatomist::cli
