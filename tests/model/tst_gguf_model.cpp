// GGUF models end to end: the stories260K file converted by llama.cpp's own tooling against the
// Hugging Face folder of the same weights (logits and token ids), export → import round trips for
// every fixture family llama.cpp supports (identical tensors, golden logits), the layout llama.cpp
// expects for q/k rows, quantised exports, and GGUF files loadModel must refuse.

#include "errors.h"
#include "io/gguf_reader.h"
#include "io/gguf_writer.h"
#include "job.h"
#include "model/causal_lm.h"
#include "model/gguf_export.h"
#include "model/gguf_import.h"
#include "model/model_info.h"
#include "model/model_loader.h"
#include "prune/apply_plan.h"
#include "test_support.h"
#include "tokenizer/gguf_vocab.h"
#include "tokenizer/hf_tokenizer.h"

#include <QObject>
#include <functional>

using namespace anatomist;
namespace fs = std::filesystem;

namespace {

const char* const kFamilies[] = {"llama", "llama3", "llama-bf16",     "mistral", "qwen2",
                                 "qwen3", "gemma3", "gemma3-softcap", "gpt2"};

torch::Tensor idsTensor(const nlohmann::json& ids) {
    return torch::tensor(ids.get<std::vector<int64_t>>(), torch::kInt64).view({1, -1});
}

double maxAbs(const torch::Tensor& a, const torch::Tensor& b) {
    return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

fs::path storiesGguf() {
    return test::sharedDir() / "models/stories260K-llama2c/stories260K-f32.gguf";
}
fs::path storiesFolder() {
    return test::sharedDir() / "models/stories260K";
}

std::vector<std::string> sampleTexts() {
    std::vector<std::string> texts{"Once upon a time, there was a little girl named Lily.",
                                   "Hello world",
                                   "x",
                                   "",
                                   "Tom said: \"Wow!\" 123 4567.\nThe end.",
                                   "caf\xC3\xA9 \xE2\x9C\x93"};
    const std::string corpus = test::readText(test::sharedDir() / "data/stories_a.txt");
    for (std::size_t start = 0; start < 3000 && start < corpus.size(); start += 500)
        texts.push_back(corpus.substr(start, 400));
    return texts;
}

} // namespace

class TestGgufModel : public QObject {
    Q_OBJECT

private slots:

    // llama.cpp's converter wrote stories260K-f32.gguf from the llama2.c checkpoint the HF folder
    // was also made from: same config, same logits, same token ids.
    void storiesMatchesFolder() {
        ANATOMIST_REQUIRE_SHARED("models/stories260K-llama2c/stories260K-f32.gguf");
        ANATOMIST_REQUIRE_SHARED("models/stories260K/config.json");
        ANATOMIST_REQUIRE_SHARED("data/stories_a.txt");
        auto gguf = core::loadModel(storiesGguf(), {}, core::nullJobContext());
        auto folder = core::loadModel(storiesFolder(), {}, core::nullJobContext());
        QCOMPARE(gguf.spec->family, std::string("Llama"));
        QCOMPARE(gguf.config.num_hidden_layers, folder.config.num_hidden_layers);
        QCOMPARE(gguf.config.num_key_value_heads, folder.config.num_key_value_heads);
        QCOMPARE(gguf.config.intermediate_size, folder.config.intermediate_size);
        QCOMPARE(gguf.config.tie_word_embeddings, folder.config.tie_word_embeddings);
        QCOMPARE(gguf.config.norm_eps, folder.config.norm_eps);
        QVERIFY(gguf.tokenizer);

        const auto texts = sampleTexts();
        torch::InferenceMode inference;
        for (const auto& text : texts) {
            // The folder's SentencePiece model removes leading and repeated spaces; llama.cpp's
            // tokenizer, and so a GGUF vocabulary, keeps them (tst_llama_cpp checks those).
            if (!text.empty() &&
                (text.front() == ' ' || text.back() == ' ' || text.find("  ") != std::string::npos))
                continue;
            const auto a = gguf.tokenizer->encodeIds(text, true);
            const auto b = folder.tokenizer->encodeIds(text, true);
            QVERIFY2(a == b, text.c_str());
            QCOMPARE(gguf.tokenizer->decode(a, true), folder.tokenizer->decode(b, true));
        }
        const auto ids = folder.tokenizer->encodeIds(texts.back(), true);
        auto t = torch::tensor(std::vector<int64_t>(ids.begin(), ids.end()), torch::kInt64)
                     .view({1, -1});
        const double d = maxAbs(gguf.model->forward(t).logits, folder.model->forward(t).logits);
        ANATOMIST_COMPARE_NEAR(d, 0.0, 1e-5, "stories260K GGUF vs folder logits (max abs diff)");
    }

