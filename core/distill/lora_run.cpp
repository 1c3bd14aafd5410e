#include "distill/lora_run.h"

#include "distill/distill_run.h"
#include "distill/lora.h"
#include "errors.h"
#include "eval/perplexity.h"
#include "job.h"
#include "model/model_saver.h"
#include "train/train_run.h"
#include "train/trainable_model.h"
#include "train/trainer.h"

#include <chrono>

namespace anatomist::core {

namespace fs = std::filesystem;

namespace {

std::string loraString(const nlohmann::json& run, const char* key, bool required) {
    return runStringField(run, key, required, "LoRA run");
}

nlohmann::json loraAndSave(nlohmann::json run, bool resume, JobContext& job,
                           const std::atomic<bool>* pause) {
    const auto start = std::chrono::steady_clock::now();
    const fs::path out = loraString(run, "out", true);
    const fs::path modelDir = loraString(run, "model", true);
    const fs::path data = loraString(run, "data", true);
    const fs::path evalData = loraString(run, "eval_data", false);
    const fs::path teacherDir = loraString(run, "teacher", false);
    if (fs::exists(out) && fs::exists(modelDir) && fs::equivalent(out, modelDir))
        throw InvalidArgument(out.string() + ": the output folder is the model's folder (the input "
                                             "model is never modified)");
    const auto lora = loraOptionsFromJson(run.value("lora", nlohmann::json::object()));

    job.setProgress(0, "load");
    auto loaded = loadModelForTraining(modelDir, LoadOptions{}, job);
    std::shared_ptr<TrainObjective> objective = std::make_shared<CrossEntropyObjective>();
    std::shared_ptr<Tokenizer> tokenizer = loaded.tokenizer;
    if (!teacherDir.empty()) {
        auto setup = prepareDistillation(run, teacherDir, loaded, job);
        objective = setup.objective;
        tokenizer = setup.teacher.tokenizer;
    }
    if (!tokenizer)
        throw TokenizerError(modelDir.string() + ": no tokenizer to read the data with");
    const auto adapters = attachLora(*loaded.model, lora);

    job.setProgress(0, "data");
    const auto train = tokenizeTrainText(data, *tokenizer);
    std::vector<std::vector<TokenId>> heldOut;
    if (!evalData.empty())
        heldOut = tokenizeTrainText(evalData, *tokenizer);
    nlohmann::json trainDoc = {{"lr", 2e-4}, {"eval_every", 50}, {"checkpoint_every", 50}};
    trainDoc.update(run.value("train", nlohmann::json::object()));
    auto options = trainOptionsFromJson(trainDoc);
    options.trainable = {".lora_A.", ".lora_B."};
    run["train"] = toJson(options);

    loaded.model->train(); // adapter dropout
    Trainer trainer(loaded.model, options, train, heldOut);
    trainer.setObjective(objective);
    trainer.setPauseFlag(pause);
    fs::create_directories(out);
    const fs::path checkpoint = out / kTrainCheckpointName;
    if (resume) {
        trainer.loadCheckpoint(checkpoint);
    } else if (!heldOut.empty()) {
        run["reference"] = {{"perplexity_before", trainer.evaluate(job)}};
    }
    trainer.run(job, checkpoint, run);

    const auto& last = trainer.lastStats();
    nlohmann::json terms = nlohmann::json::object();
    for (const auto& [name, value] : last.terms)
        terms[name] = value;
    int64_t trainable = 0;
    for (const auto& p : trainer.trainableParameters())
        trainable += p.numel();
    nlohmann::json summary = {
        {"steps", trainer.currentStep()},
        {"final_loss", last.step > 0 ? nlohmann::json(last.loss) : nlohmann::json()},
        {"final_terms", terms},
        {"adapters", adapters},
        {"trainable_parameters", trainable},
        {"objective", objective->kind()},
        {"out", out.string()},
        {"merged", nullptr},
    };
    if (run.contains("reference"))
        summary["perplexity_before"] = run["reference"]["perplexity_before"];
    if (!heldOut.empty())
        summary["perplexity_after"] = trainer.evaluate(job);
    saveLoraAdapters(*loaded.model, lora, out, modelDir.string());
    if (run.value("merge", false)) {
        mergeLora(*loaded.model);
        SaveOptions save;
        save.tokenizerSource = loaded.tokenizer ? modelDir : teacherDir;
        saveModel(*loaded.model, out / "merged", save, job);
        summary["merged"] = (out / "merged").string();
    }
    summary["seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

} // namespace

nlohmann::json resolveLoraRunPaths(nlohmann::json run, const fs::path& baseDir) {
    return absoluteRunPaths(std::move(run), {"model", "teacher", "data", "eval_data", "out"},
                            baseDir, "LoRA run");
}

nlohmann::json runLora(const nlohmann::json& run, JobContext& job, const std::atomic<bool>* pause) {
    auto doc = run;
    doc["kind"] = "lora";
    return loraAndSave(doc, false, job, pause);
}

nlohmann::json resumeLora(const fs::path& outDir, JobContext& job, const std::atomic<bool>* pause) {
    const auto file = outDir / kTrainCheckpointName;
    if (!fs::exists(file))
        throw IoError(file.string() + ": no checkpoint to resume from");
    auto run = readTrainCheckpointMeta(file).at("extra");
    if (!run.is_object() || run.value("kind", "") != "lora")
        throw InvalidArgument(file.string() +
                              ": not a LoRA checkpoint (written by another kind of run)");
    run["out"] = fs::absolute(outDir).lexically_normal().string();
    return loraAndSave(run, true, job, pause);
}

} // namespace anatomist::core
