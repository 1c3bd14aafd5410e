#include "decode_step.h"

#include "model/decode_step_kernels.h"
#include "model/decode_team.h"
#include "model/kv_cache.h"

#include <ATen/Parallel.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

namespace anatomist::core {

namespace {

// Rows of one weight matrix (nn.Linear layout [out, in]), with its bias or none.
struct Segment {
    const float* weight = nullptr;
    const float* bias = nullptr;
    int64_t rows = 0;
    bool streamed = false; // larger than a core's L2: read from memory
};

// A matrix beyond this many floats (2 MiB) does not stay in a core's caches between tokens.
constexpr int64_t kStreamedFloats = int64_t{1} << 19;

struct Norm {
    const float* weight = nullptr;
    float eps = 0;
    bool offsetOne = false;
};

struct LayerPlan {
    bool skip = false;
    bool attend = false;
    Norm inputNorm, postAttentionNorm, mlpNorm, postFeedforwardNorm, qNorm, kNorm;
    Segment qkv[3];
    Segment o, gate, up, down;
    int64_t heads = 0, kvHeads = 0, inner = 0;
    float scale = 1;
    int64_t window = 0; // keys a query sees (itself included); 0: all
    const float* cos = nullptr;
    const float* sin = nullptr;
    float* keys = nullptr; // the cache's [kvHeads, capacity, D] storage of this layer
    float* values = nullptr;
    int64_t capacity = 0;
};

struct ModelPlan {
    int64_t hidden = 0, headDim = 0, vocab = 0, position = 0, token = 0;
    int activation = 0;
    const float* embed = nullptr;
    float embedScale = 0; // 0: none
    Norm finalNorm;
    const float* head = nullptr;
    float softcap = 0;                                   // 0: none
    int64_t chunkHidden = 0, chunkQ = 0, chunkInner = 0; // rows per work piece, by input size
    int64_t scoreCapacity = 0;
    int64_t pieceCapacity = 0; // rows of a gate or up piece a thread may get
    bool logits = true;
};

// With several threads a matrix product is cut into this many pieces per thread: each thread reads
// one long run of weights (the hardware prefetchers follow it) and takes few pieces from the shared
// counter, whose cache line moves between cores on every take; two rather than one let a thread
// that started late take less. Pieces of a few rows made 2-thread decode 1.3-1.5× slower
// (stories15m, smollm2-135m).
constexpr int64_t kPiecesPerThread = 2;

int64_t ceilDivide(int64_t a, int64_t b) {
    return (a + b - 1) / b;
}

int64_t roundUpToFour(int64_t n) {
    return (n + 3) & ~int64_t{3};
}

int64_t rowChunk(int64_t in) {
    // About 32 KiB of weights per piece (a few microseconds), a multiple of the kernel's 4 rows.
    return std::max<int64_t>(4, (8192 / std::max<int64_t>(in, 1)) & ~int64_t{3});
}

} // namespace

// What a sequence's decode steps keep between tokens (owned by its KvCache).
struct DecodeScratch {
    std::vector<LayerPlan> layers;
    std::vector<std::pair<torch::Tensor, torch::Tensor>> rotary; // held during a step
    std::vector<float> x, qkv, attention, projected, inner;
    std::vector<std::vector<float>> perThread; // normed input, scores, gate/up pieces
    std::unique_ptr<WorkCounter[]> counters;
    std::size_t counterCount = 0;
    TeamBarrier barrier;
    torch::Tensor logits, hidden;
};

namespace {

bool floatCpu(const torch::Tensor& t) {
    return t.defined() && t.scalar_type() == torch::kFloat32 && t.device().is_cpu() &&
           t.is_contiguous();
}

bool linear(const std::shared_ptr<LinearModule>& m, int64_t in, int64_t out, Segment& s) {
    if (!m || m->loraA || m->layout != LinearLayout::OutIn || !floatCpu(m->weight) ||
        m->weight.dim() != 2 || m->weight.size(0) != out || m->weight.size(1) != in)
        return false;
    if (m->bias.defined() && (!floatCpu(m->bias) || m->bias.numel() != out))
        return false;
    s = {m->weight.data_ptr<float>(), m->bias.defined() ? m->bias.data_ptr<float>() : nullptr, out,
         out * in >= kStreamedFloats};
    return true;
}

bool norm(const NormModule* m, int64_t dim, Norm& n) {
    if (!m || m->kind == NormKind::LayerNorm || !floatCpu(m->weight) || m->weight.numel() != dim)
        return false;
    n = {m->weight.data_ptr<float>(), float(m->eps), m->kind == NormKind::RmsOffsetOne};
    return true;
}

bool cacheStorage(const torch::Tensor& t, int64_t kvHeads, int64_t headDim) {
    return floatCpu(t) && t.dim() == 4 && t.size(0) == 1 && t.size(1) == kvHeads &&
           t.size(3) == headDim;
}

// Checks everything a step reads and fills `s.layers` and `m` with its pointers. With `forRun`
// the cache grows to hold the token and the rotary tables to cover its position.
bool buildPlan(CausalLM& model, const ForwardOptions& opts, KvCache& cache, DecodeScratch& s,
               ModelPlan& m, bool forRun) {
    const auto& c = model.config();
    const auto& spec = model.spec();
    if (spec.norm == NormKind::LayerNorm || spec.mlp != MlpKind::Gated ||
        spec.positions != PositionKind::Rotary || spec.linearLayout != LinearLayout::OutIn ||
        spec.fusedQkv() || model.options().dtype() != torch::kFloat32 ||
        !model.options().device().is_cpu())
        return false;
    const int64_t H = c.hidden_size, D = c.head_dim, V = c.vocab_size;
    m.hidden = H;
    m.headDim = D;
    m.vocab = V;
    m.position = cache.length();
    m.activation = static_cast<int>(c.hidden_act);
    m.logits = opts.computeLogits;
    const auto& embed = model.embedding().weight;
    if (!floatCpu(embed) || embed.dim() != 2 || embed.size(0) != V || embed.size(1) != H ||
        m.token < 0 || m.token >= V || !norm(&model.finalNorm(), H, m.finalNorm))
        return false;
    m.embed = embed.data_ptr<float>();
    m.embedScale = spec.scaleEmbedding ? float(std::sqrt(double(H))) : 0.0f;
    m.softcap = c.final_logit_softcapping ? float(*c.final_logit_softcapping) : 0.0f;
    if (const auto* head = model.lmHeadLinear()) {
        if (head->loraA || head->layout != LinearLayout::OutIn || head->bias.defined() ||
            !floatCpu(head->weight) || head->weight.size(0) != V || head->weight.size(1) != H)
            return false;
        m.head = head->weight.data_ptr<float>();
    } else {
        m.head = m.embed;
    }
    if (cache.batch() != 1 || !cache.allValid() || cache.layers() != model.numLayers())
        return false;
    if (forRun)
        cache.reserveMore(1);

    const int layers = model.numLayers();
    s.layers.resize(static_cast<std::size_t>(layers));
    s.rotary.resize(static_cast<std::size_t>(layers));
    int64_t maxQ = 0, maxKv = 0, maxInner = 0;
    for (int l = 0; l < layers; ++l) {
        const auto i = static_cast<std::size_t>(l);
        LayerPlan& p = s.layers[i];
        p = LayerPlan{};
        p.skip = i < opts.skipLayers.size() && opts.skipLayers[i];
        if (p.skip)
            continue;
        const DecoderLayer& layer = model.layer(l);
        p.attend = !layer.attentionBypassed &&
                   !(i < opts.bypassAttention.size() && opts.bypassAttention[i]);
        p.heads = c.layer_num_attention_heads[i];
        p.kvHeads = c.layer_num_key_value_heads[i];
        if (p.attend) {
            const auto& a = *layer.attention;
            const int64_t qOut = p.heads * D, kvOut = p.kvHeads * D;
            if (p.kvHeads <= 0 || p.heads % p.kvHeads != 0 ||
                !norm(layer.inputNorm.get(), H, p.inputNorm) || !linear(a.q, H, qOut, p.qkv[0]) ||
                !linear(a.k, H, kvOut, p.qkv[1]) || !linear(a.v, H, kvOut, p.qkv[2]) ||
                !linear(a.o, qOut, H, p.o))
                return false;
            if (bool(a.qNorm) != spec.qkNorm ||
                (a.qNorm && (!norm(a.qNorm.get(), D, p.qNorm) || !norm(a.kNorm.get(), D, p.kNorm))))
                return false;
            if (layer.postAttentionNorm &&
                !norm(layer.postAttentionNorm.get(), H, p.postAttentionNorm))
                return false;
            p.scale = float(c.attentionScale(l));
            if (c.layer_types[i] == AttentionKind::Sliding) {
                if (!c.sliding_window || *c.sliding_window < 1)
                    return false;
                p.window = *c.sliding_window;
            }
            RotaryTable* table = model.rotaryTable(l);
            const auto& keys = cache.keyStorage(l);
            const auto& values = cache.valueStorage(l);
            if (!table || !cacheStorage(keys, p.kvHeads, D) ||
                !cacheStorage(values, p.kvHeads, D) || keys.size(2) != values.size(2))
                return false;
            if (forRun) {
                if (keys.size(2) <= m.position)
                    return false;
                s.rotary[i] = table->tables(m.position + 1, torch::kCPU);
                p.cos = s.rotary[i].first.data_ptr<float>() + m.position * (D / 2);
                p.sin = s.rotary[i].second.data_ptr<float>() + m.position * (D / 2);
                p.keys = keys.data_ptr<float>();
                p.values = values.data_ptr<float>();
                p.capacity = keys.size(2);
            }
            maxQ = std::max(maxQ, qOut);
            maxKv = std::max(maxKv, kvOut);
        }
        const auto& mlp = *layer.mlp;
        p.inner = mlp.intermediateSize();
        if (!norm(layer.mlpNorm.get(), H, p.mlpNorm) || !linear(mlp.gate, H, p.inner, p.gate) ||
            !linear(mlp.up, H, p.inner, p.up) || !linear(mlp.down, p.inner, H, p.down))
            return false;
        if (layer.postFeedforwardNorm &&
            !norm(layer.postFeedforwardNorm.get(), H, p.postFeedforwardNorm))
            return false;
        maxInner = std::max(maxInner, p.inner);
    }
    m.chunkHidden = rowChunk(H);
    m.chunkQ = rowChunk(maxQ);
    m.chunkInner = rowChunk(maxInner);
    m.scoreCapacity = m.position + 1;
    m.pieceCapacity = std::max(m.chunkHidden, maxInner);
    if (forRun) {
        s.x.resize(static_cast<std::size_t>(H));
        s.qkv.resize(static_cast<std::size_t>(maxQ + 2 * maxKv));
        s.attention.resize(static_cast<std::size_t>(maxQ));
        s.projected.resize(static_cast<std::size_t>(H));
        s.inner.resize(static_cast<std::size_t>(maxInner));
        const std::size_t counters = static_cast<std::size_t>(6 * layers + 1);
        if (s.counterCount < counters) {
            s.counters = std::make_unique<WorkCounter[]>(counters);
            s.counterCount = counters;
        }
    }
    return true;
}

// Rows [begin, end) of the matrices of `parts` stacked in order, row r into y[r - begin]:
// W[r] · x (+ b[r]).
void gemvParts(const Segment* parts, int count, int64_t in, const float* x, float* y, int64_t begin,
               int64_t end) {
    int64_t offset = 0;
    for (int k = 0; k < count && begin < end; ++k) {
        const Segment& s = parts[k];
        const int64_t from = std::max(begin, offset), to = std::min(end, offset + s.rows);
        if (from < to) {
            decode::gemvRows(s.weight + (from - offset) * in, in, x, y + (from - begin), to - from,
                             s.streamed);
            if (s.bias)
                for (int64_t r = from; r < to; ++r)
                    y[r - begin] += s.bias[r - offset];
        }
        offset += s.rows;
    }
}

class StepThread {
public:
    StepThread(const ModelPlan& m, DecodeScratch& s, int thread, int threads)
        : m(m)
        , s(s)
        , thread(thread)
        , threads(threads) {
        auto& local = s.perThread[static_cast<std::size_t>(thread)];
        normed = local.data();
        scores = normed + m.hidden;
        gatePiece = scores + m.scoreCapacity;
        upPiece = gatePiece + m.pieceCapacity;
    }

