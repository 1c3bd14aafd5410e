#pragma once
// tokenizer.json post-processors for single sequences: TemplateProcessing, BertProcessing,
// RobertaProcessing, ByteLevel (offsets only, so nothing to do for ids) and Sequence. They run
// only when special tokens are requested.

#include "hf_json.h"
#include "tokenizer.h"

#include <memory>
#include <string>

namespace anatomist::core {

class HfPostProcessor {
public:
    virtual ~HfPostProcessor() = default;
    virtual void process(Encoding& encoding) const = 0;
};

// null → nullptr. Unknown type → TokenizerError "... is an unsupported component".
std::unique_ptr<HfPostProcessor> parseHfPostProcessor(const Json& json, const std::string& where);

} // namespace anatomist::core
