#include "tensor_source.h"

#include "errors.h"
#include "io/safetensors.h"

namespace anatomist::core {

std::vector<std::string> MemoryTensorSource::names() const {
    std::vector<std::string> out;
    out.reserve(m_tensors.size());
    for (const auto& [name, tensor] : m_tensors)
        out.push_back(name);
    return out;
}

bool MemoryTensorSource::contains(std::string_view name) const {
    return m_tensors.find(name) != m_tensors.end();
}

const torch::Tensor& MemoryTensorSource::find(std::string_view name) const {
    const auto it = m_tensors.find(name);
    if (it == m_tensors.end())
        throw MissingTensor(m_label + ": no tensor '" + std::string(name) + "'");
    return it->second;
}

std::vector<int64_t> MemoryTensorSource::shape(std::string_view name) const {
    const auto sizes = find(name).sizes();
    return {sizes.begin(), sizes.end()};
}

torch::Tensor MemoryTensorSource::load(std::string_view name, torch::ScalarType as) const {
    return find(name).to(as);
}

bool MemoryTensorSource::sharesMemory(std::string_view name, const torch::Tensor& tensor) const {
    const auto it = m_tensors.find(name);
    return it != m_tensors.end() && tensor.defined() && it->second.defined() &&
           tensor.data_ptr() == it->second.data_ptr();
}

StoredTensor MemoryTensorSource::stored(std::string_view name) const {
    const auto& t = find(name);
    return {stDtypeName(fromTorch(t.scalar_type())),
            static_cast<uint64_t>(t.numel()) * static_cast<uint64_t>(t.element_size())};
}

} // namespace anatomist::core
