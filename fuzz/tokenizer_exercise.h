#pragma once
// Encodes and decodes a fixed multilingual text with a tokenizer a fuzz target just loaded.
#include "errors.h"
#include "tokenizer/tokenizer.h"

#include <string_view>
#include <vector>

namespace anatomist::fuzz {

inline void exerciseTokenizer(const core::Tokenizer& tokenizer) {
    static constexpr std::string_view texts[] = {
        "Hello world, it's 2024!\n\tSpaces   and <s> </s> <unk> tokens.",
        "h\xc3\xa9llo \xe4\xb8\x96\xe7\x95\x8c \xf0\x9f\x99\x82 \xe2\x96\x81x",
        "",
        "\xff\xfe invalid utf-8 \xc3",
    };
    for (const auto text : texts) {
        const auto enc = tokenizer.encode(text, true);
        (void)tokenizer.decode(enc.ids, false);
        (void)tokenizer.decode(enc.ids, true);
        for (const auto id : enc.ids)
            (void)tokenizer.idToToken(id);
    }
    // Out-of-range ids come from users (generate --ids, datasets of ids): refused, never UB.
    const std::vector<core::TokenId> wild = {
        0, 1, -1, static_cast<core::TokenId>(tokenizer.vocabSize()), 2147483647};
    for (const auto id : wild) {
        try {
            (void)tokenizer.idToToken(id);
        } catch (const core::Error&) {
        }
    }
    (void)tokenizer.tokenToId("<s>");
}

} // namespace anatomist::fuzz
