#include "train/device_choice.h"

#include "errors.h"

#include <torch/cuda.h>

namespace anatomist::core {

torch::Device trainDeviceFromString(const std::string& text) {
    if (text.empty() || text == "cpu")
        return torch::kCPU;
    if (text != "cuda" && text.rfind("cuda:", 0) != 0)
        throw InvalidArgument("device '" + text + "': expected cpu, cuda or cuda:N");
    int index = 0;
    if (text.size() > 5) {
        const std::string digits = text.substr(5);
        if (digits.empty() || digits.size() > 4 ||
            digits.find_first_not_of("0123456789") != std::string::npos)
            throw InvalidArgument("device '" + text + "': expected cpu, cuda or cuda:N");
        index = std::stoi(digits);
    }
    if (!torch::cuda::is_available())
        throw InvalidArgument("device '" + text +
                              "': this libtorch has no CUDA (built without it, or "
                              "no CUDA device or driver is visible); use --device cpu or build "
                              "against a CUDA libtorch");
    const auto count = static_cast<int>(torch::cuda::device_count());
    if (index >= count)
        throw InvalidArgument("device '" + text + "': only " + std::to_string(count) +
                              " CUDA device(s) are visible");
    return {torch::kCUDA, static_cast<c10::DeviceIndex>(index)};
}

torch::ScalarType trainDtypeFromString(const std::string& text) {
    if (text.empty() || text == "float32" || text == "f32")
        return torch::kFloat32;
    if (text == "float64" || text == "f64")
        return torch::kFloat64;
    throw InvalidArgument("dtype '" + text + "': training runs in float32 or float64");
}

} // namespace anatomist::core
