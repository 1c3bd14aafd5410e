// config.json → ModelConfig: defaults the Hugging Face config classes apply, and errors that name
// the file and the key for missing, mistyped or inconsistent values and unsupported architectures.

#include "errors.h"
#include "model/arch_registry.h"
#include "model/llama_config_json.h"
#include "test_support.h"

#include <QObject>
#include <set>

using namespace anatomist;
using nlohmann::json;

namespace {

json llamaConfig() {
    return {{"architectures", {"LlamaForCausalLM"}},
            {"model_type", "llama"},
            {"vocab_size", 256},
            {"hidden_size", 64},
            {"intermediate_size", 128},
            {"num_hidden_layers", 2},
            {"num_attention_heads", 4},
            {"num_key_value_heads", 2},
            {"max_position_embeddings", 128},
            {"rms_norm_eps", 1e-5}};
}

// Expects a ConfigError / UnsupportedArchitecture mentioning every fragment.
template <typename ErrorType>
void expectError(const json& document, std::initializer_list<std::string> fragments) {
    try {
        core::resolveConfig(document, "/models/x/config.json");
    } catch (const ErrorType& e) {
        const std::string message = e.what();
        QVERIFY2(message.find("/models/x/config.json") != std::string::npos, e.what());
        for (const auto& fragment : fragments)
            QVERIFY2(message.find(fragment) != std::string::npos, e.what());
        return;
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QStringLiteral("wrong exception type: ") + QString::fromUtf8(e.what())));
    }
    QFAIL("the configuration was accepted");
}

} // namespace

class TestModelConfig : public QObject {
    Q_OBJECT

private slots:
    // The one writer of the Llama configs Anatomist makes (llama2.c import, training, bench
    // shapes): the keys each caller wrote by hand before, and a document that loads back.
    void llamaConfigJsonKeysAndRoundTrip() {
        core::LlamaConfigFields f{.vocab_size = 32,
                                  .hidden_size = 16,
                                  .intermediate_size = 40,
                                  .num_hidden_layers = 3,
                                  .num_attention_heads = 4,
                                  .num_key_value_heads = 2,
                                  .max_position_embeddings = 64,
                                  .head_dim = 4,
                                  .tie_word_embeddings = true,
                                  .writeBiasFlags = true,
                                  .bos_token_id = 1,
                                  .eos_token_id = 2};
        const json imported = core::llamaConfigJson(f);
        std::set<std::string> keys;
        for (const auto& [key, value] : imported.items())
            keys.insert(key);
        const std::set<std::string> expected{"architectures",
                                             "model_type",
                                             "vocab_size",
                                             "hidden_size",
                                             "intermediate_size",
                                             "num_hidden_layers",
                                             "num_attention_heads",
                                             "num_key_value_heads",
                                             "head_dim",
                                             "max_position_embeddings",
                                             "rms_norm_eps",
                                             "rope_theta",
                                             "hidden_act",
                                             "tie_word_embeddings",
                                             "attention_bias",
                                             "mlp_bias",
                                             "bos_token_id",
                                             "eos_token_id",
                                             "torch_dtype"};
        QVERIFY(keys == expected);
        QVERIFY(imported["architectures"] == json({"LlamaForCausalLM"}));
        QVERIFY(imported["hidden_act"] == json("silu"));
        QVERIFY(imported["torch_dtype"] == json("float32"));
        const auto loaded = core::resolveConfig(imported, "written config").config;
        QCOMPARE(loaded.hidden_size, int64_t{16});
        QCOMPARE(loaded.intermediate_size, int64_t{40});
        QCOMPARE(loaded.num_key_value_heads, int64_t{2});
        QCOMPARE(loaded.head_dim, int64_t{4});
        QVERIFY(loaded.tie_word_embeddings);
        QCOMPARE(loaded.norm_eps, 1e-5);
        QCOMPARE(loaded.eos_token_ids, std::vector<int64_t>{2});

        // Another family's name, no optional keys: no "architectures", no ids, no head_dim.
        const json plain =
            core::llamaConfigJson({.model_type = "qwen2", .torch_dtype = std::nullopt});
        for (const char* absent : {"architectures", "head_dim", "attention_bias", "bos_token_id",
                                   "eos_token_id", "torch_dtype"})
            QVERIFY2(!plain.contains(absent), absent);
        QVERIFY(plain["model_type"] == json("qwen2"));
    }

    void llamaDefaults() {
        const auto resolved = core::resolveConfig(llamaConfig(), "config.json");
        const auto& c = resolved.config;
        QCOMPARE(c.head_dim, int64_t(16));      // hidden / heads when head_dim is absent
        QCOMPARE(c.tie_word_embeddings, false); // LlamaConfig default
        QCOMPARE(c.rope_theta, 10000.0);
        QVERIFY(!c.rope_scaling);
        QCOMPARE(c.kvGroupSize(), int64_t(2));
        QCOMPARE(c.hidden_act, core::Activation::Silu);
        QCOMPARE(int(c.layer_types.size()), 2);
    }

