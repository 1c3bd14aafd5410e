#include "distill/teacher_cache.h"

#include "errors.h"
#include "io/atomic_file.h"
#include "io/mapped_file.h"
#include "job.h"
#include "model/causal_lm.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <ostream>
#include <torch/torch.h>

namespace anatomist::core {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'A', 'N', 'T', 'T', 'O', 'P', 'K', '1'};
constexpr int64_t kWindowsPerPass = 8;

// A fast 64-bit hash of words (corruption and identity checks, not cryptography).
class WordHash {
public:
    void add(uint64_t word) {
        m_h ^= word * 0x9E3779B97F4A7C15ull;
        m_h = ((m_h << 31) | (m_h >> 33)) * 0xBF58476D1CE4E5B9ull;
    }
    void addBytes(const void* data, std::size_t size) {
        const auto* p = static_cast<const unsigned char*>(data);
        std::size_t i = 0;
        for (; i + 8 <= size; i += 8) {
            uint64_t w;
            std::memcpy(&w, p + i, 8);
            add(w);
        }
        uint64_t last = 0;
        std::memcpy(&last, p + i, size - i);
        add(last ^ (uint64_t(size) << 56));
    }
    uint64_t value() const { return m_h ^ (m_h >> 29); }
    std::string hex() const {
        char buf[17];
        std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value()));
        return buf;
    }

private:
    uint64_t m_h = 0x243F6A8885A308D3ull;
};

uint64_t windowHash(const TokenId* tokens, std::size_t count) {
    WordHash h;
    h.addBytes(tokens, count * sizeof(TokenId));
    return h.value();
}

std::string teacherHash(const CausalLM& teacher) {
    WordHash h;
    for (const auto& item : teacher.named_parameters(true)) {
        h.addBytes(item.key().data(), item.key().size());
        const auto data = item.value().detach().to(torch::kCPU).contiguous();
        for (const auto d : data.sizes())
            h.add(uint64_t(d));
        h.add(uint64_t(data.scalar_type()));
        h.addBytes(data.data_ptr(), data.nbytes());
    }
    return h.hex();
}

std::string windowsHash(const std::vector<std::vector<TokenId>>& windows) {
    WordHash h;
    for (const auto& w : windows) {
        h.add(w.size());
        h.addBytes(w.data(), w.size() * sizeof(TokenId));
    }
    return h.hex();
}

struct Layout {
    int64_t S, K, dsize;
    int64_t valuesBytes() const { return S * K * dsize; }
    int64_t statsBytes() const { return S * 2 * dsize; }
    int64_t recordBytes() const { return (valuesBytes() + statsBytes() + S * K * 4 + 7) / 8 * 8; }
};

nlohmann::json cacheKey(const CausalLM& teacher, const std::vector<std::vector<TokenId>>& windows,
                        int64_t seqLen, int64_t topK, double temperature) {
    const auto dtype = c10::typeMetaToScalarType(teacher.options().dtype());
    return {{"format", "anatomist-teacher-topk"},
            {"version", 1},
            {"teacher_weights", teacherHash(teacher)},
            {"data_windows", windowsHash(windows)},
            {"windows", windows.size()},
            {"seq_len", seqLen},
            {"top_k", topK},
            {"vocab", teacher.config().vocab_size},
            {"temperature", temperature},
            {"dtype", dtype == torch::kFloat64 ? "float64" : "float32"}};
}

// Why a cache of key `found` cannot serve a run of key `wanted`, or "" when it can.
std::string keyMismatch(const nlohmann::json& found, const nlohmann::json& wanted) {
    const std::pair<const char*, const char*> fields[] = {
        {"format", "another format"},
        {"version", "another version"},
        {"teacher_weights", "another teacher"},
        {"vocab", "another vocabulary"},
        {"data_windows", "other training data or another tokenizer or sequence length"},
        {"windows", "other training data"},
        {"seq_len", "another sequence length"},
        {"top_k", "another k"},
        {"temperature", "another temperature"},
        {"dtype", "another dtype"},
    };
    for (const auto& [field, what] : fields) {
        const auto f = found.value(field, nlohmann::json()), w = wanted[field];
        if (f != w)
            return std::string("was made for ") + what + " (" + field + " " + f.dump() +
                   ", this run " + w.dump() + ")";
    }
    return {};
}

