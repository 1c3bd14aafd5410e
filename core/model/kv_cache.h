#pragma once
// Keys and values of past positions, per layer, for incremental decoding. Buffers grow by doubling
// so that a decode step writes one position instead of concatenating the whole history.

#include "io/model_config.h"

#include <memory>
#include <torch/types.h>
#include <vector>

namespace anatomist::core {

struct DecodeScratch;

class KvCache {
public:
    KvCache(const ModelConfig& config, int64_t batch, int64_t capacity,
            const torch::TensorOptions& options);

    int64_t length() const { return m_length; }
    int64_t batch() const { return m_batch; }
    // [B, length] bool: which cached positions are real tokens (false = padding).
    torch::Tensor validMask() const { return m_valid.narrow(1, 0, m_length); }
    // [B] int64: the position id the next real token of each row gets.
    const torch::Tensor& nextPositions() const { return m_nextPosition; }

    // Stores k, v ([B, kvHeads, T, D]) of `layer` after the current length and returns the views of
    // all keys and values so far ([B, kvHeads, length + T, D]).
    std::pair<torch::Tensor, torch::Tensor> append(int layer, const torch::Tensor& k,
                                                   const torch::Tensor& v);
    // Called once per forward after every layer appended: records the new tokens' validity.
    void commit(const torch::Tensor& validMask /*[B, T] bool*/);
    // commit() for `tokens` new positions that are all real tokens (no padding).
    void commitAllValid(int64_t tokens);
    // True while no cached position is padding: then every row's next position id is length(),
    // and a forward may use positions and masks without reading the validity tensors.
    bool allValid() const { return m_allValid; }

    // For the single-token decode step (decode_step.h), which writes one position in place: room
    // for `tokens` more positions (grown as append grows it), a layer's whole key or value storage
    // [B, kvHeads, capacity, D], and commitAllValid(1) without tensor operations (CPU only).
    int layers() const { return static_cast<int>(m_keys.size()); }
    void reserveMore(int64_t tokens) { reserve(m_length + tokens); }
    const torch::Tensor& keyStorage(int layer) const {
        return m_keys[static_cast<std::size_t>(layer)];
    }
    const torch::Tensor& valueStorage(int layer) const {
        return m_values[static_cast<std::size_t>(layer)];
    }
    void commitOneToken();
    // The buffers that step keeps between the tokens of this sequence.
    std::shared_ptr<DecodeScratch> decodeScratch;

private:
    void reserve(int64_t capacity);

    int64_t m_batch;
    int64_t m_length = 0;
    bool m_allValid = true;
    std::vector<torch::Tensor> m_keys, m_values; // [B, kvHeads, capacity, D]
    torch::Tensor m_valid;                       // [B, capacity] bool
    torch::Tensor m_nextPosition;                // [B] int64
};

} // namespace anatomist::core