    void roundTrip_data() {
        QTest::addColumn<QString>("variant");
        for (const char* v : kFamilies)
            QTest::newRow(v) << QString::fromLatin1(v);
    }

    // Folder → GGUF f32 → model: every parameter identical (Gemma's norms within one float32
    // step of 1, since GGUF stores 1 + w), and the golden logits of the fixture.
    void roundTrip() {
        QFETCH(QString, variant);
        const std::string name = variant.toStdString();
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/" + name + "/expected.json");
        const fs::path folder = test::sharedDir() / "fixtures/arch" / name;
        auto original = core::loadModel(folder, {}, core::nullJobContext());
        test::TempDir temp;
        core::exportGguf(*original.model, temp / "m.gguf", {}, core::nullJobContext());
        auto back = core::loadModel(temp / "m.gguf", {}, core::nullJobContext());
        QCOMPARE(back.spec, original.spec);
        QCOMPARE(back.config.layer_types, original.config.layer_types);
        QCOMPARE(back.config.layer_rope, original.config.layer_rope);
        QCOMPARE(back.config.sliding_window, original.config.sliding_window);
        QCOMPARE(back.config.query_pre_attn_scalar, original.config.query_pre_attn_scalar);
        QCOMPARE(back.config.final_logit_softcapping, original.config.final_logit_softcapping);

        const auto a = original.model->named_parameters(true);
        const auto b = back.model->named_parameters(true);
        QCOMPARE(a.size(), b.size());
        const bool plusOne = name.rfind("gemma3", 0) == 0;
        for (const auto& item : a) {
            const auto& other = b[item.key()];
            QCOMPARE(other.sizes(), item.value().sizes());
            const bool isNorm = item.key().find("norm") != std::string::npos;
            if (plusOne && isNorm)
                QVERIFY2(maxAbs(other, item.value()) <= 6e-8, item.key().c_str());
            else
                QVERIFY2(torch::equal(other, item.value()), item.key().c_str());
        }
        const auto expected = test::readJson(folder / "expected.json");
        torch::InferenceMode inference;
        const auto logits = back.model->forward(idsTensor(expected["input_ids"][1])).logits[0];
        std::vector<double> flat;
        for (const auto& row : expected["logits"])
            for (const auto& v : row)
                flat.push_back(v.get<double>());
        const auto e = torch::tensor(flat, torch::kFloat64).view(logits.sizes());
        ANATOMIST_COMPARE_NEAR(maxAbs(logits, e), 0.0, 1e-4,
                               name + " re-imported logits vs golden");
    }