void writeCache(const fs::path& file, const nlohmann::json& key, CausalLM& teacher,
                const std::vector<std::vector<TokenId>>& windows, const Layout& layout,
                double temperature, JobContext& job) {
    const auto header = key.dump();
    writeFileAtomically(file, [&](std::ostream& out) {
        out.write(kMagic, 8);
        const uint64_t headerLen = header.size();
        out.write(reinterpret_cast<const char*>(&headerLen), 8);
        out << header;
        const std::size_t used = 16 + header.size();
        out << std::string((64 - used % 64) % 64, '\0');

        torch::NoGradGuard noGrad;
        const auto W = static_cast<int64_t>(windows.size());
        const auto V = teacher.config().vocab_size;
        const auto dtype = c10::typeMetaToScalarType(teacher.options().dtype());
        std::vector<char> record(std::size_t(layout.recordBytes()));
        WordHash checksum;
        ForwardOptions forward;
        forward.computeLogits = false;
        for (int64_t first = 0; first < W; first += kWindowsPerPass) {
            job.throwIfCancelled();
            job.setProgress(double(first) / double(W), "teacher cache");
            const auto count = std::min(kWindowsPerPass, W - first);
            const std::vector<std::vector<TokenId>> chunk(windows.begin() + first,
                                                          windows.begin() + first + count);
            const auto batch = TokenBatcher::makeBatch(chunk);
            const auto device = teacher.options().device();
            const auto hidden =
                teacher.forward(batch.ids.to(device), batch.attention.to(device), forward).hidden;
            const auto logits = teacher.lmHead(hidden); // [B, T, V]
            const auto [values, indices] = logits.topk(layout.K, -1);
            const auto scaled = logits / temperature;
            const auto logNorm = scaled.logsumexp(-1);
            const auto logTail =
                layout.K == V
                    ? torch::full_like(logNorm, -std::numeric_limits<double>::infinity())
                    : scaled.scatter(-1, indices, -std::numeric_limits<double>::infinity())
                              .logsumexp(-1) -
                          logNorm;
            const auto v = values.to(torch::kCPU, dtype).contiguous();
            const auto st = torch::stack({logNorm, logTail}, -1).to(torch::kCPU).contiguous();
            const auto ix = indices.to(torch::kCPU, torch::kInt32).contiguous();
            for (int64_t b = 0; b < count; ++b) {
                std::fill(record.begin(), record.end(), 0);
                const int64_t len = int64_t(chunk[std::size_t(b)].size()) - 1;
                std::memcpy(record.data(), v[b].data_ptr(),
                            std::size_t(len * layout.K * layout.dsize));
                std::memcpy(record.data() + layout.valuesBytes(), st[b].data_ptr(),
                            std::size_t(len * 2 * layout.dsize));
                std::memcpy(record.data() + layout.valuesBytes() + layout.statsBytes(),
                            ix[b].data_ptr(), std::size_t(len * layout.K * 4));
                checksum.addBytes(record.data(), record.size());
                out.write(record.data(), std::streamsize(record.size()));
            }
        }
        const uint64_t sum = checksum.value();
        out.write(reinterpret_cast<const char*>(&sum), 8);
    });
    job.setProgress(1, "teacher cache");
}

} // namespace

