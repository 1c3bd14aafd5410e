#pragma once
// Typed errors thrown inside core. Every message names the file, tensor or key concerned and what
// was expected, so that the CLI can print it as one line and the GUI can show it unchanged.
// Callers catch `Error` once at the job boundary.

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>

namespace anatomist::core {

enum class ErrorKind {
    Io,                      // a file could not be opened, read or written
    Format,                  // a file is malformed (truncated, bad header, bad JSON ...)
    Config,                  // config.json is missing a key or holds inconsistent values
    UnsupportedArchitecture, // model_type / architectures not in the registry
    ShapeMismatch,           // a tensor's shape disagrees with the configuration
    MissingTensor,           // a tensor the architecture needs is absent
    UnexpectedTensor,        // a tensor the architecture does not know is present
    Tokenizer,               // tokenizer files are missing, malformed or use unsupported parts
    UnsafeFormat,            // a pickled checkpoint that we refuse to load
    InvalidArgument,         // a caller passed something out of range
    Cancelled,               // the job's context was cancelled
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message)
        : std::runtime_error(message)
        , m_kind(kind) {}
    ErrorKind kind() const noexcept { return m_kind; }

private:
    ErrorKind m_kind;
};

struct IoError : Error {
    explicit IoError(const std::string& m)
        : Error(ErrorKind::Io, m) {}
};
struct FormatError : Error {
    explicit FormatError(const std::string& m)
        : Error(ErrorKind::Format, m) {}
};
struct ConfigError : Error {
    explicit ConfigError(const std::string& m)
        : Error(ErrorKind::Config, m) {}
};
struct UnsupportedArchitecture : Error {
    explicit UnsupportedArchitecture(const std::string& m)
        : Error(ErrorKind::UnsupportedArchitecture, m) {}
};
struct ShapeMismatch : Error {
    explicit ShapeMismatch(const std::string& m)
        : Error(ErrorKind::ShapeMismatch, m) {}
};
struct MissingTensor : Error {
    explicit MissingTensor(const std::string& m)
        : Error(ErrorKind::MissingTensor, m) {}
};
struct UnexpectedTensor : Error {
    explicit UnexpectedTensor(const std::string& m)
        : Error(ErrorKind::UnexpectedTensor, m) {}
};
struct TokenizerError : Error {
    explicit TokenizerError(const std::string& m)
        : Error(ErrorKind::Tokenizer, m) {}
};
struct UnsafeFormat : Error {
    explicit UnsafeFormat(const std::string& m)
        : Error(ErrorKind::UnsafeFormat, m) {}
};
struct InvalidArgument : Error {
    explicit InvalidArgument(const std::string& m)
        : Error(ErrorKind::InvalidArgument, m) {}
};
struct Cancelled : Error {
    Cancelled()
        : Error(ErrorKind::Cancelled, "cancelled") {}
};

// "[128, 64]", for messages about tensor shapes.
std::string formatShape(std::span<const int64_t> shape);

} // namespace anatomist::core