    // The file holds what llama.cpp expects: GGUF names, [out, in] rows with dims reversed, q/k
    // rows of each head interleaved (row 2i = rotate-half row i, row 2i+1 = row i + d/2), and no
    // output.weight when the embeddings are tied.
    void llamaLayoutInFile() {
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/llama/config.json");
        auto original =
            core::loadModel(test::sharedDir() / "fixtures/arch/llama", {}, core::nullJobContext());
        test::TempDir temp;
        core::exportGguf(*original.model, temp / "m.gguf", {}, core::nullJobContext());
        const auto file = core::GgufFile::open(temp / "m.gguf");
        QCOMPARE(file->requireString("general.architecture"), std::string("llama"));
        QCOMPARE(file->requireInt("llama.block_count"), int64_t(3));
        QCOMPARE(file->requireInt("llama.attention.head_count_kv"), int64_t(2));
        QVERIFY(file->findTensor("output.weight")); // the llama fixture has its own lm_head
        const auto* k = file->findTensor("blk.1.attn_k.weight");
        QVERIFY(k);
        QCOMPARE(k->dims, (std::vector<int64_t>{64, 32}));
        const auto stored = core::dequantizeTensor(*file, *k);
        const auto hf =
            original.model->named_parameters(true)["model.layers.1.self_attn.k_proj.weight"];
        const int64_t headDim = 16;
        for (int64_t h = 0; h < 2; ++h)
            for (int64_t i = 0; i < headDim / 2; ++i) {
                QVERIFY(torch::equal(stored[h * headDim + 2 * i], hf[h * headDim + i]));
                QVERIFY(torch::equal(stored[h * headDim + 2 * i + 1],
                                     hf[h * headDim + i + headDim / 2]));
            }

        auto tied =
            core::loadModel(test::sharedDir() / "fixtures/arch/qwen2", {}, core::nullJobContext());
        core::exportGguf(*tied.model, temp / "q.gguf", {}, core::nullJobContext());
        const auto q = core::GgufFile::open(temp / "q.gguf");
        QVERIFY(!q->findTensor("output.weight"));
        QVERIFY(q->findTensor("blk.0.attn_q.bias"));
    }

    // Per-layer MLP widths: llama.cpp's deci architecture with a per-layer feed_forward_length
    // array (runs in llama.cpp: tst_llama_cpp), and Anatomist opens such a file again.
    void perLayerWidthsExportAsDeci() {
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/llama/config.json");
        auto original =
            core::loadModel(test::sharedDir() / "fixtures/arch/llama", {}, core::nullJobContext());
        core::ModelConfig config = original.config;
        config.layer_intermediate_sizes = {128, 96, 64};
        core::CausalLM variant(config, *original.spec,
                               torch::TensorOptions().dtype(torch::kFloat32));
        test::TempDir temp;
        core::exportGguf(variant, temp / "w.gguf", {}, core::nullJobContext());
        const auto file = core::GgufFile::open(temp / "w.gguf");
        QCOMPARE(file->requireString("general.architecture"), std::string("deci"));
        QCOMPARE(*file->optionalIntArray("deci.feed_forward_length"),
                 (std::vector<int64_t>{128, 96, 64}));
        QCOMPARE(file->findTensor("blk.2.ffn_up.weight")->dims, (std::vector<int64_t>{64, 64}));
        // Read back with the widths per layer (Anatomist's per-layer key in the config document).
        const auto back = core::loadModel(temp / "w.gguf", {}, core::nullJobContext());
        QCOMPARE(back.model->config().layer_intermediate_sizes,
                 (std::vector<int64_t>{128, 96, 64}));
        QCOMPARE(back.model->config().intermediate_size, int64_t(128));
    }

