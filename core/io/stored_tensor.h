#pragma once
// How a tensor is held where it was loaded from, without torch: model_info.h and the GUI's
// converters carry it to the module tree.

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace anatomist::core {

// The type as the source format names it (safetensors' header dtype "BF16", "F32"; ggml's "Q4_K",
// "Q8_0", "F16" for GGUF) and the tensor's size there in bytes.
struct StoredTensor {
    std::string type;
    uint64_t bytes = 0;
};

// Parameter name → how it is stored (what loadWeights read it from).
using StoredTensors = std::map<std::string, StoredTensor, std::less<>>;

} // namespace anatomist::core
