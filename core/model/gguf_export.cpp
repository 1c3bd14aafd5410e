#include "model/gguf_export.h"

#include "errors.h"
#include "io/gguf_reader.h"
#include "io/gguf_writer.h"
#include "job.h"
#include "model/causal_lm.h"
#include "model/gguf_config.h"
#include "model/gguf_import.h"
#include "model/gguf_names.h"
#include "tokenizer/gguf_bpe_vocab.h"
#include "tokenizer/sentencepiece_model.h"
#include "tokenizer/tokenizer.h"

#include <cmath>
#include <numbers>
#include <set>

namespace anatomist::core {

namespace fs = std::filesystem;

namespace {

// ref: convert_hf_to_gguf.py LlamaModel.permute: Hugging Face's rotate_half halves → llama.cpp's
// interleaved pairs, per head.
torch::Tensor permuteRows(const torch::Tensor& w, int64_t heads) {
    auto sizes = w.sizes().vec();
    std::vector<int64_t> view{heads, 2, w.size(0) / heads / 2};
    view.insert(view.end(), sizes.begin() + 1, sizes.end());
    return w.reshape(view).transpose(1, 2).reshape(sizes);
}

// ref: LlamaModel.generate_extra_tensors: the per-frequency divisors llama.cpp applies for
// Llama 3 RoPE scaling.
torch::Tensor llama3RopeFactors(const ModelConfig& c) {
    const auto& s = *c.rope_scaling;
    const double lowWavelen = double(s.original_max_position_embeddings) / s.low_freq_factor;
    const double highWavelen = double(s.original_max_position_embeddings) / s.high_freq_factor;
    std::vector<float> factors;
    for (int64_t i = 0; i < c.head_dim; i += 2) {
        const float freq = 1.0f / std::pow(float(c.rope_theta), float(i) / float(c.head_dim));
        const double wavelen = 2 * std::numbers::pi / double(freq);
        if (wavelen < highWavelen) {
            factors.push_back(1.0f);
        } else if (wavelen > lowWavelen) {
            factors.push_back(float(s.factor));
        } else {
            const double smooth =
                (double(s.original_max_position_embeddings) / wavelen - s.low_freq_factor) /
                (s.high_freq_factor - s.low_freq_factor);
            factors.push_back(float(1.0 / ((1 - smooth) / s.factor + smooth)));
        }
    }
    return torch::tensor(factors, torch::kFloat32);
}

// ref: llama.cpp include/llama.h llama_ftype
uint32_t fileType(GgmlType type) {
    switch (type) {
    case GgmlType::F16:
        return 1;
    case GgmlType::Q8_0:
        return 7;
    case GgmlType::BF16:
        return 32;
    default:
        return 0;
    }
}

void addTensor(GgufWriter& writer, const std::string& name, const torch::Tensor& value,
               GgmlType wanted) {
    auto data = value.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    std::vector<int64_t> dims(data.sizes().rbegin(), data.sizes().rend());
    GgmlType type = data.dim() < 2 ? GgmlType::F32 : wanted;
    if (dims[0] % ggmlTraits(type).blockSize != 0)
        type = GgmlType::F16; // ref: gguf-py quants: rows that are not whole blocks
    writer.addTensor(name, type, std::move(dims),
                     encodeTensorData(data.data_ptr<float>(), data.numel(), type));
}

void writeSentencePieceVocabulary(const SentencePieceModel& m, const TokenizerConfig& config,
                                  GgufWriter& w) {
    std::vector<std::string> tokens;
    std::vector<float> scores;
    std::vector<int32_t> types;
    for (const auto& p : m.pieces) {
        tokens.push_back(p.text);
        scores.push_back(p.score);
        types.push_back(static_cast<int32_t>(p.type));
    }
    w.setString("tokenizer.ggml.model", "llama");
    w.setString("tokenizer.ggml.pre", "default");
    w.setStringArray("tokenizer.ggml.tokens", tokens);
    w.setF32Array("tokenizer.ggml.scores", scores);
    w.setI32Array("tokenizer.ggml.token_type", types);
    auto setId = [&](const char* key, int32_t id) {
        if (id >= 0)
            w.setU32(key, uint32_t(id));
    };
    setId("tokenizer.ggml.bos_token_id", m.bosId);
    setId("tokenizer.ggml.eos_token_id", m.eosId);
    setId("tokenizer.ggml.unknown_token_id", m.unkId);
    setId("tokenizer.ggml.padding_token_id", m.padId);
    w.setBool("tokenizer.ggml.add_bos_token", config.add_bos_token.value_or(true));
    w.setBool("tokenizer.ggml.add_eos_token", config.add_eos_token.value_or(false));
    w.setBool("tokenizer.ggml.add_space_prefix", m.addDummyPrefix);
}

} // namespace

bool writeGgufVocabulary(const fs::path& source, GgufWriter& writer, int64_t vocabSize) {
    if (source.empty())
        return false;
    if (isGgufPath(source)) {
        const auto file = GgufFile::open(source);
        bool any = false;
        for (const auto& [key, value] : file->metadata())
            if (key.rfind("tokenizer.", 0) == 0) {
                writer.set(key, value);
                any = true;
            }
        return any;
    }
    if (fs::exists(source / "tokenizer.model") && !fs::exists(source / "tokenizer.json")) {
        const auto model = readSentencePieceModel(source / "tokenizer.model");
        writeSentencePieceVocabulary(model, readTokenizerConfig(source / "tokenizer_config.json"),
                                     writer);
        return true;
    }
    if (fs::exists(source / "tokenizer.json"))
        return writeGgufBpeVocabulary(source / "tokenizer.json",
                                      readTokenizerConfig(source / "tokenizer_config.json"),
                                      vocabSize, writer);
    return false;
}

std::string ggufExportRefusal(const CausalLM& model) {
    try {
        GgufWriter scratch;
        writeGgufConfig(model.config(), model.spec(), scratch);
        for (const auto& item : model.named_parameters(true))
            if (ggufTensorName(model.spec(), item.key()).empty())
                return model.spec().family + " parameter '" + item.key() + "' has no GGUF name";
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

void exportGguf(CausalLM& model, const fs::path& out, const GgufExportOptions& options,
                JobContext& job) {
    const auto& spec = model.spec();
    const auto& config = model.config();
    const auto type = options.type;
    if (type != GgmlType::F32 && type != GgmlType::F16 && type != GgmlType::BF16 &&
        type != GgmlType::Q8_0)
        throw InvalidArgument(std::string("GGUF export writes f32, f16, bf16 or q8_0, not ") +
                              ggmlTraits(type).name);
    std::error_code ec;
    if (!options.tokenizerSource.empty() && fs::exists(out, ec) &&
        fs::equivalent(out, options.tokenizerSource, ec))
        throw InvalidArgument(out.string() + ": is the source model; choose another file");

    GgufWriter writer;
    writeGgufConfig(config, spec, writer);
    if (!options.name.empty())
        writer.setString("general.name", options.name);
    writer.setU32("general.file_type", fileType(type));
    writer.setU32("general.quantization_version", 2);
    writeGgufVocabulary(options.tokenizerSource, writer, config.vocab_size);

    torch::NoGradGuard noGrad;
    // llama.cpp cannot skip a layer's attention: a bypassed one is written with a zero output
    // projection, so that x_mid = x_in + 0.
    std::set<const void*> zeroed;
    for (int l = 0; l < model.numLayers(); ++l)
        if (model.layer(l).attentionBypassed)
            for (const auto& p : model.layer(l).attention->named_parameters(true))
                if (p.key().rfind(spec.names.o + ".", 0) == 0)
                    zeroed.insert(p.value().unsafeGetTensorImpl());
    const auto params = model.named_parameters(true);
    std::size_t done = 0;
    for (const auto& item : params) {
        const std::string& name = item.key();
        const std::string ggufName = ggufTensorName(spec, name);
        if (ggufName.empty())
            throw InvalidArgument(spec.family + " parameter '" + name + "' has no GGUF name");
        auto value = item.value().detach().to(torch::kCPU, torch::kFloat32);
        if (zeroed.count(item.value().unsafeGetTensorImpl()))
            value = torch::zeros_like(value);
        switch (ggufValueChange(spec, name)) {
        // q/k rows are the layer's heads × head_dim (per-layer head counts after pruning).
        case GgufValueChange::RopePermuteQ:
        case GgufValueChange::RopePermuteK:
            value = permuteRows(value, value.size(0) / config.head_dim);
            break;
        case GgufValueChange::Transpose:
            value = value.t();
            break;
        case GgufValueChange::PlusOne:
            value = value + 1.0f;
            break;
        case GgufValueChange::None:
            break;
        }
        addTensor(writer, ggufName, value, type);
        job.setProgress(0.9 * double(++done) / double(params.size()), "tensors");
        job.throwIfCancelled();
    }
    if (config.rope_scaling && config.rope_scaling->rope_type == "llama3")
        addTensor(writer, "rope_freqs.weight", llama3RopeFactors(config), GgmlType::F32);
    job.setProgress(0.9, "write");
    writer.write(out);
    job.setProgress(1.0, "done");
}

} // namespace anatomist::core
