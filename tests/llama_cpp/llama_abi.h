#pragma once
// The few declarations of llama.cpp's C API (include/llama.h) that llama_probe calls, for the
// library build pinned in package.json (@node-llama-cpp/linux-x64 3.22.1 = llama.cpp release
// v0.5.0). The npm package ships the libraries but not the header, so the structs passed by value
// are restated here field by field from that release's llama.h, with spare room at the end: they
// are always the last argument, so a larger copy leaves the library's offsets intact.

#include <cstddef>
#include <cstdint>

namespace llama_abi {

using llama_token = int32_t;
using llama_pos = int32_t;
using llama_seq_id = int32_t;

struct llama_model;
struct llama_context;
struct llama_vocab;

struct llama_model_params {
    void* devices;
    const void* tensor_buft_overrides;
    int32_t n_gpu_layers;
    int32_t split_mode;
    int32_t load_mode;
    int32_t lazy_mode;
    int32_t main_gpu;
    const float* tensor_split;
    void* progress_callback;
    void* progress_callback_user_data;
    const void* kv_overrides;
    bool vocab_only, check_tensors, use_extra_bufts, no_host, no_alloc, load_mtp;
    char spare[256];
};

struct llama_context_params {
    uint32_t n_ctx, n_batch, n_ubatch, n_seq_max, n_rs_seq, n_outputs_max, n_outputs_max_per_seq;
    int32_t n_threads, n_threads_batch;
    int32_t ctx_type, rope_scaling_type, pooling_type, attention_type, flash_attn_type;
    float rope_freq_base, rope_freq_scale, yarn_ext_factor, yarn_attn_factor, yarn_beta_fast,
        yarn_beta_slow;
    uint32_t yarn_orig_ctx;
    float defrag_thold;
    void* cb_eval;
    void* cb_eval_user_data;
    int32_t type_k, type_v;
    void* abort_callback;
    void* abort_callback_data;
    bool embeddings, offload_kqv, no_perf, op_offload, swa_full, kv_unified;
    void* samplers;
    std::size_t n_samplers;
    llama_context* ctx_other;
    char spare[256];
};

struct llama_batch {
    int32_t n_tokens;
    llama_token* token;
    float* embd;
    llama_pos* pos;
    int32_t* n_seq_id;
    llama_seq_id** seq_id;
    int8_t* logits;
};

struct llama_model_quantize_params {
    int32_t nthread;
    int32_t ftype;
    int32_t output_tensor_type;
    int32_t token_embedding_type;
    bool allow_requantize, quantize_output_tensor, only_copy, pure, keep_split, dry_run;
    const void* imatrix;
    const void* kv_overrides;
    const void* tt_overrides;
    const int32_t* prune_layers;
    std::size_t max_buf_size;
    char spare[256];
};

} // namespace llama_abi
