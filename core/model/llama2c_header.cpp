// The llama2.c checkpoint header, read and checked without torch (the importer and the fuzz
// target share it).
#include "errors.h"
#include "io/input_file.h"
#include "model/llama2c_import.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <string>

namespace anatomist::core {

namespace fs = std::filesystem;

namespace {

constexpr int64_t kHeaderBytes = 7 * sizeof(int32_t);

} // namespace

Llama2cHeader readLlama2cHeader(const fs::path& binFile) {
    auto in = openInputFile(binFile);
    int32_t fields[7] = {};
    in.read(reinterpret_cast<char*>(fields), kHeaderBytes);
    if (in.gcount() != kHeaderBytes)
        throw FormatError(binFile.string() + ": too short for a llama2.c header (28 bytes)");
    Llama2cHeader h;
    h.dim = fields[0];
    h.hidden_dim = fields[1];
    h.n_layers = fields[2];
    h.n_heads = fields[3];
    h.n_kv_heads = fields[4];
    h.shared_classifier = fields[5] > 0;
    // In 64 bits: -INT32_MIN does not fit an int32 (found by fuzz_llama2c); the clamp leaves it to
    // the "implausibly large" check below.
    const int64_t vocab = fields[5];
    h.vocab_size = static_cast<int32_t>(std::min<int64_t>(vocab < 0 ? -vocab : vocab, INT32_MAX));
    h.seq_len = fields[6];
    const auto bad = [&](const std::string& problem) {
        return FormatError(binFile.string() + ": not a llama2.c v0 checkpoint (" + problem + ")");
    };
    if (h.dim <= 0 || h.hidden_dim <= 0 || h.n_layers <= 0 || h.n_heads <= 0 || h.n_kv_heads <= 0 ||
        h.vocab_size <= 0 || h.seq_len <= 0)
        throw bad("header sizes must be positive");
    if (h.dim > (1 << 16) || h.hidden_dim > (1 << 18) || h.n_layers > 1024 ||
        h.vocab_size > (1 << 22) || h.seq_len > (1 << 22))
        throw bad("header sizes are implausibly large");
    if (h.dim % h.n_heads != 0 || h.n_heads % h.n_kv_heads != 0 || (h.dim / h.n_heads) % 2 != 0)
        throw bad("heads do not divide the hidden size evenly");

    const int64_t headDim = h.dim / h.n_heads, kvDim = headDim * h.n_kv_heads;
    const int64_t perLayer =
        2LL * h.dim + 2LL * h.dim * h.dim + 2LL * kvDim * h.dim + 3LL * h.dim * h.hidden_dim;
    int64_t floats = int64_t(h.vocab_size) * h.dim + h.n_layers * perLayer + h.dim +
                     int64_t(h.seq_len) * headDim;
    if (!h.shared_classifier)
        floats += int64_t(h.vocab_size) * h.dim;
    const auto expected = kHeaderBytes + floats * int64_t(sizeof(float));
    in.seekg(0, std::ios::end);
    const auto actual = static_cast<int64_t>(in.tellg());
    if (actual < expected)
        throw FormatError(binFile.string() + ": truncated (" + std::to_string(actual) +
                          " bytes; the header implies " + std::to_string(expected) + ")");
    return h;
}

} // namespace anatomist::core
