// Hostile inputs below the CLI: paths that are folders, loops or dangling links; config.json sizes
// that the weights cannot back (refused before the model is allocated, naming the key); writers
// killed mid-write (the target is always the old or the new file); and the fuzzers' findings, each
// kept here as a regression test.

#include "analysis/dataset_files.h"
#include "errors.h"
#include "io/atomic_file.h"
#include "io/gguf_reader.h"
#include "io/gguf_writer.h"
#include "io/input_file.h"
#include "io/model_config.h"
#include "io/safetensors.h"
#include "io/tensor_source.h"
#include "model/arch_registry.h"
#include "model/causal_lm.h"
#include "model/config_check.h"
#include "model/gguf_config.h"
#include "model/llama2c_import.h"
#include "prune/prune_plan.h"
#include "prune/variant_record.h"
#include "test_support.h"
#include "train/trainer.h"

#include <QObject>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <functional>
#include <limits>
#include <random>
#include <sys/wait.h>
#include <unistd.h>

using namespace anatomist;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Runs `f`, expecting ErrorType whose message holds every fragment.
template <typename ErrorType, typename F>
void expectError(F&& f, std::initializer_list<std::string> fragments) {
    try {
        f();
    } catch (const ErrorType& e) {
        const std::string message = e.what();
        for (const auto& fragment : fragments)
            QVERIFY2(message.find(fragment) != std::string::npos,
                     (message + "  [expected: " + fragment + "]").c_str());
        return;
    } catch (const std::exception& e) {
        QFAIL((std::string("wrong exception type: ") + e.what()).c_str());
    }
    QFAIL("no exception");
}

json tinyLlama() {
    return {{"model_type", "llama"},       {"vocab_size", 32},
            {"hidden_size", 16},           {"intermediate_size", 24},
            {"num_hidden_layers", 2},      {"num_attention_heads", 4},
            {"num_key_value_heads", 2},    {"max_position_embeddings", 64},
            {"tie_word_embeddings", false}};
}

// The parameters of a model built from `document`, as a TensorSource (meta tensors: shapes only,
// so a source can describe a model larger than the machine).
core::MemoryTensorSource weightsOf(const json& document, torch::Device device = torch::kCPU) {
    const auto resolved = core::resolveConfig(document, "weights");
    const core::CausalLM model(resolved.config, *resolved.spec,
                               torch::TensorOptions().dtype(torch::kFloat32).device(device));
    core::MemoryTensorSource source("model.safetensors");
    for (const auto& item : model.named_parameters(true))
        source.set(item.key(), item.value());
    return source;
}

void checkFits(const json& config, const core::TensorSource& weights) {
    const auto resolved = core::resolveConfig(config, "/m/config.json");
    core::checkConfigFitsWeights(resolved.config, *resolved.spec, weights, "/m/config.json",
                                 torch::TensorOptions().dtype(torch::kFloat32));
}

// Runs `write(version)` in a forked child and kills it (SIGKILL) at a random point, `rounds`
// times; after each kill `versionOf()` (-1 for a torn, empty or unreadable file) must give the
// version before or the one being written. The delays span one measured write in a forked child
// (fork and copy-on-write included), so that most rounds interrupt a writer; every fifth round
// lets its writer finish, so the new version must also be seen whole. Both must happen, or the
// loop tested nothing.
void killWritersInLoop(const fs::path& target, const std::function<void(int)>& write,
                       const std::function<int()>& versionOf, int rounds = 30) {
    at::set_num_threads(1); // no OpenMP pool in the parent: a forked child cannot use one
    const auto start = std::chrono::steady_clock::now();
    const pid_t first = ::fork();
    QVERIFY(first >= 0);
    if (first == 0) {
        write(1);
        ::_exit(0);
    }
    int firstStatus = 0;
    ::waitpid(first, &firstStatus, 0);
    const auto once = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
    QVERIFY(WIFEXITED(firstStatus) && WEXITSTATUS(firstStatus) == 0);
    QCOMPARE(versionOf(), 1);
    std::mt19937 rng(12345);
    int current = 1, killed = 0, finished = 0;
    for (int round = 0; round < rounds; ++round) {
        const int next = 2 + round % 50;
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            write(next);
            ::_exit(0);
        }
        const bool letFinish = round % 5 == 4;
        if (!letFinish) {
            ::usleep(std::uniform_int_distribution<int>(0, int(once * 3 / 2) + 100)(rng));
            ::kill(child, SIGKILL);
        }
        int status = 0;
        ::waitpid(child, &status, 0);
        if (WIFSIGNALED(status))
            ++killed;
        const int now = versionOf();
        QVERIFY2(now == current || now == next,
                 ("round " + std::to_string(round) + ": " + target.filename().string() +
                  " is neither version " + std::to_string(current) + " nor " +
                  std::to_string(next) + " (read " + std::to_string(now) + ")")
                     .c_str());
        finished += now == next;
        current = now;
    }
    // Temporary files of killed writers may remain (.NAME.tmp-*), never the target half-written.
    QVERIFY2(killed > 0, "no writer was killed before finishing");
    QVERIFY2(finished > 0, "no writer ever finished: the new version was never seen");
}

} // namespace