    void run() {
        for (const auto& layer : s.layers) {
            if (layer.skip)
                continue;
            if (layer.attend)
                attentionBlock(layer);
            mlpBlock(layer);
        }
        const int64_t H = m.hidden;
        decode::rmsNorm(s.x.data(), m.finalNorm.weight, H, m.finalNorm.eps, m.finalNorm.offsetOne,
                        normed);
        if (thread == 0)
            std::memcpy(s.hidden.data_ptr<float>(), normed, sizeof(float) * std::size_t(H));
        if (!m.logits)
            return;
        float* logits = s.logits.data_ptr<float>();
        split(m.vocab, m.chunkHidden, [&](int64_t b, int64_t e) {
            decode::gemvRows(m.head + b * H, H, normed, logits + b, e - b,
                             m.vocab * H >= kStreamedFloats);
            if (m.softcap > 0) // ref: Gemma3ForCausalLM.forward: tanh(logits / cap) * cap
                for (int64_t r = b; r < e; ++r)
                    logits[r] = std::tanh(logits[r] / m.softcap) * m.softcap;
        });
    }

private:
    template <typename Body> void split(int64_t total, int64_t chunk, const Body& body) {
        WorkCounter& counter = s.counters[phase++];
        int64_t b = 0, e = 0;
        if (threads == 1) {
            for (b = 0; b < total; b += chunk)
                body(b, std::min(total, b + chunk));
            return;
        }
        if (chunk > 1) // rows of a matrix product: a multiple of 4
            chunk = std::max(chunk, roundUpToFour(ceilDivide(total, threads * kPiecesPerThread)));
        while (counter.take(total, chunk, b, e))
            body(b, e);
    }

