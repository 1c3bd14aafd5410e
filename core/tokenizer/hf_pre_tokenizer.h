#pragma once
// tokenizer.json pre-tokenizers: Split (regex or string, every behaviour, invert), ByteLevel
// (with or without the GPT-2 regex), Metaspace (prepend schemes), Digits, Whitespace,
// WhitespaceSplit and Sequence. Only the piece texts matter to ids, so offsets are not tracked;
// what Metaspace's "first" scheme needs is whether a piece starts the original input.

#include "hf_json.h"

#include <memory>
#include <string>
#include <vector>

namespace anatomist::core {

struct HfPiece {
    std::string text;
    bool atStart = false; // begins at offset 0 of the original input
};

class HfPreTokenizer {
public:
    virtual ~HfPreTokenizer() = default;
    // Replaces `pieces` by their pre-tokens, in order; empty pieces are dropped.
    virtual void apply(std::vector<HfPiece>& pieces) const;

protected:
    virtual void splitPiece(const HfPiece& piece, std::vector<HfPiece>& out) const = 0;
};

// null → nullptr. Unknown type → TokenizerError "... is an unsupported component".
std::unique_ptr<HfPreTokenizer> parseHfPreTokenizer(const Json& json, const std::string& where);

} // namespace anatomist::core