    // Per-layer head counts and a bypassed attention: a head-pruned variant is written as deci
    // with head_count / head_count_kv arrays and the bypassed layer's attn_output as zeros, and
    // reads back with the same per-layer heads and the variant's logits (llama.cpp runs such a
    // file: tst_llama_cpp).
    void perLayerHeadsAndBypassRoundTrip() {
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/llama/config.json");
        auto base =
            core::loadModel(test::sharedDir() / "fixtures/arch/llama", {}, core::nullJobContext());
        core::PrunePlan plan;
        plan.operations.push_back(
            {.op = core::PruneOpKind::PruneHeads, .layers = {1}, .kv_groups = {1}});
        plan.operations.push_back({.op = core::PruneOpKind::BypassAttention, .layers = {0}});
        const auto variant = core::applyPlan(*base.model, plan, {}, core::nullJobContext());
        test::TempDir temp;
        core::exportGguf(*variant.model, temp / "v.gguf", {}, core::nullJobContext());
        const auto file = core::GgufFile::open(temp / "v.gguf");
        QCOMPARE(file->requireString("general.architecture"), std::string("deci"));
        QCOMPARE(*file->optionalIntArray("deci.attention.head_count"),
                 (std::vector<int64_t>{4, 2, 4}));
        QCOMPARE(*file->optionalIntArray("deci.attention.head_count_kv"),
                 (std::vector<int64_t>{2, 1, 2}));
        QCOMPARE(file->findTensor("blk.1.attn_q.weight")->dims, (std::vector<int64_t>{64, 32}));
        QCOMPARE(file->findTensor("blk.1.attn_k.weight")->dims, (std::vector<int64_t>{64, 16}));
        const auto zero =
            core::dequantizeTensor(*file, *file->findTensor("blk.0.attn_output.weight"));
        QCOMPARE(zero.abs().max().item<double>(), 0.0);
        QVERIFY(core::dequantizeTensor(*file, *file->findTensor("blk.1.attn_output.weight"))
                    .abs()
                    .max()
                    .item<double>() > 0);
        const auto back = core::loadModel(temp / "v.gguf", {}, core::nullJobContext());
        QCOMPARE(back.model->config().layer_num_attention_heads, (std::vector<int64_t>{4, 2, 4}));
        QCOMPARE(back.model->config().layer_num_key_value_heads, (std::vector<int64_t>{2, 1, 2}));
        torch::InferenceMode inference;
        const auto ids = torch::arange(3, 40, torch::kInt64).view({1, -1});
        const double diff =
            maxAbs(back.model->forward(ids).logits, variant.model->forward(ids).logits);
        QVERIFY2(diff <= 1e-5, qPrintable(QString::number(diff)));
        // The q/k rows of the pruned layer are the variant's, unpermuted back.
        const auto params = back.model->named_parameters(true);
        const auto original = variant.model->named_parameters(true);
        for (const char* name :
             {"model.layers.1.self_attn.q_proj.weight", "model.layers.1.self_attn.k_proj.weight"})
            QVERIFY2(torch::equal(params[name], original[name]), name);
    }

    // Byte-level BPE vocabularies ("gpt2"): a GGUF written from a tokenizer.json reads back as a
    // tokenizer giving that tokenizer.json's ids on the shared strings, with and without special
    // tokens. The reference drops a Qwen file's NFC step: llama.cpp applies no normalizer and GGUF
    // cannot say it. "gpt2-style" is gpt4o's vocabulary with GPT-2's own ByteLevel regex.
    void bpeVocabularyRoundTrip_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("pre");
        QTest::newRow("llama3") << "llama3"
                                << "llama-bpe";
        QTest::newRow("qwen3") << "qwen3"
                               << "qwen2";
        QTest::newRow("gpt4o") << "gpt4o"
                               << "gpt-4o";
        QTest::newRow("gpt2-style") << "gpt2-style"
                                    << "gpt-2";
    }
    void bpeVocabularyRoundTrip() {
        QFETCH(QString, name);
        QFETCH(QString, pre);
        ANATOMIST_REQUIRE_SHARED("fixtures/tokenizers/strings.json");
        const std::string n = name.toStdString();
        const auto fixture =
            test::sharedDir() / "fixtures/tokenizers" / (n == "gpt2-style" ? "gpt4o" : n);
        auto doc = test::readJson(fixture / "tokenizer.json");
        if (n == "gpt2-style")
            doc["pre_tokenizer"] = {{"type", "ByteLevel"},
                                    {"add_prefix_space", false},
                                    {"trim_offsets", true},
                                    {"use_regex", true}};
        doc["normalizer"] = nullptr;
        test::TempDir temp;
        fs::create_directories(temp / "tok");
        test::writeText(temp / "tok/tokenizer.json", doc.dump());
        fs::copy_file(fixture / "tokenizer_config.json", temp / "tok/tokenizer_config.json");
        core::GgufWriter writer;
        QVERIFY(core::writeGgufVocabulary(temp / "tok", writer));
        writer.write(temp / "v.gguf");
        const auto file = core::GgufFile::open(temp / "v.gguf");
        QCOMPARE(file->requireString("tokenizer.ggml.model"), std::string("gpt2"));
        QCOMPARE(file->requireString("tokenizer.ggml.pre"), pre.toStdString());
        const auto ours = core::tokenizerFromGguf(*file);
        const core::HfTokenizer reference(
            temp / "tok/tokenizer.json",
            core::readTokenizerConfig(temp / "tok/tokenizer_config.json"));
        QCOMPARE(ours->vocabSize(), reference.vocabSize());
        for (const auto& entry :
             test::readJson(test::sharedDir() / "fixtures/tokenizers/strings.json")) {
            const auto text = entry["text"].get<std::string>();
            const auto where = n + " " + entry["name"].get<std::string>();
            QVERIFY2(ours->encodeIds(text, false) == reference.encodeIds(text, false),
                     where.c_str());
            const auto full = reference.encodeIds(text, true);
            QVERIFY2(ours->encodeIds(text, true) == full, where.c_str());
            QVERIFY2(ours->decode(full, false) == reference.decode(full, false), where.c_str());
        }
    }