class TestHostileInputs : public QObject {
    Q_OBJECT

private slots:
    void inputPathsAreNamedWithTheProblem() {
        test::TempDir dir;
        fs::create_directory(dir / "folder.json");
        fs::create_symlink("loop.json", dir / "loop.json");
        fs::create_symlink("nowhere.json", dir / "dangling.json");
        const auto p = [&](const char* n) { return (dir / n).string(); };
        expectError<core::IoError>([&] { core::checkInputFile(dir / "folder.json"); },
                                   {p("folder.json"), "is a folder"});
        expectError<core::IoError>([&] { core::checkInputFile(dir / "loop.json"); },
                                   {p("loop.json"), "symbolic links"});
        expectError<core::IoError>([&] { core::checkInputFile(dir / "dangling.json"); },
                                   {p("dangling.json"), "broken symbolic link"});
        expectError<core::IoError>([&] { core::checkInputFile(dir / "absent.json"); },
                                   {p("absent.json"), "no such file"});
        // The readers built on it, and the mapped (safetensors, GGUF) path.
        expectError<core::IoError>([&] { core::readJsonFile(dir / "folder.json"); },
                                   {p("folder.json"), "is a folder"});
        fs::create_directory(dir / "model.safetensors");
        expectError<core::IoError>([&] { core::SafetensorsFile::open(dir / "model.safetensors"); },
                                   {p("model.safetensors"), "is a folder"});
    }

    void layerCountIsCappedBeforeAnythingIsSized() {
        auto doc = tinyLlama();
        doc["num_hidden_layers"] = 1000000000;
        expectError<core::ConfigError>([&] { core::resolveConfig(doc, "/m/config.json"); },
                                       {"/m/config.json", "'num_hidden_layers'", "1000000000"});
        json gpt2 = {{"model_type", "gpt2"}, {"vocab_size", 32}, {"n_embd", 16},
                     {"n_layer", 1LL << 40}, {"n_head", 4},      {"n_positions", 64}};
        expectError<core::ConfigError>([&] { core::resolveConfig(gpt2, "/g/config.json"); },
                                       {"/g/config.json", "'n_layer'"});
    }

    void configIsCheckedAgainstTheWeights() {
        const auto weights = weightsOf(tinyLlama());
        checkFits(tinyLlama(), weights); // the matching config passes

        auto layers = tinyLlama();
        layers["num_hidden_layers"] = 3;
        expectError<core::ConfigError>(
            [&] { checkFits(layers, weights); },
            {"/m/config.json", "num_hidden_layers = 3", "holds 2 layers"});
        auto vocab = tinyLlama();
        vocab["vocab_size"] = 1LL << 40;
        expectError<core::ConfigError>([&] { checkFits(vocab, weights); },
                                       {"/m/config.json", "'vocab_size'", "no tensor"});
        auto vocabSmall = tinyLlama();
        vocabSmall["vocab_size"] = 31;
        expectError<core::ShapeMismatch>(
            [&] { checkFits(vocabSmall, weights); },
            {"/m/config.json", "'vocab_size' does not match", "[32, 16]"});
        auto width = tinyLlama();
        width["intermediate_size"] = 20;
        expectError<core::ShapeMismatch>([&] { checkFits(width, weights); },
                                         {"/m/config.json", "'intermediate_size' does not match"});
        auto missing = weightsOf(tinyLlama());
        core::MemoryTensorSource partial("model.safetensors");
        for (const auto& [name, t] : missing.tensors())
            if (name != "lm_head.weight")
                partial.set(name, t);
        expectError<core::MissingTensor>([&] { checkFits(tinyLlama(), partial); },
                                         {"lm_head.weight"});
    }

