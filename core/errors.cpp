#include "errors.h"

namespace anatomist::core {

std::string formatShape(std::span<const int64_t> shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

const char* errorKindName(ErrorKind kind) noexcept {
    switch (kind) {
    case ErrorKind::Io: return "io";
    case ErrorKind::Format: return "format";
    case ErrorKind::Config: return "config";
    case ErrorKind::UnsupportedArchitecture: return "unsupported_architecture";
    case ErrorKind::ShapeMismatch: return "shape_mismatch";
    case ErrorKind::MissingTensor: return "missing_tensor";
    case ErrorKind::UnexpectedTensor: return "unexpected_tensor";
    case ErrorKind::Tokenizer: return "tokenizer";
    case ErrorKind::UnsafeFormat: return "unsafe_format";
    case ErrorKind::InvalidArgument: return "invalid_argument";
    case ErrorKind::Cancelled: return "cancelled";
    }
    return "unknown";
}

} // namespace anatomist::core
