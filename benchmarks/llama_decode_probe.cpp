// llama_decode_probe: times llama.cpp's own library (the CPU libraries of the npm package that
// tests/llama_cpp installs, loaded with dlopen) on a GGUF file, as Anatomist's `bench` does:
//   llama_decode_probe LIBDIR MODEL.gguf THREADS PROMPT GEN DEPTH[,DEPTH...]
//   → {"threads", "prefill": {"tokens", "seconds", "tokens_per_second"},
//      "decode_depths": [{"depth", "tokens", "seconds", "tokens_per_second"}]}
// F32 KV cache, no flash attention (as Anatomist computes); each figure is the best of 3 runs.
// Built by benchmarks/decode_vs_llama_cpp.sh; it measures, it does not assert.

#include "../tests/llama_cpp/llama_abi.h"
#include "../tests/llama_cpp/llama_library.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <stdexcept>
#include <string>
#include <vector>

using namespace llama_abi;

namespace {

double now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

struct Run {
    double prefillSeconds = 0, decodeSeconds = 0;
};

// A fresh context: `prompt` tokens in one batch (timed), then `gen` single-token steps, each
// reading the logits' argmax as the next token (timed).
Run run(llama_model* model, int threads, int prompt, int gen, int32_t vocabSize) {
    auto params = symbol<llama_context_params (*)()>("llama_context_default_params")();
    params.n_ctx = uint32_t(prompt + gen + 8);
    params.n_batch = params.n_ubatch = uint32_t(std::max(prompt, 1));
    params.n_threads = params.n_threads_batch = threads;
    params.type_k = params.type_v = 0; // GGML_TYPE_F32
    params.flash_attn_type = 0;        // disabled
    auto* ctx = symbol<llama_context* (*)(llama_model*, llama_context_params)>(
        "llama_init_from_model")(model, params);
    if (!ctx)
        throw std::runtime_error("llama.cpp could not create a context");
    auto decode = symbol<int32_t (*)(llama_context*, llama_batch)>("llama_decode");
    auto logitsAt = symbol<float* (*)(llama_context*, int32_t)>("llama_get_logits_ith");
    auto batch = symbol<llama_batch (*)(int32_t, int32_t, int32_t)>("llama_batch_init")(
        std::max(prompt, 1), 0, 1);
    Run r;
    int32_t next = 1;
    if (prompt > 0) {
        for (int i = 0; i < prompt; ++i) {
            batch.token[i] = 1 + (i * 7919) % (vocabSize - 1);
            batch.pos[i] = i;
            batch.n_seq_id[i] = 1;
            batch.seq_id[i][0] = 0;
            batch.logits[i] = i + 1 == prompt;
        }
        batch.n_tokens = prompt;
        const double start = now();
        if (decode(ctx, batch) != 0)
            throw std::runtime_error("llama_decode failed (prompt)");
        r.prefillSeconds = now() - start;
        const float* row = logitsAt(ctx, -1);
        next = int32_t(std::max_element(row, row + vocabSize) - row);
    }
    const double start = now();
    for (int s = 0; s < gen; ++s) {
        batch.token[0] = next;
        batch.pos[0] = prompt + s;
        batch.n_seq_id[0] = 1;
        batch.seq_id[0][0] = 0;
        batch.logits[0] = 1;
        batch.n_tokens = 1;
        if (decode(ctx, batch) != 0)
            throw std::runtime_error("llama_decode failed (decode)");
        const float* row = logitsAt(ctx, -1);
        next = int32_t(std::max_element(row, row + vocabSize) - row);
    }
    r.decodeSeconds = now() - start;
    symbol<void (*)(llama_batch)>("llama_batch_free")(batch);
    symbol<void (*)(llama_context*)>("llama_free")(ctx);
    return r;
}

} // namespace

int main(int argc, char** argv) {
    try {
        if (argc != 7)
            throw std::runtime_error(
                "usage: llama_decode_probe LIBDIR MODEL.gguf THREADS PROMPT GEN DEPTHS");
        openLibrary(argv[1]);
        const int threads = std::atoi(argv[3]), prompt = std::atoi(argv[4]),
                  gen = std::atoi(argv[5]);
        std::vector<int> depths;
        for (std::string list = argv[6]; !list.empty();) {
            const auto comma = list.find(',');
            depths.push_back(std::atoi(list.substr(0, comma).c_str()));
            list = comma == std::string::npos ? "" : list.substr(comma + 1);
        }
        const auto modelParams = symbol<llama_model_params (*)()>("llama_model_default_params")();
        auto* model = symbol<llama_model* (*)(const char*, llama_model_params)>(
            "llama_model_load_from_file")(argv[2], modelParams);
        if (!model)
            throw std::runtime_error(std::string("llama.cpp could not load ") + argv[2]);
        const auto* vocab =
            symbol<const llama_vocab* (*)(const llama_model*)>("llama_model_get_vocab")(model);
        const int32_t vocabSize =
            symbol<int32_t (*)(const llama_vocab*)>("llama_vocab_n_tokens")(vocab);

        double prefill = 1e300;
        for (int r = 0; r < 3; ++r)
            prefill = std::min(prefill, run(model, threads, prompt, 0, vocabSize).prefillSeconds);
        std::printf("{\"threads\": %d, \"prefill\": {\"tokens\": %d, \"seconds\": %.6f, "
                    "\"tokens_per_second\": %.3f}, \"decode_depths\": [",
                    threads, prompt, prefill, prompt / prefill);
        for (std::size_t i = 0; i < depths.size(); ++i) {
            double best = 1e300;
            for (int r = 0; r < 3; ++r)
                best = std::min(best, run(model, threads, depths[i], gen, vocabSize).decodeSeconds);
            std::printf(
                "%s{\"depth\": %d, \"tokens\": %d, \"seconds\": %.6f, \"tokens_per_second\": %.3f}",
                i ? ", " : "", depths[i], gen, best, gen / best);
        }
        std::printf("]}\n");
        symbol<void (*)(llama_model*)>("llama_model_free")(model);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "llama_decode_probe: %s\n", e.what());
        return 1;
    }
}
