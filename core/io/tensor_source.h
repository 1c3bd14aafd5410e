#pragma once
// Where a model's weights come from when it is built: a safetensors checkpoint on disk, a GGUF
// file, or tensors in memory (a pruned variant). loadWeights() reads every source through this one
// interface, so the missing / unexpected / shape checks hold for all of them.

#include "io/stored_tensor.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <torch/types.h>
#include <vector>

namespace anatomist::core {

class TensorSource {
public:
    virtual ~TensorSource() = default;

    virtual std::vector<std::string> names() const = 0; // sorted
    virtual bool contains(std::string_view name) const = 0;
    // Throws MissingTensor when absent.
    virtual std::vector<int64_t> shape(std::string_view name) const = 0;
    // The tensor converted to `as`; may share memory with the source (callers never write to it
    // in place without cloning first).
    virtual torch::Tensor load(std::string_view name, torch::ScalarType as) const = 0;
    // The stored type and byte size of the tensor (MissingTensor when absent).
    virtual StoredTensor stored(std::string_view name) const = 0;
    // Where the tensor lives, for error messages: a file path, or a label such as "variant of X".
    virtual std::string origin(std::string_view name) const = 0;
    // Where the source as a whole lives (first file, or the label).
    virtual std::string description() const = 0;

    // Whether `tensor`'s data is the source's own copy of tensor `name` (loaded in place).
    virtual bool sharesMemory(std::string_view, const torch::Tensor&) const { return false; }
    // The caller has copied tensor `name` and keeps no view of the source's bytes: the source may
    // give their memory back (reading them again stays correct).
    virtual void release(std::string_view) const {}
};

// Tensors held in memory under their parameter names (pruned variants, tests).
class MemoryTensorSource : public TensorSource {
public:
    explicit MemoryTensorSource(std::string label)
        : m_label(std::move(label)) {}
    MemoryTensorSource(std::string label, std::map<std::string, torch::Tensor, std::less<>> tensors)
        : m_label(std::move(label))
        , m_tensors(std::move(tensors)) {}

    void set(std::string name, torch::Tensor tensor) {
        m_tensors[std::move(name)] = std::move(tensor);
    }
    const std::map<std::string, torch::Tensor, std::less<>>& tensors() const { return m_tensors; }

    std::vector<std::string> names() const override;
    bool contains(std::string_view name) const override;
    std::vector<int64_t> shape(std::string_view name) const override;
    torch::Tensor load(std::string_view name, torch::ScalarType as) const override;
    // The in-memory dtype under its safetensors name ("F32", "BF16") and numel × element size.
    StoredTensor stored(std::string_view name) const override;
    std::string origin(std::string_view) const override { return m_label; }
    std::string description() const override { return m_label; }
    bool sharesMemory(std::string_view name, const torch::Tensor& tensor) const override;

private:
    const torch::Tensor& find(std::string_view name) const;

    std::string m_label;
    std::map<std::string, torch::Tensor, std::less<>> m_tensors;
};

} // namespace anatomist::core
