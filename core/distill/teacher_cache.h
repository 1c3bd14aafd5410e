#pragma once
// The teacher-logit cache of a distillation run: the teacher runs once over every training window
// and its top-k logits per position (values, token ids, the log-normaliser of the whole row at the
// run's temperature and the log of the mass outside the top k: TeacherTopK of distill_losses.h)
// are written to DIR/teacher_topk.bin (atomically), which later epochs, later runs and resumed runs
// read memory-mapped instead of running the teacher. Worth it when the same data is seen several
// times; the KL it gives is distillKlSumTopK's (exact for k = vocabulary).
//
// Only the logits are cached: the hidden-state and trajectory terms need every layer's output of
// the teacher, so a run with gamma or delta > 0 runs the teacher on the fly (DistillObjective
// refuses a cache then).
//
// The file is keyed by what its content depends on: a hash of the teacher's weights, of the
// training windows (data, tokenizer and sequence length), k, the temperature and the dtype. A
// cache of another key is refused (InvalidArgument naming the file and what differs), never used;
// a truncated or corrupted one (size or checksum) is a FormatError naming the file.
//
// Layout: "ANTTOPK1", u64 header length, the header JSON (the key, windows, record size), zero
// padding to 64 bytes, one record per window (values [S, K] dtype, then [S, 2] logNorm/logTail,
// then [S, K] int32 ids; padded to 8 bytes; positions past the window's end are zeros), and a
// u64 checksum of the records.

#include "distill/distill_losses.h"
#include "tokenizer/tokenizer.h"
#include "train/token_batcher.h"

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <vector>

namespace anatomist::core {

class CausalLM;
class JobContext;
class MappedFile;

class TeacherLogitCache {
public:
    static constexpr const char* kFileName = "teacher_topk.bin";

    // Opens DIR/teacher_topk.bin when it was made for this teacher, these windows (of at most
    // seqLen + 1 tokens: TokenBatcher::windows()), k and temperature; builds it first when the
    // file does not exist. k larger than the vocabulary is clamped to it. *built (optional) says
    // which happened.
    static std::shared_ptr<TeacherLogitCache>
    openOrBuild(const std::filesystem::path& dir, CausalLM& teacher,
                const std::vector<std::vector<TokenId>>& windows, int64_t seqLen, int64_t topK,
                double temperature, JobContext& job, bool* built = nullptr);

    // The teacher's top-k of the batch's trained positions (targetMask, row-major, as
    // DistillObjective selects them), on the batch's device. Every row of the batch must be one
    // of the cache's windows (InvalidArgument otherwise).
    TeacherTopK lookup(const TrainBatch& batch) const;

    const std::filesystem::path& file() const;
    int64_t topK() const { return m_topK; }
    int64_t vocab() const { return m_vocab; }
    double temperature() const { return m_temperature; }
    // For the log: {"file", "top_k", "vocab", "windows", "bytes"}.
    nlohmann::json describe() const;

private:
    TeacherLogitCache() = default;

    std::shared_ptr<MappedFile> m_file;
    torch::Tensor m_values, m_stats, m_indices; // views into the mapping: [W, S, K], [W, S, 2]
    std::vector<std::vector<TokenId>> m_windows;
    std::unordered_map<uint64_t, int64_t> m_rowOf; // hash of a window's tokens → its record
    int64_t m_topK = 0, m_vocab = 0, m_seqLen = 0;
    double m_temperature = 1;
};

} // namespace anatomist::core