    // A "gpt2" vocabulary with a pre-tokenizer type Anatomist does not know is refused, naming the
    // file, the key and the value; one without merges likewise.
    void badBpeVocabulariesAreRefused() {
        test::TempDir temp;
        auto write = [&](const std::string& pre, bool merges) {
            core::GgufWriter w;
            w.setString("tokenizer.ggml.model", "gpt2");
            w.setString("tokenizer.ggml.pre", pre);
            w.setStringArray("tokenizer.ggml.tokens", {"a", "b", "ab"});
            if (merges)
                w.setStringArray("tokenizer.ggml.merges", {"a b"});
            w.write(temp / "t.gguf");
            return core::GgufFile::open(temp / "t.gguf");
        };
        const auto good = core::tokenizerFromGguf(*write("gpt-2", true));
        QCOMPARE(good->encodeIds("ab", false), (std::vector<core::TokenId>{2}));
        for (const auto& [pre, merges, needle] :
             {std::tuple<std::string, bool, std::string>{"falcon", true,
                                                         "'tokenizer.ggml.pre' is 'falcon'"},
              {"gpt-2", false, "'tokenizer.ggml.merges' is missing"}}) {
            try {
                core::tokenizerFromGguf(*write(pre, merges));
                QFAIL("accepted");
            } catch (const core::TokenizerError& e) {
                const std::string m = e.what();
                QVERIFY2(m.find(needle) != std::string::npos &&
                             m.find("t.gguf") != std::string::npos,
                         e.what());
            }
        }
    }

