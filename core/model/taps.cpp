#include "taps.h"

#include <array>

namespace anatomist::core {

namespace {

constexpr std::array<const char*, static_cast<std::size_t>(TapPoint::Count)> kNames{
    "in",   "attn_norm", "q",   "k",       "v",   "attn_out", "mid",        "mlp_norm",
    "gate", "up",        "act", "mlp_out", "out", "embed",    "final_norm", "logits"};

} // namespace

const char* tapPointName(TapPoint p) {
    return kNames[static_cast<std::size_t>(p)];
}

TapPoint parseTapPoint(const std::string& name) {
    for (std::size_t i = 0; i < kNames.size(); ++i)
        if (name == kNames[i])
            return static_cast<TapPoint>(i);
    return TapPoint::Count;
}

} // namespace anatomist::core
