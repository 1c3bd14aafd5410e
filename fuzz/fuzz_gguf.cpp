// GGUF: header, metadata key/values (nested arrays), tensor infos and data bounds; then the model
// configuration and the vocabulary read from its metadata, as `info model.gguf` does.
#include "errors.h"
#include "fuzz_support.h"
#include "io/gguf_reader.h"
#include "model/arch_registry.h"
#include "model/gguf_config.h"
#include "tokenizer/gguf_vocab.h"
#include "tokenizer_exercise.h"

using namespace anatomist;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto path = fuzz::writeInput("model.gguf", data, size);
    fuzz::expectTypedErrors("fuzz_gguf", [&] {
        const auto file = core::GgufFile::open(path);
        for (const auto& t : file->tensors()) {
            const auto bytes = file->data(t);
            volatile uint8_t sink = 0;
            if (!bytes.empty())
                sink = bytes.front() ^ bytes.back(); // touches both ends of the claimed range
            (void)sink;
        }
        try {
            const auto cfg = core::configFromGguf(*file);
            (void)core::resolveConfig(cfg.document, path.string());
        } catch (const core::Error&) {
        }
        if (core::hasGgufVocabulary(*file))
            fuzz::exerciseTokenizer(*core::tokenizerFromGguf(*file));
    });
    return 0;
}