    // Quantised and half-precision exports: matrices stored in the requested type (vectors F32,
    // rows that are not whole blocks F16), loading back within the format's rounding.
    void typedExports() {
        ANATOMIST_REQUIRE_SHARED("models/stories260K/config.json");
        auto original = core::loadModel(storiesFolder(), {}, core::nullJobContext());
        const auto params = original.model->named_parameters(true);
        for (auto type : {core::GgmlType::F16, core::GgmlType::BF16, core::GgmlType::Q8_0}) {
            test::TempDir temp;
            core::GgufExportOptions options;
            options.type = type;
            options.tokenizerSource = storiesFolder();
            core::exportGguf(*original.model, temp / "m.gguf", options, core::nullJobContext());
            const auto file = core::GgufFile::open(temp / "m.gguf");
            QCOMPARE(file->findTensor("blk.0.attn_q.weight")->type, type);
            QCOMPARE(file->findTensor("blk.0.attn_norm.weight")->type, core::GgmlType::F32);
            // ffn_down rows are 172 long: not whole Q8_0 blocks.
            QCOMPARE(file->findTensor("blk.0.ffn_down.weight")->type,
                     type == core::GgmlType::Q8_0 ? core::GgmlType::F16 : type);
            auto back = core::loadModel(temp / "m.gguf", {}, core::nullJobContext());
            const auto loaded = back.model->named_parameters(true);
            for (const auto& item : params) {
                const auto& w = item.value();
                const double scale = w.abs().max().item<double>();
                // half: 2^-11 relative; bf16: 2^-9; q8_0: half a step of amax/127 per block plus
                // the scale's own rounding to half (127 * 2^-11 steps).
                const double tol = type == core::GgmlType::F16    ? scale * 1e-3
                                   : type == core::GgmlType::BF16 ? scale * 4e-3
                                                                  : scale / 127.0 * 0.6 + 1e-7;
                QVERIFY2(maxAbs(loaded[item.key()], w) <= tol, item.key().c_str());
            }
            QVERIFY(back.tokenizer);
        }
    }

