// config.json through the architecture registry and every family's typed reader (resolveConfig is
// what loadModel calls). A document that resolves must also survive the round trip through
// configToJson, the writer pruning and export use.
#include "errors.h"
#include "fuzz_support.h"
#include "model/arch_registry.h"

#include <cstdio>
#include <cstdlib>

using namespace anatomist;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // readJsonFile is the path the loader takes; it is what turns JSON syntax errors into
    // FormatError.
    const auto path = fuzz::writeInput("config.json", data, size);
    fuzz::expectTypedErrors("fuzz_config", [&] {
        const auto resolved = core::readModelConfig(path);
        const auto again = core::configToJson(resolved.config, *resolved.spec);
        try {
            const auto back = core::resolveConfig(again, "config.json (rewritten)");
            if (back.config.num_hidden_layers != resolved.config.num_hidden_layers ||
                back.config.hidden_size != resolved.config.hidden_size ||
                back.spec != resolved.spec) {
                std::fprintf(stderr, "fuzz_config: round trip changed the configuration\n");
                std::abort();
            }
        } catch (const core::Error& e) {
            std::fprintf(stderr,
                         "fuzz_config: a config that resolved does not resolve after "
                         "configToJson: %s\n",
                         e.what());
            std::abort();
        }
    });
    return 0;
}
