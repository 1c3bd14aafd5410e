// tokenizer.model (SentencePiece protobuf, parsed by hand), then encoding and decoding with it.
#include "fuzz_support.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer_exercise.h"

using namespace anatomist;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto path = fuzz::writeInput("tokenizer.model", data, size);
    fuzz::expectTypedErrors("fuzz_tokenizer_model", [&] {
        const auto tokenizer = core::loadTokenizer(path);
        fuzz::exerciseTokenizer(*tokenizer);
    });
    return 0;
}
