// Loading a model folder that disagrees with itself: every case is a typed error whose message
// names the file and the tensor or key, and nothing in the folder is modified.

#include "errors.h"
#include "io/safetensors.h"
#include "job.h"
#include "model/model_loader.h"
#include "test_support.h"

#include <QObject>

using namespace anatomist;
namespace fs = std::filesystem;

namespace {

const char* kModel = "models/stories260K";

// A writable copy of stories260K whose tensors can be rewritten.
struct ModelCopy {
    test::TempDir dir;
    ModelCopy() { test::copyFolder(test::sharedDir() / kModel, dir.path()); }
    fs::path path() const { return dir.path(); }

    core::NamedTensors tensors() const {
        core::NamedTensors result;
        auto checkpoint = core::SafetensorsCheckpoint::open(path());
        for (const auto& name : checkpoint.names())
            result.emplace_back(name, checkpoint.load(name).clone());
        return result;
    }
    void writeTensors(const core::NamedTensors& tensors) const {
        core::writeSafetensors(path() / "model.safetensors", tensors);
    }
    void editConfig(const std::function<void(nlohmann::json&)>& edit) const {
        auto config = test::readJson(path() / "config.json");
        edit(config);
        test::writeText(path() / "config.json", config.dump(2));
    }
};

template <typename ErrorType>
void expectLoadError(const fs::path& folder, std::initializer_list<std::string> fragments) {
    try {
        core::LoadOptions options;
        options.loadTokenizer = false;
        core::loadModel(folder, options, core::nullJobContext());
    } catch (const ErrorType& e) {
        for (const auto& fragment : fragments)
            QVERIFY2(std::string(e.what()).find(fragment) != std::string::npos, e.what());
        return;
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QStringLiteral("wrong exception type: ") + QString::fromUtf8(e.what())));
    }
    QFAIL("the broken model loaded");
}

} // namespace

class TestModelErrors : public QObject {
    Q_OBJECT

private slots:
    void init() { ANATOMIST_REQUIRE_SHARED(std::string(kModel) + "/model.safetensors"); }

    void missingTensor() {
        ModelCopy copy;
        auto tensors = copy.tensors();
        std::erase_if(tensors,
                      [](const auto& t) { return t.first == "model.layers.2.mlp.up_proj.weight"; });
        copy.writeTensors(tensors);
        expectLoadError<core::MissingTensor>(
            copy.path(), {"model.layers.2.mlp.up_proj.weight", "model.safetensors"});
    }

    void extraTensor() {
        ModelCopy copy;
        auto tensors = copy.tensors();
        tensors.emplace_back("model.layers.0.mlp.surprise.weight", torch::zeros({2, 2}));
        copy.writeTensors(tensors);
        expectLoadError<core::UnexpectedTensor>(copy.path(),
                                                {"model.layers.0.mlp.surprise.weight"});
    }

    void shapeDisagreesWithConfig() {
        ModelCopy copy;
        copy.editConfig([](nlohmann::json& c) { c["intermediate_size"] = 180; });
        expectLoadError<core::ShapeMismatch>(copy.path(), {"mlp", "172", "180"});
    }

    void configMissingKey() {
        ModelCopy copy;
        copy.editConfig([](nlohmann::json& c) { c.erase("num_attention_heads"); });
        expectLoadError<core::ConfigError>(copy.path(), {"num_attention_heads", "config.json"});
    }

    void configNotJson() {
        ModelCopy copy;
        test::writeText(copy.path() / "config.json", "model_type = llama\n");
        expectLoadError<core::Error>(copy.path(), {"config.json", "JSON"});
    }

    void unknownArchitecture() {
        ModelCopy copy;
        copy.editConfig([](nlohmann::json& c) {
            c["model_type"] = "phi";
            c["architectures"] = {"PhiForCausalLM"};
        });
        expectLoadError<core::UnsupportedArchitecture>(copy.path(),
                                                       {"PhiForCausalLM", "LlamaForCausalLM"});
    }

    void truncatedWeights() {
        ModelCopy copy;
        const std::string bytes = test::readBytes(copy.path() / "model.safetensors");
        test::writeBytes(copy.path() / "model.safetensors", bytes.substr(0, bytes.size() - 1000));
        expectLoadError<core::FormatError>(copy.path(), {"model.safetensors"});
    }

    void pickleOnlyFolderIsRefused() {
        ModelCopy copy;
        fs::remove(copy.path() / "model.safetensors");
        test::writeBytes(copy.path() / "pytorch_model.bin", "\x80\x02pickle");
        expectLoadError<core::UnsafeFormat>(copy.path(), {"pytorch_model.bin", "safetensors"});
    }

    void brokenTokenizerIsNamed() {
        ModelCopy copy;
        test::writeBytes(copy.path() / "tokenizer.model", "\x0a\xff\xff\xff");
        try {
            core::loadModel(copy.path(), {}, core::nullJobContext());
            QFAIL("a broken tokenizer.model loaded");
        } catch (const core::TokenizerError& e) {
            QVERIFY2(std::string(e.what()).find("tokenizer.model") != std::string::npos, e.what());
        }
    }

    void sourceFolderIsNeverModified() {
        const auto before = test::readBytes(test::sharedDir() / kModel / "model.safetensors");
        auto loaded = core::loadModel(test::sharedDir() / kModel, {}, core::nullJobContext());
        {
            torch::NoGradGuard noGrad;
            // Zero-copy tensors are copy-on-write mappings: writing to them must not reach the
            // file.
            loaded.model->embedding().weight.zero_();
        }
        QCOMPARE(test::readBytes(test::sharedDir() / kModel / "model.safetensors"), before);
    }
};

QTEST_GUILESS_MAIN(TestModelErrors)
#include "tst_model_errors.moc"