    // x += W · input (o_proj, down_proj), or x += post(W · input) with Gemma 3's sandwich norm:
    // then the whole product is needed before the norm, and every thread computes the norm and
    // adds its share of the rows.
    void projectIntoResidual(const Segment& w, int64_t in, const float* input, int64_t chunk,
                             const Norm& post) {
        const int64_t H = m.hidden;
        float* x = s.x.data();
        float* projected = s.projected.data();
        const bool sandwich = post.weight != nullptr;
        split(H, chunk, [&](int64_t b, int64_t e) {
            gemvParts(&w, 1, in, input, projected + b, b, e);
            if (!sandwich)
                for (int64_t r = b; r < e; ++r)
                    x[r] += projected[r];
        });
        s.barrier.arriveAndWait(threads);
        if (!sandwich)
            return;
        decode::rmsNorm(projected, post.weight, H, post.eps, post.offsetOne, normed);
        const int64_t begin = H * thread / threads, end = H * (thread + 1) / threads;
        for (int64_t r = begin; r < end; ++r)
            x[r] += normed[r];
        s.barrier.arriveAndWait(threads);
    }

    void attentionBlock(const LayerPlan& p) {
        const int64_t H = m.hidden, D = m.headDim, pos = m.position;
        const int64_t qOut = p.heads * D, kvOut = p.kvHeads * D;
        float* x = s.x.data();
        float* qkv = s.qkv.data();
        decode::rmsNorm(x, p.inputNorm.weight, H, p.inputNorm.eps, p.inputNorm.offsetOne, normed);
        split(qOut + 2 * kvOut, m.chunkHidden,
              [&](int64_t b, int64_t e) { gemvParts(p.qkv, 3, H, normed, qkv + b, b, e); });
        s.barrier.arriveAndWait(threads);

        // ref: Qwen3Attention / Gemma3Attention: per-head norm before RoPE; then the key and value
        // of this position go into the cache.
        split(p.heads + p.kvHeads, 1, [&](int64_t b, int64_t e) {
            for (int64_t u = b; u < e; ++u) {
                const bool isQuery = u < p.heads;
                float* head = isQuery ? qkv + u * D : qkv + qOut + (u - p.heads) * D;
                const Norm& n = isQuery ? p.qNorm : p.kNorm;
                if (n.weight)
                    decode::rmsNorm(head, n.weight, D, n.eps, n.offsetOne, head);
                decode::rotate(head, p.cos, p.sin, D);
                if (!isQuery) {
                    const int64_t g = u - p.heads;
                    const std::size_t bytes = sizeof(float) * std::size_t(D);
                    std::memcpy(p.keys + (g * p.capacity + pos) * D, head, bytes);
                    std::memcpy(p.values + (g * p.capacity + pos) * D, qkv + qOut + kvOut + g * D,
                                bytes);
                }
            }
        });
        s.barrier.arriveAndWait(threads);

        // ref: eager_attention_forward: softmax(q·kᵀ · scale) · v over the visible keys.
        const int64_t group = p.heads / p.kvHeads;
        const int64_t start = p.window > 0 ? std::max<int64_t>(0, pos - p.window + 1) : 0;
        const int64_t count = pos + 1 - start;
        split(p.heads, 1, [&](int64_t b, int64_t e) {
            for (int64_t h = b; h < e; ++h) {
                const int64_t g = h / group;
                const float* q = qkv + h * D;
                const float* keys = p.keys + (g * p.capacity + start) * D;
                const float* values = p.values + (g * p.capacity + start) * D;
                float best = -INFINITY;
                for (int64_t t = 0; t < count; ++t) {
                    scores[t] = decode::dot(q, keys + t * D, D) * p.scale;
                    best = std::max(best, scores[t]);
                }
                const float inv = 1.0f / decode::expShiftedSum(scores, count, best);
                float* out = s.attention.data() + h * D;
                std::fill(out, out + D, 0.0f);
                for (int64_t t = 0; t < count; ++t)
                    decode::axpy(scores[t] * inv, values + t * D, out, D);
            }
        });
        s.barrier.arriveAndWait(threads);

        projectIntoResidual(p.o, qOut, s.attention.data(), m.chunkQ, p.postAttentionNorm);
    }