    void kvHeadsDefaultToHeads() {
        auto document = llamaConfig();
        document.erase("num_key_value_heads");
        QCOMPARE(core::resolveConfig(document, "config.json").config.num_key_value_heads,
                 int64_t(4));
    }

    void llama3RopeScaling() {
        auto document = llamaConfig();
        document["rope_theta"] = 500000.0;
        document["rope_scaling"] = {{"rope_type", "llama3"},
                                    {"factor", 32.0},
                                    {"low_freq_factor", 1.0},
                                    {"high_freq_factor", 4.0},
                                    {"original_max_position_embeddings", 8192}};
        document["eos_token_id"] = {128001, 128008, 128009};
        document["tie_word_embeddings"] = true;
        const auto c = core::resolveConfig(document, "config.json").config;
        QVERIFY(c.rope_scaling);
        QCOMPARE(c.rope_scaling->rope_type, std::string("llama3"));
        QCOMPARE(c.rope_scaling->factor, 32.0);
        QCOMPARE(c.eos_token_ids, (std::vector<int64_t>{128001, 128008, 128009}));
        QVERIFY(c.tie_word_embeddings);
        QCOMPARE(c.rope_theta, 500000.0);
    }

    void missingKeyIsNamed_data() {
        QTest::addColumn<QString>("key");
        for (const char* key : {"hidden_size", "num_hidden_layers", "num_attention_heads",
                                "vocab_size", "intermediate_size"})
            QTest::newRow(key) << QString::fromLatin1(key);
    }

    void missingKeyIsNamed() {
        QFETCH(QString, key);
        auto document = llamaConfig();
        document.erase(key.toStdString());
        expectError<core::ConfigError>(document, {key.toStdString()});
    }

    void wrongTypeIsNamed() {
        auto document = llamaConfig();
        document["hidden_size"] = "sixty-four";
        expectError<core::ConfigError>(document, {"hidden_size"});
    }

    void inconsistentHeads() {
        auto document = llamaConfig();
        document["num_key_value_heads"] = 3; // 4 query heads cannot share 3 KV heads
        expectError<core::ConfigError>(document, {"num_key_value_heads"});
    }

    void nonPositiveSize() {
        auto document = llamaConfig();
        document["num_hidden_layers"] = 0;
        expectError<core::ConfigError>(document, {"num_hidden_layers"});
    }

    void unknownRopeType() {
        auto document = llamaConfig();
        document["rope_scaling"] = {{"rope_type", "yarn-unheard-of"}, {"factor", 2.0}};
        expectError<core::ConfigError>(document, {"rope"});
    }

    void unsupportedArchitectureListsSupported() {
        auto document = llamaConfig();
        document["model_type"] = "phi";
        document["architectures"] = {"PhiForCausalLM"};
        expectError<core::UnsupportedArchitecture>(
            document,
            {"PhiForCausalLM", "LlamaForCausalLM", "Qwen3ForCausalLM", "GPT2LMHeadModel"});
    }

    void familiesResolve_data() {
        QTest::addColumn<QString>("modelType");
        QTest::addColumn<QString>("architecture");
        QTest::newRow("mistral") << "mistral"
                                 << "MistralForCausalLM";
        QTest::newRow("qwen2") << "qwen2"
                               << "Qwen2ForCausalLM";
        QTest::newRow("qwen3") << "qwen3"
                               << "Qwen3ForCausalLM";
        QTest::newRow("gemma3_text") << "gemma3_text"
                                     << "Gemma3ForCausalLM";
    }

    void familiesResolve() {
        QFETCH(QString, modelType);
        QFETCH(QString, architecture);
        auto document = llamaConfig();
        document["model_type"] = modelType.toStdString();
        document["architectures"] = {architecture.toStdString()};
        document["head_dim"] = 16;
        const auto resolved = core::resolveConfig(document, "config.json");
        QCOMPARE(resolved.config.model_type, modelType.toStdString());
        QVERIFY(resolved.spec != nullptr);
    }

    void nonJsonConfigFile() {
        test::TempDir dir;
        test::writeText(dir / "config.json", "{\"model_type\": \"llama\", ");
        try {
            core::readModelConfig(dir / "config.json");
            QFAIL("broken JSON was accepted");
        } catch (const core::Error& e) {
            QVERIFY2(std::string(e.what()).find((dir / "config.json").string()) !=
                         std::string::npos,
                     e.what());
        }
        QVERIFY_THROWS_EXCEPTION(core::Error, core::readModelConfig(dir / "absent.json"));
    }

    void configRoundTripPreservesUnknownKeys() {
        auto document = llamaConfig();
        document["my_custom_key"] = "kept";
        const auto resolved = core::resolveConfig(document, "config.json");
        const auto written = core::configToJson(resolved.config, *resolved.spec);
        QCOMPARE(written["my_custom_key"].get<std::string>(), std::string("kept"));
        const auto again = core::resolveConfig(written, "config.json");
        QCOMPARE(again.config.hidden_size, resolved.config.hidden_size);
        QCOMPARE(again.config.head_dim, resolved.config.head_dim);
    }
};

QTEST_GUILESS_MAIN(TestModelConfig)
#include "tst_model_config.moc"
