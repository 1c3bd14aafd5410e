#include "model/llama2c_import.h"

#include "errors.h"
#include "io/atomic_file.h"
#include "io/input_file.h"
#include "io/safetensors.h"
#include "job.h"
#include "model/arch_registry.h"
#include "model/llama_config_json.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace anatomist::core {

namespace fs = std::filesystem;

namespace {

constexpr int64_t kHeaderBytes = 7 * sizeof(int32_t);

class FloatReader {
public:
    FloatReader(const fs::path& file)
        : m_file(file)
        , m_in(file, std::ios::binary) {
        if (!m_in)
            throw IoError(file.string() + ": cannot open");
        m_in.seekg(kHeaderBytes);
    }

    torch::Tensor read(std::vector<int64_t> shape, const char* what) {
        auto tensor = torch::empty(shape, torch::kFloat32);
        const auto bytes = static_cast<std::streamsize>(tensor.numel() * sizeof(float));
        m_in.read(reinterpret_cast<char*>(tensor.data_ptr<float>()), bytes);
        if (m_in.gcount() != bytes)
            throw FormatError(m_file.string() + ": file ends inside tensor '" + what + "'");
        return tensor;
    }

    void skip(int64_t floats, const char* what) {
        m_in.seekg(static_cast<std::streamoff>(floats * sizeof(float)), std::ios::cur);
        if (!m_in)
            throw FormatError(m_file.string() + ": file ends inside '" + what + "'");
    }

private:
    fs::path m_file;
    std::ifstream m_in;
};

// ref: transformers/models/llama/convert_llama_weights_to_hf.py permute(): rows of each head go
// from interleaved pairs (x0, x1), (x2, x3), ... to the halves rotate_half expects.
torch::Tensor toRotateHalf(const torch::Tensor& weight, int64_t heads) {
    const int64_t rows = weight.size(0), cols = weight.size(1);
    return weight.view({heads, rows / heads / 2, 2, cols}).transpose(1, 2).reshape({rows, cols});
}

std::string readWholeFile(const fs::path& file) {
    auto in = openInputFile(file);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

} // namespace

void importLlama2c(const fs::path& binFile, const fs::path& tokenizerModel, const fs::path& outDir,
                   JobContext& job) {
    const Llama2cHeader h = readLlama2cHeader(binFile);
    if (!fs::is_regular_file(tokenizerModel))
        throw IoError(tokenizerModel.string() + ": no such SentencePiece model");
    const int64_t dim = h.dim, hidden = h.hidden_dim, layers = h.n_layers;
    const int64_t headDim = dim / h.n_heads, kvDim = headDim * h.n_kv_heads;

    FloatReader reader(binFile);
    NamedTensors tensors;
    auto embed = reader.read({h.vocab_size, dim}, "token_embedding_table");
    tensors.emplace_back("model.embed_tokens.weight", embed);
    // llama2.c stores each kind for all layers together: [layers, ...].
    auto rmsAtt = reader.read({layers, dim}, "rms_att_weight");
    auto wq = reader.read({layers, dim, dim}, "wq");
    auto wk = reader.read({layers, kvDim, dim}, "wk");
    auto wv = reader.read({layers, kvDim, dim}, "wv");
    auto wo = reader.read({layers, dim, dim}, "wo");
    auto rmsFfn = reader.read({layers, dim}, "rms_ffn_weight");
    auto w1 = reader.read({layers, hidden, dim}, "w1");
    auto w2 = reader.read({layers, dim, hidden}, "w2");
    auto w3 = reader.read({layers, hidden, dim}, "w3");
    auto rmsFinal = reader.read({dim}, "rms_final_weight");
    job.setProgress(0.5, "read");
    reader.skip(int64_t(h.seq_len) * headDim, "freq_cis"); // real and imaginary halves
    for (int64_t l = 0; l < layers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        tensors.emplace_back(p + "input_layernorm.weight", rmsAtt[l]);
        tensors.emplace_back(p + "self_attn.q_proj.weight", toRotateHalf(wq[l], h.n_heads));
        tensors.emplace_back(p + "self_attn.k_proj.weight", toRotateHalf(wk[l], h.n_kv_heads));
        tensors.emplace_back(p + "self_attn.v_proj.weight", wv[l]);
        tensors.emplace_back(p + "self_attn.o_proj.weight", wo[l]);
        tensors.emplace_back(p + "post_attention_layernorm.weight", rmsFfn[l]);
        tensors.emplace_back(p + "mlp.gate_proj.weight", w1[l]);
        tensors.emplace_back(p + "mlp.down_proj.weight", w2[l]);
        tensors.emplace_back(p + "mlp.up_proj.weight", w3[l]);
    }
    tensors.emplace_back("model.norm.weight", rmsFinal);
    if (!h.shared_classifier)
        tensors.emplace_back("lm_head.weight", reader.read({h.vocab_size, dim}, "wcls"));

    const nlohmann::json config = llamaConfigJson({
        .vocab_size = h.vocab_size,
        .hidden_size = dim,
        .intermediate_size = hidden,
        .num_hidden_layers = layers,
        .num_attention_heads = h.n_heads,
        .num_key_value_heads = h.n_kv_heads,
        .max_position_embeddings = h.seq_len,
        .head_dim = headDim,
        .rms_norm_eps = 1e-5, // llama2.c's run.c hard-codes this epsilon
        .tie_word_embeddings = h.shared_classifier,
        .writeBiasFlags = true,
        .bos_token_id = 1,
        .eos_token_id = 2,
    });
    // Validates the result the same way loading it later will.
    resolveConfig(config, (outDir / "config.json").string());

    std::error_code ec;
    fs::create_directories(outDir, ec);
    if (ec)
        throw IoError(outDir.string() + ": cannot create folder (" + ec.message() + ")");
    writeSafetensors(outDir / "model.safetensors", tensors);
    job.setProgress(0.9, "write");
    writeTextAtomically(outDir / "config.json", config.dump(2) + "\n");
    writeTextAtomically(outDir / "tokenizer.model", readWholeFile(tokenizerModel));
    const nlohmann::json tokenizerConfig = {{"tokenizer_class", "LlamaTokenizer"},
                                            {"add_bos_token", true},
                                            {"add_eos_token", false},
                                            {"bos_token", "<s>"},
                                            {"eos_token", "</s>"},
                                            {"unk_token", "<unk>"},
                                            {"model_max_length", h.seq_len}};
    writeTextAtomically(outDir / "tokenizer_config.json", tokenizerConfig.dump(2) + "\n");
    job.setProgress(1.0, "done");
}

} // namespace anatomist::core
