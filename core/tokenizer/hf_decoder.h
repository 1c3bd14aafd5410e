#pragma once
// tokenizer.json decoders (ref: tokenizers decoders/): ByteLevel, Replace, ByteFallback, Fuse,
// Strip, Metaspace and Sequence. Each maps the list of token strings to a new list
// (decode_chain); the decoded text is the concatenation of the final list.

#include "hf_json.h"

#include <memory>
#include <string>
#include <vector>

namespace anatomist::core {

class HfDecoder {
public:
    virtual ~HfDecoder() = default;
    virtual void decodeChain(std::vector<std::string>& tokens) const = 0;
};

// null → nullptr (tokens are then joined with spaces, as tokenizers does).
std::unique_ptr<HfDecoder> parseHfDecoder(const Json& json, const std::string& where);

} // namespace anatomist::core