    void modelLargerThanMemoryIsRefused() {
        // Weights whose shapes agree with the config but need more memory than any machine here.
        auto huge = tinyLlama();
        huge["vocab_size"] = 1LL << 31;
        huge["hidden_size"] = 1LL << 16;
        huge["intermediate_size"] = 16;
        huge["num_attention_heads"] = 1;
        huge["num_key_value_heads"] = 1;
        const auto weights = weightsOf(huge, torch::kMeta);
        expectError<core::InvalidArgument>([&] { checkFits(huge, weights); },
                                           {"/m/config.json", "GiB", "more than this machine"});
    }

    // fuzz_llama2c: a vocabulary size of INT32_MIN was negated in 32 bits (undefined behaviour).
    void llama2cVocabularyOfInt32Min() {
        test::TempDir dir;
        const int32_t fields[7] = {8, 16, 1, 2, 2, std::numeric_limits<int32_t>::min(), 4};
        test::writeBytes(dir / "model.bin",
                         std::string(reinterpret_cast<const char*>(fields), sizeof fields) +
                             std::string(4096, '\0'));
        expectError<core::FormatError>([&] { core::readLlama2cHeader(dir / "model.bin"); },
                                       {"model.bin", "implausibly large"});
    }

    // fuzz_plan_json: a non-string "format" escaped as nlohmann's type_error; variant records had
    // the same pattern.
    void planAndVariantFormatOfWrongType() {
        const json plan = json::parse(R"({"format": [0, 1], "version": 1, "operations": []})");
        expectError<core::FormatError>([&] { core::prunePlanFromJson(plan, "/p/plan.json"); },
                                       {"/p/plan.json", "'format'"});
        const json variant = json::parse(R"({"format": "anatomist-variant", "version": "1"})");
        expectError<core::FormatError>(
            [&] { core::variantRecordFromJson(variant, "/v/variant.json"); },
            {"/v/variant.json", "'version'"});
        const json variantFormat = json::parse(R"({"format": 7})");
        expectError<core::FormatError>(
            [&] { core::variantRecordFromJson(variantFormat, "/v/variant.json"); },
            {"/v/variant.json", "'format'"});
    }

    // fuzz_config: an integer key holding 2.56e115 was cast to int64 (undefined behaviour); an
    // unsigned value above INT64_MAX wrapped negative.
    void configIntegersOutOfRange() {
        auto doc = tinyLlama();
        doc["vocab_size"] = 2.56e115;
        expectError<core::ConfigError>([&] { core::resolveConfig(doc, "/m/config.json"); },
                                       {"/m/config.json", "'vocab_size'", "out of range"});
        doc = tinyLlama();
        doc["hidden_size"] = std::numeric_limits<uint64_t>::max();
        expectError<core::ConfigError>([&] { core::resolveConfig(doc, "/m/config.json"); },
                                       {"/m/config.json", "'hidden_size'", "out of range"});
    }

    // fuzz_datasets: a number too large for a double ("-1e308922") made nlohmann throw
    // out_of_range, not parse_error, so it escaped the "not valid JSON" message as an untyped
    // exception.
    void datasetNumberOverflow() {
        expectError<core::FormatError>(
            [] {
                core::parseJsonlTexts("{\"text\": \"a\"}\n{\"text\": -1e308922}\n",
                                      "/d/data.jsonl");
            },
            {"/d/data.jsonl:2", "not valid JSON"});
        expectError<core::FormatError>(
            [] {
                core::parsePromptPairsJsonl("{\"a\": \"x\", \"b\": 1e999999}\n", "/d/pairs.jsonl");
            },
            {"/d/pairs.jsonl:1", "not valid JSON"});
    }

    // A writer killed at a random moment leaves the previous file or the new one, never a mix.
    // fuzz_gguf: a block_count of 4e9 expanded a per-layer head count into a 32 GB vector.
    void ggufBlockCountIsCappedBeforeAnythingIsSized() {
        test::TempDir dir;
        core::GgufWriter w(32);
        w.setString("general.architecture", "llama");
        w.setU32("llama.block_count", 4000000000u);
        w.setU32("llama.embedding_length", 8);
        w.setU32("llama.attention.head_count", 2);
        w.write(dir / "m.gguf");
        const auto f = core::GgufFile::open(dir / "m.gguf");
        expectError<core::Error>([&] { core::configFromGguf(*f); },
                                 {"m.gguf", "llama.block_count", "4000000000"});
    }