    void mlpBlock(const LayerPlan& p) {
        const int64_t H = m.hidden;
        float* x = s.x.data();
        float* inner = s.inner.data();
        decode::rmsNorm(x, p.mlpNorm.weight, H, p.mlpNorm.eps, p.mlpNorm.offsetOne, normed);
        // Neuron k is gate row k and up row k: a piece computes both and their product.
        split(p.inner, m.chunkHidden, [&](int64_t b, int64_t e) {
            gemvParts(&p.gate, 1, H, normed, gatePiece, b, e);
            gemvParts(&p.up, 1, H, normed, upPiece, b, e);
            decode::activateMul(gatePiece, upPiece, inner + b, e - b, m.activation);
        });
        s.barrier.arriveAndWait(threads);
        projectIntoResidual(p.down, p.inner, inner, m.chunkInner, p.postFeedforwardNorm);
    }

    const ModelPlan& m;
    DecodeScratch& s;
    const int thread, threads;
    std::size_t phase = 0;
    float* normed;
    float* scores;
    float* gatePiece;
    float* upPiece;
};

// A buffer of `sizes` the caller may write: the kept one when nothing else refers to it.
void ensureOwned(torch::Tensor& buffer, int64_t size) {
    if (buffer.defined() && buffer.numel() == size && buffer.use_count() == 1 &&
        buffer.storage().use_count() == 1)
        return;
    buffer = torch::empty({1, 1, size}, torch::TensorOptions().dtype(torch::kFloat32));
}

bool basicApplies(const torch::Tensor& ids, const torch::Tensor& attentionMask,
                  const ForwardOptions& opts, int64_t& token) {
    if (torch::GradMode::is_enabled() || attentionMask.defined() || !opts.cache || opts.taps ||
        (opts.computeLogits && opts.logitsFrom != 0) || !ids.defined() || ids.dim() != 2 ||
        ids.size(0) != 1 || ids.size(1) != 1 || !ids.device().is_cpu())
        return false;
    if (ids.scalar_type() == torch::kInt64)
        token = *ids.data_ptr<int64_t>();
    else if (ids.scalar_type() == torch::kInt32)
        token = *ids.data_ptr<int32_t>();
    else
        return false;
    return true;
}

} // namespace

bool decodeStepApplies(CausalLM& model, const torch::Tensor& ids,
                       const torch::Tensor& attentionMask, const ForwardOptions& options) {
    DecodeScratch scratch;
    ModelPlan plan;
    return options.allowDecodeStep && basicApplies(ids, attentionMask, options, plan.token) &&
           buildPlan(model, options, *options.cache, scratch, plan, /*forRun=*/false);
}

std::optional<ForwardOutput> tryDecodeStep(CausalLM& model, const torch::Tensor& ids,
                                           const torch::Tensor& attentionMask,
                                           const ForwardOptions& options) {
    ModelPlan m;
    if (!options.allowDecodeStep || !basicApplies(ids, attentionMask, options, m.token))
        return std::nullopt;
    KvCache& cache = *options.cache;
    if (!cache.decodeScratch)
        cache.decodeScratch = std::make_shared<DecodeScratch>();
    DecodeScratch& s = *cache.decodeScratch;
    if (!buildPlan(model, options, cache, s, m, /*forRun=*/true))
        return std::nullopt;

    const int threads = std::max(1, at::get_num_threads());
    if (s.perThread.size() < static_cast<std::size_t>(threads))
        s.perThread.resize(static_cast<std::size_t>(threads));
    const auto local = static_cast<std::size_t>(m.hidden + m.scoreCapacity + 2 * m.pieceCapacity);
    for (auto& buffer : s.perThread)
        if (buffer.size() < local)
            buffer.resize(std::max(local, 2 * buffer.size()));
    ensureOwned(s.hidden, m.hidden);
    if (m.logits)
        ensureOwned(s.logits, m.vocab);
    for (std::size_t i = 0; i < s.counterCount; ++i)
        s.counters[i].reset();

    const float* row = m.embed + m.token * m.hidden;
    for (int64_t i = 0; i < m.hidden; ++i) // ref: Gemma3TextScaledWordEmbedding
        s.x[std::size_t(i)] = m.embedScale > 0 ? row[i] * m.embedScale : row[i];

    runOnTeam(threads, [&](int thread, int team) { StepThread(m, s, thread, team).run(); });
    cache.commitOneToken();

    ForwardOutput out;
    out.hidden = s.hidden;
    if (m.logits)
        out.logits = s.logits;
    return out;
}

} // namespace anatomist::core
