#include "kv_cache.h"

#include <torch/types.h>

namespace anatomist::core {

KvCache::KvCache(const ModelConfig& config, int64_t batch, int64_t capacity,
                 const torch::TensorOptions& options)
    : m_batch(batch) {
    const auto layers = static_cast<std::size_t>(config.num_hidden_layers);
    m_keys.resize(layers);
    m_values.resize(layers);
    for (std::size_t i = 0; i < layers; ++i) {
        // A bypassed attention never appends: it keeps an empty buffer (grown with the others).
        const int64_t kvHeads =
            config.layer_attention_bypassed[i] ? 0 : config.layer_num_key_value_heads[i];
        m_keys[i] = torch::empty({batch, kvHeads, capacity, config.head_dim}, options);
        m_values[i] = torch::empty_like(m_keys[i]);
    }
    m_valid = torch::zeros({batch, capacity}, options.dtype(torch::kBool));
    m_nextPosition = torch::zeros({batch}, options.dtype(torch::kInt64));
}

void KvCache::reserve(int64_t capacity) {
    if (m_keys.empty() || m_keys.front().size(2) >= capacity)
        return;
    capacity = std::max(capacity, 2 * m_keys.front().size(2));
    auto grow = [&](torch::Tensor& t, int64_t dim) {
        auto sizes = t.sizes().vec();
        sizes[static_cast<std::size_t>(dim)] = capacity;
        auto bigger =
            dim == 1 ? torch::zeros(sizes, t.options()) : torch::empty(sizes, t.options());
        bigger.narrow(dim, 0, m_length).copy_(t.narrow(dim, 0, m_length));
        t = bigger;
    };
    for (auto& k : m_keys)
        grow(k, 2);
    for (auto& v : m_values)
        grow(v, 2);
    grow(m_valid, 1);
}

std::pair<torch::Tensor, torch::Tensor> KvCache::append(int layer, const torch::Tensor& k,
                                                        const torch::Tensor& v) {
    const int64_t t = k.size(2);
    reserve(m_length + t);
    auto& keys = m_keys[static_cast<std::size_t>(layer)];
    auto& values = m_values[static_cast<std::size_t>(layer)];
    keys.narrow(2, m_length, t).copy_(k);
    values.narrow(2, m_length, t).copy_(v);
    return {keys.narrow(2, 0, m_length + t), values.narrow(2, 0, m_length + t)};
}

void KvCache::commit(const torch::Tensor& validMask) {
    const int64_t t = validMask.size(1);
    reserve(m_length + t);
    m_valid.narrow(1, m_length, t).copy_(validMask);
    m_nextPosition += validMask.sum(1).to(torch::kInt64);
    m_length += t;
    if (m_allValid)
        m_allValid = validMask.all().item<bool>();
}

void KvCache::commitOneToken() {
    reserve(m_length + 1);
    TORCH_CHECK(m_valid.device().is_cpu() && m_valid.is_contiguous() &&
                    m_nextPosition.is_contiguous(),
                "KvCache::commitOneToken: CPU caches only");
    bool* valid = m_valid.data_ptr<bool>();
    int64_t* next = m_nextPosition.data_ptr<int64_t>();
    for (int64_t b = 0; b < m_batch; ++b) {
        valid[b * m_valid.size(1) + m_length] = true;
        next[b] += 1;
    }
    m_length += 1;
}

void KvCache::commitAllValid(int64_t tokens) {
    reserve(m_length + tokens);
    m_valid.narrow(1, m_length, tokens).fill_(true);
    m_nextPosition.add_(tokens);
    m_length += tokens;
}

} // namespace anatomist::core
