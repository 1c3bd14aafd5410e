// Weights used in place: a safetensors tensor in the compute dtype becomes the parameter itself,
// backed by the file's private mapping, while the file on disk never changes (training, pruning and
// in-place edits included) and a file truncated or rewritten after loading changes nothing in the
// loaded model and never faults it (the lease of io/mapped_file.h). Counted, not timed: which
// parameters point into the mapping and how many bytes were copied, against sizes computed here
// from the configuration.

#include "io/mapped_file.h"
#include "io/safetensors.h"
#include "job.h"
#include "model/arch_registry.h"
#include "model/model_loader.h"
#include "model/model_saver.h"
#include "prune/apply_plan.h"
#include "test_support.h"
#include "train/trainer.h"

#include <QObject>
#include <chrono>
#include <fcntl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace anatomist;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr int64_t kVocab = 40, kHidden = 32, kInter = 48, kLayers = 2, kHeads = 4, kKvHeads = 2;

json tinyConfig(bool tied) {
    return {{"model_type", "llama"},           {"vocab_size", kVocab},
            {"hidden_size", kHidden},          {"intermediate_size", kInter},
            {"num_hidden_layers", kLayers},    {"num_attention_heads", kHeads},
            {"num_key_value_heads", kKvHeads}, {"max_position_embeddings", 64},
            {"tie_word_embeddings", tied}};
}

std::shared_ptr<core::CausalLM> emptyModel(bool tied, torch::ScalarType dtype = torch::kFloat32) {
    const auto resolved = core::resolveConfig(tinyConfig(tied), "tiny");
    return std::make_shared<core::CausalLM>(resolved.config, *resolved.spec,
                                            torch::TensorOptions().dtype(dtype));
}

// A random model saved as a folder (config.json + model.safetensors, F32, aligned).
std::shared_ptr<core::CausalLM> saveRandomModel(const fs::path& folder, bool tied) {
    auto model = emptyModel(tied);
    model->initializeWeights(11, 0.2);
    core::saveModel(*model, folder, {}, core::nullJobContext());
    return model;
}

torch::Tensor logitsOf(core::CausalLM& model) {
    torch::NoGradGuard noGrad;
    return model.forward(torch::tensor({{1, 5, 7, 3, 9, 2, 30, 4}}, torch::kInt64)).logits;
}

bool isFusedPart(const std::string& name) {
    for (const char* part : {"q_proj", "k_proj", "v_proj", "gate_proj", "up_proj"})
        if (name.find(part) != std::string::npos)
            return true;
    return false;
}

// The bytes FusedRows stores back to back, from the configuration: q [H, H], k and v
// [kv·H/heads, H], gate and up [I, H] per layer, float32.
std::size_t fusedPartBytes() {
    const int64_t kv = kKvHeads * (kHidden / kHeads);
    return std::size_t(kLayers * (kHidden * kHidden + 2 * kv * kHidden + 2 * kInter * kHidden) * 4);
}

std::size_t parameterBytes(core::CausalLM& model) {
    std::size_t total = 0;
    for (const auto& p : model.parameters())
        total += std::size_t(p.nbytes());
    return total;
}

// Runs `action` in a forked child (another process, as another program would) and waits for it;
// false when it has not finished within the deadline (then it is killed).
bool inChild(const std::function<int()>& action, std::chrono::seconds deadline) {
    const pid_t pid = ::fork();
    if (pid == 0)
        ::_exit(action());
    const auto until = std::chrono::steady_clock::now() + deadline;
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > until) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// Overwrites the whole file with other bytes in place (no rename), then truncates it.
int rewriteAndTruncate(const fs::path& file) {
    const int fd = ::open(file.c_str(), O_WRONLY);
    if (fd < 0)
        return 2;
    const std::string garbage(4096, '\x7f');
    for (off_t at = 0; at < off_t(fs::file_size(file)); at += off_t(garbage.size()))
        if (::pwrite(fd, garbage.data(), garbage.size(), at) < 0)
            return 3;
    const int rc = ::ftruncate(fd, 100);
    ::close(fd);
    return rc == 0 ? 0 : 4;
}

} // namespace