    void killedWriterLeavesOldOrNew() {
        test::TempDir dir;
        const auto target = dir / "out.bin";
        constexpr std::size_t size = 4 << 20;
        killWritersInLoop(
            target, [&](int v) { core::writeTextAtomically(target, std::string(size, char(v))); },
            [&] {
                const std::string now = test::readBytes(target);
                return now.size() == size && now.find_first_not_of(now[0]) == std::string::npos
                           ? int(now[0])
                           : -1;
            });
    }

    // The model and checkpoint writers, killed the same way: each file read back must be whole
    // (every tensor of one version), never a mix or a torn file.
    void killedSafetensorsWriterLeavesOldOrNew() {
        test::TempDir dir;
        const auto target = dir / "model.safetensors";
        killWritersInLoop(
            target,
            [&](int v) {
                core::writeSafetensors(
                    target, {{"a", torch::full({1 << 20}, float(v))},
                             {"b", torch::full({256, 1024}, float(v), torch::kBFloat16)}});
            },
            [&] {
                try {
                    const auto file = core::SafetensorsFile::open(target);
                    const auto a = file->load(*file->find("a"), torch::kFloat32);
                    const auto b = file->load(*file->find("b"), torch::kFloat32);
                    const float v = a[0].item<float>();
                    return a.eq(v).all().item<bool>() && b.eq(v).all().item<bool>() &&
                                   b.numel() == 256 * 1024
                               ? int(v)
                               : -1;
                } catch (const core::Error&) {
                    return -1;
                }
            });
    }

    void killedGgufWriterLeavesOldOrNew() {
        test::TempDir dir;
        const auto target = dir / "model.gguf";
        constexpr int64_t count = 1 << 20;
        killWritersInLoop(
            target,
            [&](int v) {
                core::GgufWriter writer;
                writer.setString("general.architecture", "llama");
                writer.setU32("test.version", uint32_t(v));
                const std::vector<float> values(count, float(v));
                writer.addTensor("t", core::GgmlType::F32, {count},
                                 core::encodeTensorData(values.data(), count, core::GgmlType::F32));
                writer.write(target);
            },
            [&] {
                try {
                    const auto file = core::GgufFile::open(target);
                    const auto* info = file->findTensor("t");
                    const int v = int(file->requireInt("test.version"));
                    if (!info)
                        return -1;
                    const auto bytes = file->data(*info);
                    if (bytes.size() != count * sizeof(float))
                        return -1;
                    const auto* f = reinterpret_cast<const float*>(bytes.data());
                    return std::all_of(f, f + count, [&](float x) { return x == float(v); }) ? v
                                                                                             : -1;
                } catch (const core::Error&) {
                    return -1;
                }
            });
    }

    void killedCheckpointWriterLeavesOldOrNew() {
        test::TempDir dir;
        const auto target = dir / "state.safetensors";
        const json config = {{"model_type", "llama"},    {"vocab_size", 64},
                             {"hidden_size", 256},       {"intermediate_size", 512},
                             {"num_hidden_layers", 2},   {"num_attention_heads", 4},
                             {"num_key_value_heads", 2}, {"max_position_embeddings", 64}};
        const auto resolved = core::resolveConfig(config, "tiny");
        auto model = std::make_shared<core::CausalLM>(
            resolved.config, *resolved.spec, torch::TensorOptions().dtype(torch::kFloat32));
        model->initializeWeights(3, 0.05);
        core::TrainOptions options;
        options.steps = 4;
        options.batchSize = 1;
        options.seqLen = 8;
        const std::vector<std::vector<core::TokenId>> docs(2, std::vector<core::TokenId>(16, 1));
        core::Trainer trainer(model, options, docs);
        killWritersInLoop(
            target,
            [&](int v) {
                trainer.saveCheckpoint(target, {{"version", v}});
            },
            [&] {
                try {
                    // Every tensor's bytes must be inside the file (a torn file fails here).
                    const auto file = core::SafetensorsFile::open(target);
                    for (const auto& info : file->tensors())
                        file->load(info);
                    const auto state = core::readTrainCheckpointMeta(target);
                    return state.contains("extra") ? state["extra"].value("version", -1) : -1;
                } catch (const core::Error&) {
                    return -1;
                }
            });
    }
};

QTEST_GUILESS_MAIN(TestHostileInputs)
#include "tst_hostile_inputs.moc"
