#include "train/train_run.h"

#include "errors.h"
#include "eval/perplexity.h"
#include "io/atomic_file.h"
#include "io/model_config.h"
#include "io/text_documents.h"
#include "job.h"
#include "model/arch_registry.h"
#include "model/causal_lm.h"
#include "model/llama_config_json.h"
#include "model/model_loader.h"
#include "model/model_saver.h"
#include "tokenizer/tokenizer.h"
#include "train/communicator.h"
#include "train/device_choice.h"
#include "train/trainer.h"

#include <chrono>
#include <cmath>
#include <fstream>

namespace anatomist::core {

namespace fs = std::filesystem;

namespace {

using TokenDocs = std::vector<std::vector<TokenId>>;

std::string runString(const nlohmann::json& run, const char* key) {
    return runStringField(run, key, false, "training run");
}

TokenDocs readTrainIds(const fs::path& file) {
    const auto doc = readJsonFile(file);
    if (!doc.is_array())
        throw FormatError(file.string() + ": expected a JSON array of arrays of token ids");
    TokenDocs out;
    for (const auto& ids : doc) {
        if (!ids.is_array())
            throw FormatError(file.string() + ": every element must be an array of token ids");
        out.push_back(ids.get<std::vector<TokenId>>());
    }
    return out;
}

struct TrainInputs {
    std::shared_ptr<Tokenizer> tokenizer;
    TokenDocs train, heldOut;
    int64_t maxId = 0;
};

TrainInputs loadTrainInputs(const nlohmann::json& run) {
    TrainInputs in;
    const auto tokenizerPath = runString(run, "tokenizer");
    if (!tokenizerPath.empty())
        in.tokenizer = loadTokenizer(tokenizerPath);
    const auto data = runString(run, "data"), ids = runString(run, "ids");
    if (data.empty() == ids.empty())
        throw InvalidArgument("training run: give exactly one of 'data' (text) and 'ids'");
    if (!data.empty() && !in.tokenizer)
        throw InvalidArgument("training run: text data needs a 'tokenizer'");
    in.train = !data.empty() ? tokenizeTrainText(data, *in.tokenizer) : readTrainIds(ids);
    const auto evalData = runString(run, "eval_data");
    if (!evalData.empty()) {
        in.heldOut =
            in.tokenizer ? tokenizeTrainText(evalData, *in.tokenizer) : readTrainIds(evalData);
    } else if (const double fraction = run.value("eval_fraction", 0.0); fraction > 0) {
        // Every k-th document is held out: deterministic and independent of the seed.
        const auto every = std::max<std::size_t>(2, std::size_t(std::lround(1.0 / fraction)));
        TokenDocs kept;
        for (std::size_t i = 0; i < in.train.size(); ++i)
            (i % every == every - 1 ? in.heldOut : kept).push_back(std::move(in.train[i]));
        in.train = std::move(kept);
    }
    for (const TokenDocs* docs : {&std::as_const(in.train), &std::as_const(in.heldOut)})
        for (const auto& d : *docs)
            for (TokenId id : d)
                in.maxId = std::max<int64_t>(in.maxId, id);
    return in;
}

// The config.json document for the "model" block (architecture by name plus sizes).
nlohmann::json trainModelConfig(const nlohmann::json& run, const TrainInputs& in, int64_t seqLen) {
    if (run.contains("model_config"))
        return run.at("model_config");
    const auto m = run.value("model", nlohmann::json::object());
    const std::string arch = m.value("arch", "llama");
    const int64_t hidden = m.value("hidden", int64_t(128));
    const int64_t heads = m.value("heads", std::max<int64_t>(1, hidden / 32));
    int64_t intermediate = m.value("intermediate", int64_t(0));
    if (intermediate <= 0) // ≈ 8/3 · hidden rounded up to 32, as Llama sizes its SwiGLU
        intermediate = ((hidden * 8 / 3 + 31) / 32) * 32;
    int64_t vocab = m.value("vocab", int64_t(0));
    if (vocab <= 0)
        vocab = in.tokenizer ? in.tokenizer->vocabSize() : in.maxId + 1;
    const int64_t maxPositions = m.value("max_positions", int64_t(0));
    LlamaConfigFields c{
        .model_type = arch,
        .vocab_size = vocab,
        .hidden_size = hidden,
        .intermediate_size = intermediate,
        .num_hidden_layers = m.value("layers", int64_t(4)),
        .num_attention_heads = heads,
        .num_key_value_heads = m.value("kv_heads", heads),
        .max_position_embeddings = maxPositions > 0 ? maxPositions : seqLen,
        .rope_theta = m.value("rope_theta", 10000.0),
        .tie_word_embeddings = m.value("tie_embeddings", false),
    };
    if (in.tokenizer) {
        c.bos_token_id = in.tokenizer->bosId();
        c.eos_token_id = in.tokenizer->eosId();
    }
    return llamaConfigJson(c);
}

std::shared_ptr<CausalLM> buildTrainModel(const nlohmann::json& run, const TrainInputs& in,
                                          const TrainOptions& options, JobContext& job) {
    const auto device = trainDeviceFromString(runString(run, "device"));
    if (const auto from = runString(run, "init_from"); !from.empty()) {
        LoadOptions lo;
        lo.loadTokenizer = false;
        lo.device = device;
        return loadModel(from, lo, job).model;
    }
    const auto resolved =
        resolveConfig(trainModelConfig(run, in, options.seqLen), "training model");
    auto model = std::make_shared<CausalLM>(resolved.config, *resolved.spec,
                                            torch::TensorOptions().dtype(torch::kFloat32));
    const auto seed = run.contains("init_seed") && !run["init_seed"].is_null()
                          ? run["init_seed"].get<uint64_t>()
                          : options.seed;
    model->initializeWeights(seed, run.value("init_std", 0.02));
    if (!device.is_cpu())
        model->to(device);
    return model;
}

// Tokenizer files for the output folder: a folder's files are copied by saveModel; a bare
// tokenizer.model / tokenizer.json file is copied under its canonical name with a minimal
// tokenizer_config.json so that the folder opens in Hugging Face tools too.
void placeTrainTokenizer(const fs::path& tokenizer, const Tokenizer& tok, const fs::path& out) {
    if (tokenizer.empty() || fs::is_directory(tokenizer))
        return;
    const bool spm = tokenizer.extension() == ".model";
    copyFileAtomically(tokenizer, out / (spm ? "tokenizer.model" : "tokenizer.json"));
    if (!spm || fs::exists(out / "tokenizer_config.json"))
        return;
    nlohmann::json config = {{"add_bos_token", tok.bosId().has_value()},
                             {"add_eos_token", false},
                             {"tokenizer_class", "LlamaTokenizer"},
                             {"clean_up_tokenization_spaces", false}};
    if (const auto id = tok.bosId())
        config["bos_token"] = tok.idToToken(*id);
    if (const auto id = tok.eosId())
        config["eos_token"] = tok.idToToken(*id);
    if (const auto id = tok.unkId())
        config["unk_token"] = tok.idToToken(*id);
    writeTextAtomically(out / "tokenizer_config.json", config.dump(2) + "\n");
}

nlohmann::json trainAndSave(const nlohmann::json& run, bool resume, JobContext& job,
                            const std::shared_ptr<Communicator>& communicator) {
    const auto start = std::chrono::steady_clock::now();
    const fs::path out = runString(run, "out");
    if (out.empty())
        throw InvalidArgument("training run: 'out' (the output folder) is missing");
    fs::create_directories(out);
    const auto options = trainOptionsFromJson(run.value("train", nlohmann::json::object()));
    job.setProgress(0, "data");
    auto in = loadTrainInputs(run);
    auto model = buildTrainModel(run, in, options, job);
    Trainer trainer(model, options, in.train, in.heldOut);
    trainer.setCommunicator(communicator);
    const fs::path checkpoint = out / kTrainCheckpointName;
    if (resume)
        trainer.loadCheckpoint(checkpoint);

    // Forwards everything to the caller's context and remembers the last loss for the summary.
    class TrainRelay : public JobContext {
    public:
        explicit TrainRelay(JobContext& outer)
            : m_outer(outer) {}
        void setProgress(double f, std::string_view s) override { m_outer.setProgress(f, s); }
        bool isCancelled() const override { return m_outer.isCancelled(); }
        void emitEvent(const nlohmann::json& e) override {
            if (e.value("type", "") == "train_step")
                lastLoss = e.value("loss", lastLoss);
            m_outer.emitEvent(e);
        }
        double lastLoss = std::nan("");

    private:
        JobContext& m_outer;
    } context(job);
    trainer.run(context, checkpoint, run);

    SaveOptions save;
    const fs::path tokenizerPath = runString(run, "tokenizer");
    if (!tokenizerPath.empty() && fs::is_directory(tokenizerPath))
        save.tokenizerSource = tokenizerPath;
    if (trainer.isWriter()) {
        saveModel(*model, out, save, job);
        if (in.tokenizer)
            placeTrainTokenizer(tokenizerPath, *in.tokenizer, out);
    }

    int64_t parameters = 0;
    for (const auto& p : model->parameters())
        parameters += p.numel();
    nlohmann::json summary = {
        {"steps", trainer.currentStep()},
        {"final_loss", context.lastLoss},
        {"vocab_size", model->config().vocab_size},
        {"uniform_perplexity", double(model->config().vocab_size)},
        {"parameters", parameters},
        {"train_tokens_per_epoch", trainer.batcher().tokenCount()},
        {"out", out.string()},
    };
    if (!in.heldOut.empty()) {
        double nll = 0;
        summary["held_out_perplexity"] = trainer.evaluate(job, &nll);
        summary["held_out_nll"] = nll;
    }
    summary["seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

} // namespace

std::vector<std::vector<TokenId>> tokenizeTrainText(const fs::path& file,
                                                    const Tokenizer& tokenizer) {
    const auto parts = splitDocuments(readTextFile(file));
    if (parts.empty())
        throw InvalidArgument(file.string() + ": contains no documents (only blank lines)");
    auto docs = tokenizeDocuments(tokenizer, parts);
    if (const auto eos = tokenizer.eosId())
        for (auto& d : docs)
            d.push_back(*eos);
    return docs;
}

std::vector<nlohmann::json> trimTrainLog(const fs::path& log, int64_t keepUpToStep) {
    std::vector<nlohmann::json> events;
    std::ifstream in(log);
    if (!in)
        return events;
    std::string kept, line;
    while (std::getline(in, line)) {
        auto event = nlohmann::json::parse(line, nullptr, false);
        if (!event.is_discarded() && event.is_object() &&
            event.value("step", int64_t(0)) > keepUpToStep)
            continue;
        kept += line + "\n";
        if (!event.is_discarded() && event.is_object())
            events.push_back(std::move(event));
    }
    in.close();
    writeTextAtomically(log, kept);
    return events;
}

std::string runStringField(const nlohmann::json& run, const char* key, bool required,
                           const std::string& what) {
    const auto it = run.find(key);
    if (it == run.end() || it->is_null()) {
        if (required)
            throw InvalidArgument(what + ": '" + key + "' is missing");
        return {};
    }
    if (!it->is_string())
        throw InvalidArgument(what + ": '" + key + "' must be a string");
    return it->get<std::string>();
}

nlohmann::json absoluteRunPaths(nlohmann::json run, std::initializer_list<const char*> keys,
                                const fs::path& baseDir, const std::string& what) {
    for (const char* key : keys) {
        const auto value = runStringField(run, key, false, what);
        if (!value.empty())
            run[key] = fs::absolute(baseDir / value).lexically_normal().string();
    }
    return run;
}

nlohmann::json resolveTrainRunPaths(nlohmann::json run, const fs::path& baseDir) {
    return absoluteRunPaths(std::move(run),
                            {"data", "ids", "tokenizer", "eval_data", "init_from", "out"}, baseDir,
                            "training run");
}

nlohmann::json runTraining(const nlohmann::json& run, JobContext& job,
                           std::shared_ptr<Communicator> communicator) {
    return trainAndSave(run, false, job, communicator);
}

nlohmann::json resumeTraining(const fs::path& outDir, JobContext& job,
                              std::shared_ptr<Communicator> communicator,
                              const std::string& deviceOverride) {
    const auto file = outDir / kTrainCheckpointName;
    if (!fs::exists(file))
        throw IoError(file.string() + ": no training checkpoint to resume from");
    auto run = readTrainCheckpointMeta(file).at("extra");
    run["out"] = fs::absolute(outDir).lexically_normal().string();
    if (!deviceOverride.empty())
        run["device"] = deviceOverride;
    return trainAndSave(run, true, job, communicator);
}

} // namespace anatomist::core
