// tokenizer.json (models BPE/WordPiece/Unigram as supported, normalizers, pre-tokenizers, regexes,
// post-processors, decoders, added tokens), then encoding and decoding a fixed text with it.
#include "fuzz_support.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer_exercise.h"

using namespace anatomist;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto path = fuzz::writeInput("tokenizer.json", data, size);
    fuzz::expectTypedErrors("fuzz_tokenizer_json", [&] {
        const auto tokenizer = core::loadTokenizer(path);
        fuzz::exerciseTokenizer(*tokenizer);
    });
    return 0;
}
