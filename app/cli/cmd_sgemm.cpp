#include "cli_common.h"
#include "commands.h"
#include "errors.h"
#include "eval/bench.h"

#include <iostream>
#include <nlohmann/json.hpp>

namespace anatomist::cli {

// The set-up script's check that libtorch's BLAS is a fast one (OpenBLAS, not the reference BLAS).
int runSgemm(const std::vector<std::string>& arguments) {
    const Args args(arguments, {"size", "min-gflops", "seconds"}, {"json"});
    args.expectPositionals(0, 0);
    const int64_t size = args.intValue("size", 1024);
    if (size < 16 || size > 16384)
        throw UsageError("--size must be between 16 and 16384");
    const auto result = core::measureSgemm(size, args.doubleValue("seconds", 0.5));
    const double minimum = args.doubleValue("min-gflops", 0);
    const bool ok = result.gflops >= minimum;
    if (args.flag("json")) {
        printJson({{"size", result.size},
                   {"gflops", result.gflops},
                   {"threads", torch::get_num_threads()},
                   {"min_gflops", minimum},
                   {"ok", ok}});
    } else {
        std::cout << "sgemm " << size << "³ float32: " << fixed(result.gflops, 1) << " GFLOP/s on "
                  << torch::get_num_threads() << " threads\n";
    }
    if (!ok) {
        std::cerr << "anatomist-cli sgemm: " << fixed(result.gflops, 1)
                  << " GFLOP/s is below the required " << fixed(minimum, 1)
                  << "; libtorch is probably using the reference BLAS. Install "
                  << "libopenblas0-pthread and select it: update-alternatives --config "
                     "libblas.so.3-x86_64-linux-gnu\n";
        return 1;
    }
    return 0;
}

} // namespace anatomist::cli
