// llama_probe: runs llama.cpp's own library (loaded with dlopen from the npm package's folder) on
// a GGUF file, for tests that compare Anatomist with llama.cpp.
//   llama_probe LIBDIR logprobs MODEL.gguf IDS.json   → {"logprobs": [...], "n_vocab": V}
//       log p(ids[t+1] | ids[..t]) for every position, from one batch with every output on
//   llama_probe LIBDIR tokenize MODEL.gguf TEXTS.json → {"ids": [[...], ...]} (special tokens
//   added, and recognised in the text as Hugging Face tokenizers do) llama_probe LIBDIR quantize
//   IN.gguf OUT.gguf FTYPE (llama_ftype number, e.g. 7 = Q8_0)

#include "llama_abi.h"
#include "llama_library.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

using namespace llama_abi;

namespace {

llama_model* loadModel(const std::string& path) {
    const auto params = symbol<llama_model_params (*)()>("llama_model_default_params")();
    auto* model = symbol<llama_model* (*)(const char*, llama_model_params)>(
        "llama_model_load_from_file")(path.c_str(), params);
    if (!model)
        throw std::runtime_error("llama.cpp could not load " + path);
    return model;
}

nlohmann::json readJson(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot open " + path);
    return nlohmann::json::parse(in);
}

int logprobs(const std::string& modelPath, const std::string& idsPath) {
    const auto ids = readJson(idsPath).get<std::vector<int32_t>>();
    auto* model = loadModel(modelPath);
    auto ctxParams = symbol<llama_context_params (*)()>("llama_context_default_params")();
    const auto n = uint32_t(ids.size());
    ctxParams.n_ctx = n;
    ctxParams.n_batch = n;
    ctxParams.n_ubatch = n;
    ctxParams.n_outputs_max = n;
    ctxParams.n_threads = ctxParams.n_threads_batch = 2;
    // The default KV cache is F16, which alone moves log-probs by ~1e-2: keep it F32, without
    // flash attention, so that the comparison measures the model and not the cache.
    ctxParams.type_k = ctxParams.type_v = 0; // GGML_TYPE_F32
    ctxParams.flash_attn_type = 0;           // LLAMA_FLASH_ATTN_TYPE_DISABLED
    auto* ctx = symbol<llama_context* (*)(llama_model*, llama_context_params)>(
        "llama_init_from_model")(model, ctxParams);
    if (!ctx)
        throw std::runtime_error("llama.cpp could not create a context");
    auto batch =
        symbol<llama_batch (*)(int32_t, int32_t, int32_t)>("llama_batch_init")(int32_t(n), 0, 1);
    for (uint32_t i = 0; i < n; ++i) {
        batch.token[i] = ids[i];
        batch.pos[i] = int32_t(i);
        batch.n_seq_id[i] = 1;
        batch.seq_id[i][0] = 0;
        batch.logits[i] = 1;
    }
    batch.n_tokens = int32_t(n);
    if (symbol<int32_t (*)(llama_context*, llama_batch)>("llama_decode")(ctx, batch) != 0)
        throw std::runtime_error("llama_decode failed");
    const auto* vocab =
        symbol<const llama_vocab* (*)(const llama_model*)>("llama_model_get_vocab")(model);
    const int32_t nVocab = symbol<int32_t (*)(const llama_vocab*)>("llama_vocab_n_tokens")(vocab);
    auto logitsAt = symbol<float* (*)(llama_context*, int32_t)>("llama_get_logits_ith");
    nlohmann::json out{{"n_vocab", nVocab}, {"logprobs", nlohmann::json::array()}};
    for (uint32_t t = 0; t + 1 < n; ++t) {
        const float* row = logitsAt(ctx, int32_t(t));
        double maxValue = row[0];
        for (int32_t v = 1; v < nVocab; ++v)
            maxValue = std::max(maxValue, double(row[v]));
        double sum = 0;
        for (int32_t v = 0; v < nVocab; ++v)
            sum += std::exp(double(row[v]) - maxValue);
        out["logprobs"].push_back(double(row[ids[t + 1]]) - maxValue - std::log(sum));
    }
    symbol<void (*)(llama_batch)>("llama_batch_free")(batch);
    symbol<void (*)(llama_context*)>("llama_free")(ctx);
    symbol<void (*)(llama_model*)>("llama_model_free")(model);
    std::cout << out.dump() << "\n";
    return 0;
}

int tokenize(const std::string& modelPath, const std::string& textsPath) {
    const auto texts = readJson(textsPath).get<std::vector<std::string>>();
    auto params = symbol<llama_model_params (*)()>("llama_model_default_params")();
    params.vocab_only = true;
    auto* model = symbol<llama_model* (*)(const char*, llama_model_params)>(
        "llama_model_load_from_file")(modelPath.c_str(), params);
    if (!model)
        throw std::runtime_error("llama.cpp could not load " + modelPath);
    const auto* vocab =
        symbol<const llama_vocab* (*)(const llama_model*)>("llama_model_get_vocab")(model);
    auto tokenizeFn = symbol<int32_t (*)(const llama_vocab*, const char*, int32_t, llama_token*,
                                         int32_t, bool, bool)>("llama_tokenize");
    nlohmann::json out{{"ids", nlohmann::json::array()}};
    for (const auto& text : texts) {
        std::vector<llama_token> ids(text.size() + 8);
        const int32_t count = tokenizeFn(vocab, text.data(), int32_t(text.size()), ids.data(),
                                         int32_t(ids.size()), true, true);
        if (count < 0)
            throw std::runtime_error("llama_tokenize failed");
        ids.resize(std::size_t(count));
        out["ids"].push_back(ids);
    }
    symbol<void (*)(llama_model*)>("llama_model_free")(model);
    std::cout << out.dump() << "\n";
    return 0;
}

int quantize(const std::string& in, const std::string& outPath, int ftype) {
    auto params =
        symbol<llama_model_quantize_params (*)()>("llama_model_quantize_default_params")();
    params.nthread = 2;
    params.ftype = ftype;
    const auto rc =
        symbol<uint32_t (*)(const char*, const char*, const llama_model_quantize_params*)>(
            "llama_model_quantize")(in.c_str(), outPath.c_str(), &params);
    if (rc != 0)
        throw std::runtime_error("llama_model_quantize failed");
    std::cout << "{\"quantized\": true}\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        if (argc < 5)
            throw std::runtime_error(
                "usage: llama_probe LIBDIR (logprobs|tokenize|quantize) MODEL ARG [FTYPE]");
        openLibrary(argv[1]);
        const std::string mode = argv[2];
        if (mode == "logprobs")
            return logprobs(argv[3], argv[4]);
        if (mode == "tokenize")
            return tokenize(argv[3], argv[4]);
        if (mode == "quantize" && argc == 6)
            return quantize(argv[3], argv[4], std::stoi(argv[5]));
        throw std::runtime_error("unknown mode " + mode);
    } catch (const std::exception& e) {
        std::cerr << "llama_probe: " << e.what() << "\n";
        return 1;
    }
}