class TestMappedWeights : public QObject {
    Q_OBJECT

private slots:
    void alignedF32WeightsAreTheParametersInPlace() {
        test::TempDir dir;
        auto original = saveRandomModel(dir / "m", /*tied=*/false);
        const auto checkpoint = core::SafetensorsCheckpoint::open(dir / "m");
        const auto& memory = checkpoint.files().front()->memory();
        QCOMPARE(memory.backing(), core::MappedFile::Backing::Leased);
        auto model = emptyModel(false);
        core::loadWeights(*model, checkpoint, core::nullJobContext());

        const auto expected = original->named_parameters(true);
        std::size_t copied = 0;
        for (const auto& item : model->named_parameters(true)) {
            const bool inMapping = memory.contains(item.value().data_ptr());
            QVERIFY2(inMapping != isFusedPart(item.key()), item.key().c_str());
            QVERIFY2(torch::equal(item.value(), expected[item.key()]), item.key().c_str());
            if (!inMapping)
                copied += std::size_t(item.value().nbytes());
        }
        // Only the FusedRows parts are copied, into their shared buffers (back to back).
        QCOMPARE(copied, fusedPartBytes());
        QVERIFY(copied < parameterBytes(*model));
        for (int i = 0; i < kLayers; ++i) {
            auto& layer = model->layer(i);
            const auto* q = static_cast<const char*>(layer.attention->q->weight.data_ptr());
            QCOMPARE(static_cast<const char*>(layer.attention->k->weight.data_ptr()),
                     q + layer.attention->q->weight.nbytes());
            const auto* gate = static_cast<const char*>(layer.mlp->gate->weight.data_ptr());
            QCOMPARE(static_cast<const char*>(layer.mlp->up->weight.data_ptr()),
                     gate + layer.mlp->gate->weight.nbytes());
        }
        QVERIFY(torch::equal(logitsOf(*model), logitsOf(*original)));
    }

    void tiedEmbeddingsShareOneBufferInTheMapping() {
        test::TempDir dir;
        auto original = saveRandomModel(dir / "m", /*tied=*/true);
        const auto checkpoint = core::SafetensorsCheckpoint::open(dir / "m");
        auto model = emptyModel(true);
        core::loadWeights(*model, checkpoint, core::nullJobContext());
        for (const auto& item : model->named_parameters(true))
            QVERIFY2(item.key().find("lm_head") == std::string::npos, item.key().c_str());
        QVERIFY(
            checkpoint.files().front()->memory().contains(model->embedding().weight.data_ptr()));
        QVERIFY(torch::equal(logitsOf(*model), logitsOf(*original)));
    }

