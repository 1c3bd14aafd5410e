#include "distill/distill_run.h"

#include "distill/distill_objective.h"
#include "distill/layer_map.h"
#include "distill/teacher_cache.h"
#include "errors.h"
#include "eval/perplexity.h"
#include "io/atomic_file.h"
#include "job.h"
#include "model/model_saver.h"
#include "prune/apply_plan.h"
#include "prune/variant_record.h"
#include "train/communicator.h"
#include "train/device_choice.h"
#include "train/sharded_perplexity.h"
#include "train/train_run.h"
#include "train/trainable_model.h"
#include "train/trainer.h"

#include <chrono>
#include <cmath>

namespace anatomist::core {

namespace fs = std::filesystem;

namespace {

using TokenDocs = std::vector<std::vector<TokenId>>;

std::string distillString(const nlohmann::json& run, const char* key, bool required) {
    return runStringField(run, key, required, "distillation run");
}

int64_t parameterCount(const CausalLM& model) {
    int64_t n = 0;
    for (const auto& p : model.parameters())
        n += p.numel();
    return n;
}

// The same ids must mean the same strings, or KL compares unrelated distributions.
void checkSameVocabulary(const Tokenizer& teacher, const Tokenizer& student,
                         const fs::path& studentDir) {
    if (teacher.vocabSize() != student.vocabSize())
        throw InvalidArgument(studentDir.string() + ": the student's tokenizer has " +
                              std::to_string(student.vocabSize()) + " tokens, the teacher's " +
                              std::to_string(teacher.vocabSize()));
    for (TokenId id = 0; id < teacher.vocabSize(); ++id)
        if (teacher.idToToken(id) != student.idToToken(id))
            throw InvalidArgument(studentDir.string() +
                                  ": the student's tokenizer differs from the "
                                  "teacher's (token " +
                                  std::to_string(id) + " is '" + student.idToToken(id) +
                                  "', the teacher's '" + teacher.idToToken(id) + "')");
}

TrainOptions distillTrainOptions(const nlohmann::json& run) {
    // ALGORITHMS.md §8 defaults under whatever the run sets.
    nlohmann::json train = {{"lr", 4e-5},           {"grad_accum", 4},  {"clip", 1.0},
                            {"min_lr_ratio", 0.05}, {"eval_every", 50}, {"checkpoint_every", 50}};
    train.update(run.value("train", nlohmann::json::object()));
    return trainOptionsFromJson(train);
}

std::vector<int> resolveLayerMap(const DistillOptions& options, const fs::path& studentDir,
                                 const CausalLM& student, const CausalLM& teacher) {
    if (!options.layerMap.empty())
        return options.layerMap;
    if (studentDir.empty()) // a student pruned in memory: its plan's map is set by the caller
        return defaultLayerMap(student.numLayers(), teacher.numLayers());
    if (auto kept = readVariantKeptLayers(studentDir))
        return *kept;
    return defaultLayerMap(student.numLayers(), teacher.numLayers());
}

// Sharded over the ranks of a data-parallel run: every rank calls it.
double heldOutPerplexity(CausalLM& model, const TokenDocs& docs, int64_t context,
                         Communicator* communicator, JobContext& job) {
    PerplexityOptions options;
    options.context = context;
    return shardedPerplexity(model, docs, options, communicator, job).perplexity;
}

// The student of `distill --plan`: the teacher pruned in memory. Activation-based operations read
// the training text. Fills `variant` with the record exportVariant would write, and the run's
// layer map (unless given) with the plan's kept layers.
LoadedModel studentFromPlan(nlohmann::json& run, const fs::path& planFile,
                            const fs::path& teacherDir, const LoadOptions& load, JobContext& job,
                            nlohmann::json& variant) {
    const auto plan = readPrunePlan(planFile.string());
    auto base = loadModelForTraining(teacherDir, load, job);
    if (!base.tokenizer)
        throw TokenizerError(teacherDir.string() +
                             ": the teacher has no tokenizer to read the data with");
    PruneInputs inputs;
    inputs.documents = tokenizeTrainText(distillString(run, "data", true), *base.tokenizer);
    c10::InferenceMode normalTensors(false);
    auto result = applyPlan(*base.model, plan, inputs, job);
    variant = toJson(makeVariantRecord(result, plan, teacherDir));
    auto& distill = run["distill"];
    if (!distill.is_object())
        distill = nlohmann::json::object();
    if (!distill.contains("layer_map"))
        distill["layer_map"] = result.keptLayers;
    LoadedModel student;
    student.config = result.model->config();
    student.spec = base.spec;
    student.model = result.model;
    return student; // no folder, no tokenizer of its own: the teacher's is used
}

} // namespace

DistillSetup prepareDistillation(const nlohmann::json& run, const fs::path& teacherDir,
                                 const LoadedModel& student, JobContext& job) {
    const fs::path studentDir = student.folder;
    LoadOptions load;
    load.device = trainDeviceFromString(distillString(run, "device", false));
    load.dtype = trainDtypeFromString(distillString(run, "dtype", false));
    auto teacher = loadModelForTraining(teacherDir, load, job);
    if (!teacher.tokenizer)
        throw TokenizerError(teacherDir.string() +
                             ": the teacher has no tokenizer to read the data with");
    if (student.tokenizer)
        checkSameVocabulary(*teacher.tokenizer, *student.tokenizer, studentDir);

    auto distill = distillOptionsFromJson(run.value("distill", nlohmann::json::object()));
    if (distill.needsLayerMap()) {
        if (const auto base = studentDir.empty() ? std::optional<long long>{}
                                                 : readVariantBaseParameters(studentDir);
            base && *base != parameterCount(*teacher.model))
            throw InvalidArgument((studentDir / kVariantFileName).string() +
                                  ": the student is a "
                                  "variant of a base with " +
                                  std::to_string(*base) + " parameters, the teacher has " +
                                  std::to_string(parameterCount(*teacher.model)) +
                                  ": no layer map for the hidden-state terms");
        distill.layerMap = resolveLayerMap(distill, studentDir, *student.model, *teacher.model);
        if (distill.layerMap.empty())
            throw InvalidArgument(studentDir.string() + ": the student has " +
                                  std::to_string(student.model->numLayers()) +
                                  " layers, the teacher " +
                                  std::to_string(teacher.model->numLayers()) +
                                  ", and no variant.json maps them: the hidden-state terms need a "
                                  "layer map");
    }
    auto objective = std::make_shared<DistillObjective>(teacher.model, *student.model, distill);
    return {std::move(teacher), std::move(objective)};
}

namespace {

nlohmann::json distillAndSave(nlohmann::json run, bool resume, JobContext& job,
                              const std::atomic<bool>* pause,
                              const std::shared_ptr<Communicator>& communicator) {
    const bool writer = !communicator || communicator->rank() == 0;
    const auto start = std::chrono::steady_clock::now();
    const fs::path out = distillString(run, "out", true);
    const fs::path teacherDir = distillString(run, "teacher", true);
    const fs::path planFile = distillString(run, "plan", false);
    const fs::path studentDir = distillString(run, "student", planFile.empty());
    if (!planFile.empty() && !studentDir.empty())
        throw InvalidArgument("distillation run: give a student or a plan, not both");
    const fs::path data = distillString(run, "data", true);
    const fs::path evalData = distillString(run, "eval_data", false);
    if (fs::exists(out) && fs::exists(studentDir) && fs::equivalent(out, studentDir))
        throw InvalidArgument(out.string() +
                              ": the output folder is the student's folder (the input "
                              "model is never modified)");

    job.setProgress(0, "load");
    LoadOptions load;
    load.device = trainDeviceFromString(distillString(run, "device", false));
    load.dtype = trainDtypeFromString(distillString(run, "dtype", false));
    nlohmann::json planVariant;
    auto student = planFile.empty()
                       ? loadModelForTraining(studentDir, load, job)
                       : studentFromPlan(run, planFile, teacherDir, load, job, planVariant);
    auto [teacher, objective] = prepareDistillation(run, teacherDir, student, job);
    const auto& distill = objective->options();

    job.setProgress(0, "data");
    const auto train = tokenizeTrainText(data, *teacher.tokenizer);
    TokenDocs heldOut;
    if (!evalData.empty())
        heldOut = tokenizeTrainText(evalData, *teacher.tokenizer);
    auto options = distillTrainOptions(run);
    std::size_t usable = 0;
    for (const auto& d : train)
        usable += d.size() >= 2;
    if (usable == 0)
        throw InvalidArgument(data.string() +
                              ": too short to train on (no document has two tokens)");
    if (run.contains("epochs") && !run["epochs"].is_null()) {
        const double epochs = run["epochs"].get<double>();
        if (!(epochs > 0))
            throw InvalidArgument("distillation run: 'epochs' must be positive");
        const TokenBatcher probe(train, options.seqLen, options.seed);
        const double perStep = double(options.batchSize * options.gradAccum);
        options.steps = std::max<int64_t>(
            1, int64_t(std::ceil(epochs * double(probe.windowCount()) / perStep)));
    }
    run["train"] = toJson(options);

    // The teacher's logits: on the fly, or from a disk cache made once (teacher_cache.h).
    nlohmann::json logitsEvent = {{"type", "teacher_logits"}, {"source", "on the fly"}};
    if (const auto cacheDir = distillString(run, "teacher_cache", false); !cacheDir.empty()) {
        const auto topK = run.value("teacher_top_k", kDefaultTeacherTopK);
        if (distill.needsLayerMap())
            throw InvalidArgument("--teacher-cache holds logits only; the hidden-state and "
                                  "trajectory terms (gamma, delta) need the teacher on the fly");
        job.setProgress(0, "teacher cache");
        bool built = false;
        const TokenBatcher windows(train, options.seqLen, options.seed);
        auto cache =
            TeacherLogitCache::openOrBuild(cacheDir, *teacher.model, windows.windows(),
                                           options.seqLen, topK, distill.temperature, job, &built);
        objective->setTeacherCache(cache);
        logitsEvent["source"] = "cache";
        logitsEvent["cache"] = cache->describe();
        logitsEvent["cache"]["built"] = built;
    }
    const std::string logitsSource = logitsEvent["source"];

    Trainer trainer(student.model, options, train, heldOut);
    trainer.setObjective(objective);
    trainer.setPauseFlag(pause);
    trainer.setCommunicator(communicator);
    fs::create_directories(out);
    const fs::path checkpoint = out / kTrainCheckpointName;
    if (resume)
        trainer.loadCheckpoint(checkpoint);
    logitsEvent["step"] = trainer.currentStep();
    if (!resume) {
        job.setProgress(0, "reference");
        nlohmann::json reference = {{"teacher_logits", logitsSource}};
        if (!heldOut.empty()) {
            reference["teacher_perplexity"] =
                heldOutPerplexity(*teacher.model, heldOut, options.seqLen, communicator.get(), job);
            reference["student_perplexity"] =
                heldOutPerplexity(*student.model, heldOut, options.seqLen, communicator.get(), job);
        }
        run["reference"] = reference; // travels in the checkpoints: a resumed run reports it too
        auto event = reference;
        event["type"] = "train_reference";
        event["step"] = 0;
        if (writer)
            job.emitEvent(event);
    }
    if (writer) // after train_reference: a fresh log opens with the reference line
        job.emitEvent(logitsEvent);
    trainer.run(job, checkpoint, run);

    SaveOptions save;
    save.tokenizerSource = student.tokenizer ? studentDir : teacherDir;
    if (writer)
        saveModel(*student.model, out, save, job);

    const auto& last = trainer.lastStats();
    nlohmann::json terms = nlohmann::json::object();
    for (const auto& [name, value] : last.terms)
        terms[name] = value;
    nlohmann::json summary = {
        {"steps", trainer.currentStep()},
        {"final_loss", last.step > 0 ? nlohmann::json(last.loss) : nlohmann::json()},
        {"final_terms", terms},
        {"layer_map", distill.layerMap},
        {"teacher_logits", logitsSource},
        {"parameters", parameterCount(*student.model)},
        {"out", out.string()},
    };
    if (const auto ref = run.find("reference");
        ref != run.end() && ref->contains("teacher_perplexity")) {
        summary["teacher_perplexity"] = (*ref)["teacher_perplexity"];
        summary["student_perplexity_before"] = (*ref)["student_perplexity"];
    }
    if (!heldOut.empty())
        summary["student_perplexity_after"] = trainer.evaluate(job);

    // The variant record: the student's own (kept as written) extended by this run.
    nlohmann::json variant = {
        {"format", "anatomist-variant"},
        {"version", 1},
        {"base", {{"path", teacherDir.string()}, {"parameters", parameterCount(*teacher.model)}}}};
    if (!planFile.empty())
        variant = planVariant;
    else if (fs::exists(studentDir / kVariantFileName))
        variant = readJsonFile(studentDir / kVariantFileName);
    variant["distillation"] = {
        {"teacher", teacherDir.string()},
        {"student", planFile.empty() ? nlohmann::json(studentDir.string()) : nlohmann::json()},
        {"plan", planFile.empty() ? nlohmann::json() : nlohmann::json(planFile.string())},
        {"data", data.string()},
        {"eval_data", evalData.empty() ? nlohmann::json() : nlohmann::json(evalData.string())},
        {"objective", objective->describe()},
        {"train", toJson(options)},
        {"metrics", summary}};
    if (writer)
        writeTextAtomically(out / kVariantFileName, variant.dump(2) + "\n");
    summary["seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

} // namespace

nlohmann::json resolveDistillRunPaths(nlohmann::json run, const fs::path& baseDir) {
    return absoluteRunPaths(
        std::move(run), {"teacher", "student", "plan", "data", "eval_data", "out", "teacher_cache"},
        baseDir, "distillation run");
}

nlohmann::json runDistillation(const nlohmann::json& run, JobContext& job,
                               const std::atomic<bool>* pause,
                               std::shared_ptr<Communicator> communicator) {
    auto doc = run;
    doc["kind"] = "distill";
    return distillAndSave(doc, false, job, pause, communicator);
}

nlohmann::json resumeDistillation(const fs::path& outDir, JobContext& job,
                                  const std::atomic<bool>* pause,
                                  std::shared_ptr<Communicator> communicator,
                                  const std::string& deviceOverride) {
    const auto file = outDir / kTrainCheckpointName;
    if (!fs::exists(file))
        throw IoError(file.string() + ": no checkpoint to resume from");
    auto run = readTrainCheckpointMeta(file).at("extra");
    if (!run.is_object() || run.value("kind", "") != "distill")
        throw InvalidArgument(file.string() + ": not a distillation checkpoint (written by another "
                                              "kind of run)");
    run["out"] = fs::absolute(outDir).lexically_normal().string();
    if (!deviceOverride.empty())
        run["device"] = deviceOverride;
    return distillAndSave(run, true, job, pause, communicator);
}

} // namespace anatomist::core