std::shared_ptr<TeacherLogitCache>
TeacherLogitCache::openOrBuild(const fs::path& dir, CausalLM& teacher,
                               const std::vector<std::vector<TokenId>>& windows, int64_t seqLen,
                               int64_t topK, double temperature, JobContext& job, bool* built) {
    if (windows.empty())
        throw InvalidArgument("teacher-logit cache: no training windows");
    if (topK < 1)
        throw InvalidArgument("teacher-logit cache: top-k must be at least 1, got " +
                              std::to_string(topK));
    if (!(temperature > 0))
        throw InvalidArgument("distillation temperature must be positive");
    const auto V = teacher.config().vocab_size;
    topK = std::min<int64_t>(topK, V);
    const auto file = dir / kFileName;
    const auto key = cacheKey(teacher, windows, seqLen, topK, temperature);
    const Layout layout{seqLen, topK, key["dtype"] == "float64" ? 8 : 4};
    if (built)
        *built = !fs::exists(file);
    if (!fs::exists(file))
        writeCache(file, key, teacher, windows, layout, temperature, job);

    std::shared_ptr<TeacherLogitCache> cache(new TeacherLogitCache());
    cache->m_file = MappedFile::open(file);
    const auto* data = cache->m_file->data();
    const std::size_t size = cache->m_file->size();
    const auto corrupt = [&](const std::string& why) {
        return FormatError(file.string() + ": not a usable teacher-logit cache (" + why +
                           "); remove it to rebuild it");
    };
    uint64_t headerLen = 0;
    if (size < 16 || std::memcmp(data, kMagic, 8) != 0)
        throw corrupt("no cache header");
    std::memcpy(&headerLen, data + 8, 8);
    if (headerLen > size - 16)
        throw corrupt("truncated header");
    nlohmann::json found;
    try {
        found = nlohmann::json::parse(data + 16, data + 16 + headerLen);
    } catch (const nlohmann::json::exception&) {
        throw corrupt("damaged header");
    }
    if (const auto why = keyMismatch(found, key); !why.empty())
        throw InvalidArgument(file.string() + ": this teacher-logit cache " + why +
                              "; remove it or give another cache folder");
    const std::size_t start = (16 + headerLen + 63) / 64 * 64;
    const auto W = static_cast<int64_t>(windows.size());
    const std::size_t payload = std::size_t(W * layout.recordBytes());
    if (size != start + payload + 8)
        throw corrupt("truncated: " + std::to_string(size) + " bytes, expected " +
                      std::to_string(start + payload + 8));
    WordHash checksum;
    const std::size_t record = std::size_t(layout.recordBytes());
    for (std::size_t r = 0; r < std::size_t(W); ++r)
        checksum.addBytes(data + start + r * record, record);
    uint64_t stored = 0;
    std::memcpy(&stored, data + start + payload, 8);
    if (stored != checksum.value())
        throw corrupt("checksum mismatch: the file was damaged");

    // Views straight into the mapping (copied per batch by lookup, never written).
    auto* base = cache->m_file->mutableData() + start;
    const auto dtype = layout.dsize == 8 ? torch::kFloat64 : torch::kFloat32;
    const int64_t S = seqLen, K = topK, R = layout.recordBytes();
    cache->m_values = torch::from_blob(base, {W, S, K}, {R / layout.dsize, K, 1},
                                       torch::TensorOptions().dtype(dtype));
    cache->m_stats =
        torch::from_blob(base + layout.valuesBytes(), {W, S, 2}, {R / layout.dsize, 2, 1},
                         torch::TensorOptions().dtype(dtype));
    cache->m_indices =
        torch::from_blob(base + layout.valuesBytes() + layout.statsBytes(), {W, S, K},
                         {R / 4, K, 1}, torch::TensorOptions().dtype(torch::kInt32));
    cache->m_windows = windows;
    for (int64_t r = W - 1; r >= 0; --r) { // the first of equal windows wins (same logits anyway)
        const auto& w = windows[std::size_t(r)];
        cache->m_rowOf[windowHash(w.data(), w.size())] = r;
    }
    cache->m_topK = K;
    cache->m_vocab = V;
    cache->m_seqLen = S;
    cache->m_temperature = temperature;
    return cache;
}

TeacherTopK TeacherLogitCache::lookup(const TrainBatch& batch) const {
    const auto ids = batch.ids.to(torch::kCPU).contiguous();
    const auto targets = batch.targets.to(torch::kCPU).contiguous();
    const auto lengths = batch.attention.to(torch::kCPU).sum(1);
    const int64_t B = ids.size(0), T = ids.size(1);
    if (T > m_seqLen)
        throw InvalidArgument(file().string() + ": batch of " + std::to_string(T) +
                              " positions, the cache holds windows of " + std::to_string(m_seqLen));
    std::vector<int64_t> rows(std::size_t(B), 0);
    std::vector<TokenId> tokens;
    for (int64_t b = 0; b < B; ++b) {
        const int64_t len = lengths[b].item<int64_t>();
        const auto* row = ids[b].data_ptr<int64_t>();
        tokens.assign(row, row + len);
        tokens.push_back(TokenId(targets[b][len - 1].item<int64_t>()));
        const auto it = m_rowOf.find(windowHash(tokens.data(), tokens.size()));
        if (it == m_rowOf.end() || m_windows[std::size_t(it->second)] != tokens)
            throw InvalidArgument(file().string() +
                                  ": a training window is not in the teacher-logit cache");
        rows[std::size_t(b)] = it->second;
    }
    const auto pick = torch::tensor(rows, torch::kInt64);
    const auto device = batch.ids.device();
    const auto mask = batch.targetMask.to(torch::kCPU);
    const auto select = [&](const torch::Tensor& all) {
        return all.index_select(0, pick).narrow(1, 0, T).index({mask}).to(device);
    };
    const auto stats = select(m_stats);
    return {select(m_values), select(m_indices).to(torch::kInt64), stats.select(-1, 0),
            stats.select(-1, 1)};
}

const fs::path& TeacherLogitCache::file() const {
    return m_file->path();
}

nlohmann::json TeacherLogitCache::describe() const {
    return {{"file", file().string()},
            {"top_k", m_topK},
            {"vocab", m_vocab},
            {"windows", m_windows.size()},
            {"bytes", m_file->size()}};
}

} // namespace anatomist::core
