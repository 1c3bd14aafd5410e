#include "compare_controller.h"

#include "eval/compare.h"
#include "io/text_documents.h"
#include "job.h"
#include "job_runner.h"
#include "model/causal_lm.h"
#include "model/generate.h"
#include "model/model_loader.h"
#include "model_controller.h"
#include "plan_controller.h"
#include "prune/apply_plan.h"
#include "similarity_controller.h"
#include "variant_layout.h"
#include "view_controller.h"
#include "widgets/compare_view.h"
#include "widgets/module_tree_model.h"
#include "widgets/playground_view.h"

#include <QLocale>
#include <algorithm>
#include <cmath>

namespace anatomist::gui {

namespace {

// "352 × 3, 280": run-length MLP widths, layer order.
QString widthsSummary(const core::ModelConfig& c, int layers) {
    QStringList parts;
    const QLocale locale;
    for (int i = 0; i < layers;) {
        const qint64 w = std::size_t(i) < c.layer_intermediate_sizes.size()
                             ? c.layer_intermediate_sizes[std::size_t(i)]
                             : c.intermediate_size;
        int run = 1;
        while (i + run < layers && std::size_t(i + run) < c.layer_intermediate_sizes.size() &&
               c.layer_intermediate_sizes[std::size_t(i + run)] == w)
            ++run;
        parts << (run > 1 ? QStringLiteral("%1 × %2").arg(locale.toString(w)).arg(run)
                          : locale.toString(w));
        i += run;
    }
    return parts.join(QStringLiteral(", "));
}

int64_t at(const std::vector<int64_t>& v, std::size_t i, int64_t fallback) {
    return i < v.size() ? v[i] : fallback;
}

} // namespace

CompareController::CompareController(ModelController& models, PlanController& plans,
                                     JobRunner& runner, QObject* parent)
    : QObject(parent)
    , m_models(models)
    , m_plans(plans)
    , m_runner(runner)
    , m_view(new widgets::CompareView)
    , m_playground(new widgets::PlaygroundView) {
    m_playground->setPrompt(ViewController::defaultPrompt());
    connect(&m_models, &ModelController::modelLoaded, this, [this] {
        m_measured.clear();
        refreshChoices();
    });
    connect(&m_plans, &PlanController::variantAdded, this, &CompareController::refreshChoices);
    connect(m_view, &widgets::CompareView::selectionChanged, this,
            &CompareController::showSelection);
    connect(m_view, &widgets::CompareView::measureRequested, this, &CompareController::measure);
    connect(m_view, &widgets::CompareView::cancelRequested, this, [this] {
        if (m_measureJob)
            m_runner.cancel(m_measureJob);
    });
    connect(m_playground, &widgets::PlaygroundView::generateRequested, this,
            &CompareController::generate);
    connect(m_playground, &widgets::PlaygroundView::cancelRequested, this, [this] {
        if (m_generateJob)
            m_runner.cancel(m_generateJob);
    });
    connect(&m_runner, &JobRunner::progress, this,
            [this](quint64 id, double fraction, const QString& stage) {
                if (id && id == m_measureJob)
                    m_view->setProgress(fraction, stage);
                if (id && id == m_generateJob)
                    m_playground->setProgress(fraction);
            });
    connect(&m_runner, &JobRunner::jobFailed, this,
            [this](quint64 id, const QString&, const QString& message) {
                if (id == m_measureJob) {
                    m_view->setStatus(message);
                    emit failed(tr("Could not measure the comparison"), message);
                }
                if (id == m_generateJob) {
                    m_playground->setStatus(message);
                    emit failed(tr("Could not generate"), message);
                }
            });
    connect(&m_runner, &JobRunner::jobCancelled, this, [this](quint64 id) {
        if (id == m_measureJob)
            m_view->setStatus(tr("Measurement cancelled."));
        if (id == m_generateJob)
            m_playground->setStatus(tr("Generation cancelled."));
    });
    connect(&m_runner, &JobRunner::jobEnded, this, [this](quint64 id) {
        if (id == m_measureJob) {
            m_measureJob = 0;
            m_view->setMeasuring(false);
        }
        if (id == m_generateJob) {
            m_generateJob = 0;
            m_playground->setRunning(false);
        }
    });
    refreshChoices();
}

std::shared_ptr<core::CausalLM> CompareController::modelNamed(const QString& name) const {
    auto loaded = m_models.model();
    if (!loaded)
        return nullptr;
    if (name == m_plans.baseName())
        return loaded->model;
    return m_plans.variant(name);
}

QString CompareController::planOf(const QString& name) const {
    return name == m_plans.baseName() ? QString() : m_plans.variantPlan(name);
}

void CompareController::refreshChoices() {
    QStringList names;
    if (m_models.model())
        names << m_plans.baseName() << m_plans.variantNames();
    m_view->setChoices(names);
    m_playground->setChoices(names);
}

void CompareController::compare(const QString& a, const QString& b) {
    m_view->select(a, b);
    m_playground->select(a, b);
}

void CompareController::showSelection() {
    auto loaded = m_models.model();
    const QString names[2] = {m_view->currentA(), m_view->currentB()};
    std::shared_ptr<core::CausalLM> models[2] = {modelNamed(names[0]), modelNamed(names[1])};
    if (!loaded || !models[0] || !models[1]) {
        m_view->setColumns({}, {});
        m_view->setChanges({}, {});
        return;
    }
    const int bytesPerValue = widgets::bytesPerValue(m_models.treeModel()->computeDtype());
    widgets::CompareColumn columns[2];
    for (int i = 0; i < 2; ++i) {
        auto& c = columns[i];
        auto& model = *models[i];
        c.name = names[i];
        c.parameters = qint64(core::countParameters(model));
        c.bytes = double(c.parameters) * bytesPerValue;
        c.layers = model.numLayers();
        c.widths = widthsSummary(model.config(), model.numLayers());
        if (auto it = m_measured.constFind(names[i]); it != m_measured.constEnd()) {
            c.perplexity = it->perplexity;
            c.prefillTokensPerSecond = it->prefill;
            c.decodeTokensPerSecond = it->decode;
            c.blockByBaseLayer = it->blockByBaseLayer;
        }
    }
    m_view->setColumns(columns[0], columns[1]);
    m_playground->select(names[0], names[1]);

    // What the variant (B, else A) keeps of the base, one entry per base layer.
    const int shown = names[1] != m_plans.baseName() ? 1 : names[0] != m_plans.baseName() ? 0 : -1;
    if (shown < 0) {
        m_view->setChanges({}, {});
        return;
    }
    const auto& base = loaded->model->config();
    const auto& variant = models[shown]->config();
    const auto kept = keptLayersOf(*loaded->model, *models[shown], planOf(names[shown]));
    QVector<widgets::LayerChange> changes;
    for (int l = 0; l < loaded->model->numLayers(); ++l) {
        widgets::LayerChange c;
        c.baseIndex = l;
        c.baseWidth = at(base.layer_intermediate_sizes, std::size_t(l), base.intermediate_size);
        c.baseHeads = at(base.layer_num_attention_heads, std::size_t(l), base.num_attention_heads);
        const auto it = std::find(kept.begin(), kept.end(), l);
        c.removed = it == kept.end();
        if (!c.removed) {
            const auto v = std::size_t(it - kept.begin());
            c.width = at(variant.layer_intermediate_sizes, v, variant.intermediate_size);
            c.heads = at(variant.layer_num_attention_heads, v, variant.num_attention_heads);
            c.attentionBypassed =
                v < variant.layer_attention_bypassed.size() && variant.layer_attention_bypassed[v];
        }
        changes << c;
    }
    m_view->setChanges(names[shown], changes);
}

void CompareController::measure() {
    auto loaded = m_models.model();
    if (!loaded || m_measureJob)
        return;
    if (!loaded->tokenizer) {
        emit failed(
            tr("Could not measure the comparison"),
            tr("This model has no tokenizer, so the sample text cannot be turned into tokens."));
        return;
    }
    QStringList names{m_view->currentA()};
    if (m_view->currentB() != names.front())
        names << m_view->currentB();
    std::vector<std::shared_ptr<core::CausalLM>> models;
    std::vector<std::vector<int>> kept;
    for (const QString& name : names) {
        auto model = modelNamed(name);
        if (!model)
            return;
        kept.push_back(keptLayersOf(*loaded->model, *model, planOf(name)));
        models.push_back(std::move(model));
    }
    const int baseLayers = loaded->model->numLayers();
    const std::string text = SimilarityController::sampleText().toStdString();
    m_measureJob = m_runner.submit(
        tr("Comparing %1").arg(names.join(QStringLiteral(" ↔ "))),
        [this, loaded, models, kept, names, text,
         baseLayers](core::JobContext& job) -> JobRunner::Finish {
            std::vector<core::CompareInput> inputs;
            for (std::size_t i = 0; i < models.size(); ++i) {
                core::CompareInput in;
                in.name = names[int(i)].toStdString();
                in.model = models[i].get();
                in.tokenizer = loaded->tokenizer.get(); // a variant keeps its base's vocabulary
                core::VariantManifest manifest;
                manifest.keptLayers = kept[i];
                in.variant = manifest;
                inputs.push_back(std::move(in));
            }
            core::CompareOptions
                options; // anatomist-cli compare --bench: 128 + 32 tokens, 5 repeats
            options.bench = true;
            const auto result =
                core::compareModels(inputs, core::splitDocuments(text), options, job);
            QHash<QString, Measured> out;
            for (std::size_t i = 0; i < result.models.size(); ++i) {
                const auto& e = result.models[i];
                Measured m;
                m.perplexity = e.perplexity.perplexity;
                if (e.speed) {
                    m.prefill = e.speed->prefillTokensPerSecond;
                    m.decode = e.speed->decodeTokensPerSecond;
                }
                m.blockByBaseLayer = QVector<double>(baseLayers, std::nan(""));
                if (e.similarity)
                    for (const auto& layer : e.similarity->layers)
                        if (std::size_t(layer.layer) < e.baseIndex.size() &&
                            e.baseIndex[std::size_t(layer.layer)] < baseLayers)
                            m.blockByBaseLayer[e.baseIndex[std::size_t(layer.layer)]] = layer.block;
                out.insert(names[int(i)], m);
            }
            return [this, out] {
                for (auto it = out.begin(); it != out.end(); ++it)
                    m_measured.insert(it.key(), it.value());
                showSelection();
                m_view->setStatus(
                    tr("Measured on the built-in sample; speeds are medians of %1 runs, read them "
                       "as the ratio in the Δ column.")
                        .arg(core::CompareOptions{}.repeats));
                emit measured();
            };
        },
        {JobRunner::Lane::Analysis, m_models.modelTag()});
    m_view->setMeasuring(true);
    m_view->setStatus(tr("Measuring…"));
}

void CompareController::generate(const widgets::PlaygroundRequest& request) {
    auto loaded = m_models.model();
    if (!loaded || m_generateJob)
        return;
    if (!loaded->tokenizer) {
        emit failed(tr("Could not generate"),
                    tr("This model has no tokenizer, so the prompt cannot be turned into tokens."));
        return;
    }
    if (request.prompt.trimmed().isEmpty()) {
        m_playground->setStatus(tr("Write a prompt first."));
        return;
    }
    std::shared_ptr<core::CausalLM> models[2] = {modelNamed(request.left),
                                                 modelNamed(request.right)};
    if (!models[0] || !models[1])
        return;
    auto tokenizer = loaded->tokenizer;
    const auto prompt = tokenizer->encodeIds(request.prompt.toStdString(), true);
    const auto context = loaded->config.max_position_embeddings;
    if (context > 0 && int64_t(prompt.size()) + request.maxTokens > context) {
        m_playground->setStatus(
            tr("The prompt (%1 tokens) and %2 new tokens do not fit the model's context of %3 "
               "tokens; shorten the prompt or ask for fewer tokens.")
                .arg(prompt.size())
                .arg(request.maxTokens)
                .arg(context));
        return;
    }
    core::GenerateOptions options;
    options.maxNewTokens = request.maxTokens;
    options.greedy = request.greedy;
    options.temperature = request.temperature;
    options.seed = request.seed;
    options.stopIds = core::defaultStopIds(*tokenizer, loaded->config.eos_token_ids);
    m_playground->clearAnswers();
    m_generateJob =
        m_runner.submit(tr("Generating with %1 and %2").arg(request.left, request.right),
                        [this, m0 = models[0], m1 = models[1], tokenizer, prompt,
                         options](core::JobContext& job) -> JobRunner::Finish {
                            widgets::PlaygroundAnswer answers[2];
                            const std::shared_ptr<core::CausalLM> pair[2] = {m0, m1};
                            for (int i = 0; i < 2; ++i) {
                                core::SubJobContext sub(job, 0.5 * i, 0.5 * (i + 1));
                                const auto r = core::generate(*pair[i], prompt, options, sub);
                                auto& a = answers[i];
                                a.text = QString::fromStdString(tokenizer->decode(r.newIds, true));
                                a.tokens = int(r.newIds.size());
                                a.seconds = r.prefillSeconds + r.decodeSeconds;
                                a.tokensPerSecond =
                                    a.seconds > 0 ? double(a.tokens) / a.seconds : 0;
                            }
                            return [this, a0 = answers[0], a1 = answers[1]] {
                                m_playground->setAnswer(0, a0);
                                m_playground->setAnswer(1, a1);
                                m_playground->setStatus(QString());
                                emit generated();
                            };
                        },
                        {JobRunner::Lane::Analysis, m_models.modelTag()});
    m_playground->setRunning(true);
    m_playground->setStatus(tr("Generating…"));
}

} // namespace anatomist::gui
