#pragma once
// The compute device and precision of a training-like run, from the user's words.

#include <string>
#include <torch/types.h>

namespace anatomist::core {

// InvalidArgument naming the text when it is none of those, when the libtorch in use was built
// without CUDA or sees no CUDA device, or when N is not one of the devices it sees.
torch::Device trainDeviceFromString(const std::string& text);

// "float32" (also "" and "f32") or "float64" ("f64"): the dtype weights are trained in. float64
// makes runs reproducible to ~1e-12 across batch splits and process counts (float32 rounding
// differs with the split, and AdamW's first steps amplify it for tiny gradients).
// InvalidArgument naming the text otherwise.
torch::ScalarType trainDtypeFromString(const std::string& text);

} // namespace anatomist::core