    // Export of a GGUF back to a Hugging Face folder, and the CLI on GGUF paths.
    void cliExportAndInfo() {
        ANATOMIST_REQUIRE_SHARED("models/stories260K-llama2c/stories260K-f32.gguf");
        test::TempDir temp;
        auto r = test::runCli(
            {"export", storiesGguf().string(), "--format", "hf", "--out", (temp / "hf").string()});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        r = test::runCli({"export", storiesFolder().string(), "--format", "gguf", "--type", "q8_0",
                          "--out", (temp / "s.gguf").string(), "--json"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QCOMPARE(r.json()["format"].get<std::string>(), std::string("gguf"));
        r = test::runCli({"info", (temp / "s.gguf").string(), "--json"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        QCOMPARE(r.json()["summary"]["layers"].get<int64_t>(), int64_t(5));
        QCOMPARE(r.json()["tokenizer"]["kind"].get<std::string>(), std::string("sentencepiece"));
        r = test::runCli({"export", storiesGguf().string(), "--format", "gguf", "--type", "q4_k",
                          "--out", (temp / "x.gguf").string()});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.find("q4_k") != std::string::npos, r.err.c_str());

        auto a = core::loadModel(storiesGguf(), {}, core::nullJobContext());
        auto b = core::loadModel(temp / "hf", {}, core::nullJobContext());
        torch::InferenceMode inference;
        auto ids = torch::arange(1, 40, torch::kInt64).view({1, -1});
        QVERIFY(torch::equal(a.model->forward(ids).logits, b.model->forward(ids).logits));
    }

    // Each tensor's stored type and size, as loadModel hands them to the tree and `info --json`
    // prints them. Expected values by hand from the formats: Q8_0 is 34 bytes per 32 values (an
    // f16 scale and 32 int8), F16/BF16 2 bytes and F32 4 bytes per value.
    void storedTypesAndSizes() {
        ANATOMIST_REQUIRE_SHARED("models/stories260K/config.json");
        ANATOMIST_REQUIRE_SHARED("fixtures/arch/llama-bf16/config.json");
        test::TempDir temp;
        // stories260K as Q8_0 by the project's writer: matrices Q8_0, ffn_down F16 (rows of 172
        // are not whole blocks), norms F32; tied head, so no output tensor.
        auto original = core::loadModel(storiesFolder(), {}, core::nullJobContext());
        core::GgufExportOptions options;
        options.type = core::GgmlType::Q8_0;
        core::exportGguf(*original.model, temp / "s.gguf", options, core::nullJobContext());
        const auto gguf = core::loadModel(temp / "s.gguf", {}, core::nullJobContext());
        auto expectStored = [](const core::StoredTensors& stored, const std::string& name,
                               const std::string& type, uint64_t bytes) {
            const auto it = stored.find(name);
            QVERIFY2(it != stored.end(), name.c_str());
            QCOMPARE(it->second.type, type);
            QCOMPARE(it->second.bytes, bytes);
        };
        const std::string l0 = "model.layers.0.";
        expectStored(gguf.stored, "model.embed_tokens.weight", "Q8_0", 512 * 64 / 32 * 34);
        expectStored(gguf.stored, l0 + "self_attn.q_proj.weight", "Q8_0", 64 * 64 / 32 * 34);
        expectStored(gguf.stored, l0 + "self_attn.k_proj.weight", "Q8_0", 32 * 64 / 32 * 34);
        expectStored(gguf.stored, l0 + "mlp.gate_proj.weight", "Q8_0", 172 * 64 / 32 * 34);
        expectStored(gguf.stored, l0 + "mlp.down_proj.weight", "F16", 64 * 172 * 2);
        expectStored(gguf.stored, l0 + "input_layernorm.weight", "F32", 64 * 4);
        expectStored(gguf.stored, "model.norm.weight", "F32", 64 * 4);
        QCOMPARE(gguf.stored.size(), std::size_t(2 + 5 * 9));
        // A block: q, o 64×64, k, v 32×64, gate, up 172×64 in Q8_0; down F16; two norms F32.
        const uint64_t q8 = (2 * 64 * 64 + 2 * 32 * 64 + 2 * 172 * 64) / 32 * 34;
        const uint64_t block = q8 + 64 * 172 * 2 + 2 * 64 * 4;
        const uint64_t total = 512 * 64 / 32 * 34 + 5 * block + 64 * 4;
        const auto tree = core::describeModules(*gguf.model, gguf.stored);
        QCOMPARE(tree.storedBytes, total);
        QCOMPARE(tree.storedType, std::string("Q8_0+F16+F32")); // most bytes first
        uint64_t inFile = 0; // every tensor of the file is a parameter here
        for (const auto& t : core::GgufFile::open(temp / "s.gguf")->tensors())
            inFile += t.bytes;
        QCOMPARE(inFile, total);

        // The CLI's JSON: per node stored_type and stored_bytes.
        auto r = test::runCli({"info", (temp / "s.gguf").string(), "--json"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        const auto json = r.json()["tree"];
        QCOMPARE(json["stored_type"].get<std::string>(), std::string("Q8_0+F16+F32"));
        QCOMPARE(json["stored_bytes"].get<uint64_t>(), total);
        std::function<const nlohmann::json*(const nlohmann::json&, const std::string&)> find =
            [&](const nlohmann::json& node, const std::string& name) -> const nlohmann::json* {
            if (node["name"] == name)
                return &node;
            if (node.contains("children"))
                for (const auto& child : node["children"])
                    if (const auto* found = find(child, name))
                        return found;
            return nullptr;
        };
        const auto* layer = find(json, "model.layers.0");
        QVERIFY(layer);
        QCOMPARE((*layer)["stored_type"].get<std::string>(), std::string("Q8_0+F16+F32"));
        QCOMPARE((*layer)["stored_bytes"].get<uint64_t>(), block);
        const auto* mlp = find(json, "model.layers.0.mlp");
        QVERIFY(mlp);
        // gate + up 2 × 11696 bytes of Q8_0, down 22016 of F16.
        QCOMPARE((*mlp)["stored_type"].get<std::string>(), std::string("Q8_0+F16"));
        const auto* down = find(json, "model.layers.0.mlp.down_proj.weight");
        QVERIFY(down);
        QCOMPARE((*down)["stored_type"].get<std::string>(), std::string("F16"));
        QCOMPARE((*down)["stored_bytes"].get<uint64_t>(), uint64_t(64 * 172 * 2));
        QCOMPARE((*down)["dtype"].get<std::string>(), std::string("float32")); // computes in f32

        // safetensors in bfloat16: the header's dtype, 2 bytes a value, whatever the compute
        // dtype; the lm_head is its own tensor (not tied), so the total is the data section.
        const auto bf16Folder = test::sharedDir() / "fixtures/arch/llama-bf16";
        r = test::runCli({"info", bf16Folder.string(), "--json"});
        QVERIFY2(r.exitCode == 0, r.err.c_str());
        const auto bf16 = r.json();
        const auto parameters = bf16["summary"]["parameters"].get<uint64_t>();
        QCOMPARE(bf16["tree"]["stored_type"].get<std::string>(), std::string("BF16"));
        QCOMPARE(bf16["tree"]["stored_bytes"].get<uint64_t>(), 2 * parameters);
        const std::string file = test::readBytes(bf16Folder / "model.safetensors");
        uint64_t headerBytes = 0; // little-endian u64 at the start
        for (int i = 7; i >= 0; --i)
            headerBytes = headerBytes << 8 | uint8_t(file[std::size_t(i)]);
        QCOMPARE(bf16["tree"]["stored_bytes"].get<uint64_t>(), file.size() - 8 - headerBytes);
        const auto* q = find(bf16["tree"], "model.layers.1.self_attn.k_proj.weight");
        QVERIFY(q);
        QCOMPARE((*q)["stored_type"].get<std::string>(), std::string("BF16"));
        QCOMPARE((*q)["stored_bytes"].get<uint64_t>(), uint64_t(32 * 64 * 2));
        QCOMPARE((*q)["dtype"].get<std::string>(), std::string("float32"));

        // llama.cpp's own F32 conversion: 4 bytes a value throughout.
        ANATOMIST_REQUIRE_SHARED("models/stories260K-llama2c/stories260K-f32.gguf");
        const auto converted = core::loadModel(storiesGguf(), {}, core::nullJobContext());
        const auto convertedTree = core::describeModules(*converted.model, converted.stored);
        QCOMPARE(convertedTree.storedType, std::string("F32"));
        QCOMPARE(convertedTree.storedBytes, uint64_t(4 * convertedTree.parameters));
    }

    void badModelsAreRefused() {
        ANATOMIST_REQUIRE_SHARED("models/stories260K-llama2c/stories260K-f32.gguf");
        test::TempDir temp;
        auto expectError = [](const fs::path& path, core::ErrorKind kind, const char* needle) {
            try {
                core::loadModel(path, {}, core::nullJobContext());
                QFAIL("no error");
            } catch (const core::Error& e) {
                const std::string m = e.what();
                QVERIFY2(e.kind() == kind &&
                             m.find(path.filename().string()) != std::string::npos &&
                             m.find(needle) != std::string::npos,
                         e.what());
            }
        };
        const std::string bytes = test::readBytes(storiesGguf());
        test::writeBytes(temp / "cut.gguf", bytes.substr(0, bytes.size() / 2));
        expectError(temp / "cut.gguf", core::ErrorKind::Format, "truncated");

        core::GgufWriter w;
        w.setString("general.architecture", "mamba");
        w.write(temp / "arch.gguf");
        expectError(temp / "arch.gguf", core::ErrorKind::UnsupportedArchitecture, "mamba");

        core::GgufWriter n;
        n.setString("general.architecture", "llama");
        n.setU32("llama.block_count", 2);
        n.write(temp / "keys.gguf");
        expectError(temp / "keys.gguf", core::ErrorKind::Format, "llama.embedding_length");

        // A tensor type Anatomist cannot dequantise names the tensor and the type.
        auto original = core::loadModel(storiesGguf(), {}, core::nullJobContext());
        core::exportGguf(*original.model, temp / "q.gguf", {}, core::nullJobContext());
        std::string q = test::readBytes(temp / "q.gguf");
        const std::size_t at = q.find("blk.0.attn_q.weight") + 19 + 4 + 16; // name, n_dims, dims
        q[at] = char(core::GgmlType::I32);
        test::writeBytes(temp / "q.gguf", q);
        expectError(temp / "q.gguf", core::ErrorKind::Format, "I32");
    }
};

QTEST_GUILESS_MAIN(TestGgufModel)
#include "tst_gguf_model.moc"