    void conversionsAndUnalignedDataAreCopied() {
        test::TempDir dir;
        auto original = saveRandomModel(dir / "m", false);
        const auto checkpoint = core::SafetensorsCheckpoint::open(dir / "m");
        auto model = emptyModel(false, torch::kBFloat16);
        core::loadWeights(*model, checkpoint, core::nullJobContext());
        for (const auto& item : model->named_parameters(true)) {
            QVERIFY(!checkpoint.files().front()->memory().contains(item.value().data_ptr()));
            QVERIFY(torch::equal(
                item.value(), original->named_parameters(true)[item.key()].to(torch::kBFloat16)));
        }

        // A float32 tensor at an odd offset cannot be a float* into the file: a copy.
        std::string header = R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},)"
                             R"("w":{"dtype":"F32","shape":[2],"data_offsets":[1,9]}})";
        while ((8 + header.size()) % 8 != 0)
            header.push_back(' ');
        std::string raw(8, '\0');
        raw[0] = char(header.size());
        const float values[2] = {1.5f, -2.0f};
        raw += header + std::string(1, '\x05') +
               std::string(reinterpret_cast<const char*>(values), sizeof(values));
        test::writeBytes(dir / "odd.safetensors", raw);
        const auto file = core::SafetensorsFile::open(dir / "odd.safetensors");
        const auto w = file->load(*file->find("w"));
        QVERIFY(!file->holds(*file->find("w"), w));
        QVERIFY(torch::equal(w, torch::tensor({1.5f, -2.0f})));
        const auto a = file->load(*file->find("a"));
        QVERIFY(file->holds(*file->find("a"), a)); // bytes are always aligned
    }

    void trainingAndPruningLeaveTheFileUntouched() {
        test::TempDir dir;
        saveRandomModel(dir / "m", false);
        const auto weights = dir / "m" / "model.safetensors";
        const std::string before = test::readBytes(weights);
        const auto mtime = fs::last_write_time(weights);

        auto loaded = core::loadModel(dir / "m", {}, core::nullJobContext());
        const auto fresh = logitsOf(*loaded.model);
        // A training run (autograd, AdamW steps on every parameter).
        core::TrainOptions options;
        options.steps = 3;
        options.batchSize = 2;
        options.seqLen = 8;
        options.lr = 0.05;
        options.warmupSteps = 0;
        std::vector<std::vector<core::TokenId>> docs;
        for (int d = 0; d < 6; ++d) {
            std::vector<core::TokenId> doc;
            for (int i = 0; i < 20; ++i)
                doc.push_back(core::TokenId((d + 3 * i) % kVocab));
            docs.push_back(doc);
        }
        loaded.model->train();
        core::Trainer trainer(loaded.model, options, docs);
        trainer.run(core::nullJobContext());
        loaded.model->eval();
        // Pruning: a variant, and rows zeroed in place in the base (what removing a neuron does
        // to the weights it leaves).
        const auto plan = core::prunePlanFromJson(json::parse(
            R"({"format": "anatomist-plan", "version": 1, "operations": [{"op": "remove_layers", "layers": [1]},
                                             {"op": "prune_mlp", "method": "l2", "percent": 50}]})"));
        const auto variant = core::applyPlan(*loaded.model, plan, {}, core::nullJobContext());
        QCOMPARE(variant.model->numLayers(), int(kLayers - 1));
        {
            torch::NoGradGuard noGrad;
            for (auto& p : loaded.model->parameters())
                p.narrow(0, 0, 1).zero_();
        }
        QVERIFY(!torch::equal(logitsOf(*loaded.model), fresh));

        QVERIFY(test::readBytes(weights) == before);
        QVERIFY(fs::last_write_time(weights) == mtime);
        auto again = core::loadModel(dir / "m", {}, core::nullJobContext());
        QVERIFY(torch::equal(logitsOf(*again.model), fresh));
    }

    void aFileRewrittenOrTruncatedAfterLoadingChangesNothing() {
        test::TempDir dir;
        auto original = saveRandomModel(dir / "m", false);
        const auto weights = dir / "m" / "model.safetensors";
        auto checkpoint = std::make_unique<core::SafetensorsCheckpoint>(
            core::SafetensorsCheckpoint::open(dir / "m"));
        const auto& memory = checkpoint->files().front()->memory();
        auto model = emptyModel(false);
        core::loadWeights(*model, *checkpoint, core::nullJobContext());
        QCOMPARE(memory.backing(), core::MappedFile::Backing::Leased);

        // Another process opens the file for writing: the kernel holds it back until the mapping
        // is copied, then it overwrites every byte and cuts the file to 100 bytes.
        QVERIFY(inChild([&] { return rewriteAndTruncate(weights); }, std::chrono::seconds(30)));
        QCOMPARE(fs::file_size(weights), std::uintmax_t(100));
        QCOMPARE(memory.backing(), core::MappedFile::Backing::Detached);
        // Every weight, the ones never read before the truncation included, reads as loaded.
        QVERIFY(torch::equal(logitsOf(*model), logitsOf(*original)));
        checkpoint.reset(); // the model keeps the memory alive on its own
        QVERIFY(torch::equal(logitsOf(*model), logitsOf(*original)));
    }

    void aFileOpenForWritingIsReadInstead() {
        test::TempDir dir;
        auto original = saveRandomModel(dir / "m", false);
        const auto weights = dir / "m" / "model.safetensors";
        const int writer = ::open(weights.c_str(), O_WRONLY); // no lease while this is open
        QVERIFY(writer >= 0);
        const auto checkpoint = core::SafetensorsCheckpoint::open(dir / "m");
        QCOMPARE(checkpoint.files().front()->memory().backing(), core::MappedFile::Backing::Copied);
        auto model = emptyModel(false);
        core::loadWeights(*model, checkpoint, core::nullJobContext());
        QVERIFY(::ftruncate(writer, 0) == 0);
        ::close(writer);
        QVERIFY(torch::equal(logitsOf(*model), logitsOf(*original)));
    }
};

QTEST_GUILESS_MAIN(TestMappedWeights)
#include "tst_mapped_weights.moc"
