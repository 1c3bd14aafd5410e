#pragma once
// tokenizer.json normalizers: NFC / NFD / NFKC / NFKD, Lowercase, Replace, Prepend, Strip and
// Sequence. They run on each section of the input between added tokens.

#include "hf_json.h"

#include <memory>
#include <string>

namespace anatomist::core {

class HfNormalizer {
public:
    virtual ~HfNormalizer() = default;
    // `text` is valid UTF-8 and stays so.
    virtual void apply(std::string& text) const = 0;
};

// null → nullptr. Unknown type → TokenizerError "... is an unsupported component".
std::unique_ptr<HfNormalizer> parseHfNormalizer(const Json& json, const std::string& where);

} // namespace anatomist::core
