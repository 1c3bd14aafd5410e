// tokenizer.json against the Rust `tokenizers` oracle
// (../shared/fixtures/tokenizers/*/expected.json), plus the failure modes and the regex details the
// fixtures only touch indirectly.
#include "errors.h"
#include "test_support.h"
#include "tokenizer/hf_regex.h"
#include "tokenizer/hf_tokenizer.h"
#include "tokenizer/tokenizer.h"

#include <QTest>
#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

using namespace anatomist::core;
namespace test = anatomist::test;
using Json = nlohmann::json;

namespace {

const char* const kFixtureTokenizers[] = {"llama3", "qwen3", "gemma3", "mistral", "gpt4o"};

std::string dump(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Loaded once per test run: the largest file (gemma3) takes seconds to parse.
const Tokenizer& fixtureTokenizer(const std::string& name) {
    static std::map<std::string, std::unique_ptr<Tokenizer>> cache;
    auto& slot = cache[name];
    if (!slot) {
        const auto path = test::sharedDir() / "fixtures/tokenizers" / name;
        slot = name == "llama2-derived" ? loadTokenizer(path / "llama2_derived_tokenizer.json")
                                        : loadTokenizer(path);
    }
    return *slot;
}

const Json& expectedFile(const std::string& name) {
    static std::map<std::string, Json> cache;
    auto& slot = cache[name];
    if (slot.is_null())
        slot = test::readJson(test::sharedDir() / "fixtures/tokenizers" / name / "expected.json");
    return slot;
}

// A small valid tokenizer.json; rows of the malformed test break one part of it.
Json minimalTokenizer() {
    return Json::parse(R"({
        "version": "1.0", "added_tokens": [{"id": 3, "content": "<s>", "special": true}],
        "normalizer": null, "pre_tokenizer": null, "post_processor": null, "decoder": null,
        "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2, "<s>": 3},
                  "merges": ["a b"]}})");
}

template <typename T> void compareJson(const T& actual, const Json& expected, const char* what) {
    if (Json(actual) != expected)
        QFAIL(qPrintable(QStringLiteral("%1 differ\n  got      %2\n  expected %3")
                             .arg(what, QString::fromStdString(dump(Json(actual))),
                                  QString::fromStdString(dump(expected)))));
}

} // namespace

class TestHfTokenizer : public QObject {
    Q_OBJECT
private slots:
    void fixtures_data() {
        QTest::addColumn<QString>("tokenizer");
        QTest::addColumn<int>("index");
        for (const char* name : kFixtureTokenizers) {
            const auto file = test::sharedDir() / "fixtures/tokenizers" / name / "expected.json";
            if (!std::filesystem::exists(file))
                continue; // fixtures() reports the missing asset
            const Json& cases = expectedFile(name)["cases"];
            for (std::size_t i = 0; i < cases.size(); ++i)
                QTest::addRow("%s/%s", name, cases[i]["name"].get<std::string>().c_str())
                    << QString(name) << int(i);
        }
    }
    void fixtures() {
        ANATOMIST_REQUIRE_SHARED("fixtures/tokenizers/llama3/expected.json");
        QFETCH(QString, tokenizer);
        QFETCH(int, index);
        const std::string name = tokenizer.toStdString();
        const Json& c = expectedFile(name)["cases"][std::size_t(index)];
        const Tokenizer& tok = fixtureTokenizer(name);
        const std::string text = c["text"];
        const Encoding plain = tok.encode(text, false);
        const Encoding special = tok.encode(text, true);
        compareJson(plain.ids, c["ids"], "ids");
        compareJson(plain.tokens, c["tokens"], "tokens");
        compareJson(special.ids, c["ids_with_special"], "ids with special tokens");
        compareJson(special.tokens, c["tokens_with_special"], "tokens with special tokens");
        const auto ids = c["ids"].get<std::vector<TokenId>>();
        const auto idsSpecial = c["ids_with_special"].get<std::vector<TokenId>>();
        compareJson(tok.decode(ids, false), c["decoded"], "decode");
        compareJson(tok.decode(idsSpecial, false), c["decoded_with_special"],
                    "decode with special");
        compareJson(tok.decode(idsSpecial, true), c["decoded_skip_special"],
                    "decode skipping special");
    }

    // A tokenizer.json derived from Llama 2's tokenizer.model: tokenizers agrees with
    // sentencepiece except on the cases comparison.json lists (special-token text).
    void llama2Derived_data() {
        QTest::addColumn<int>("index");
        const auto file = test::sharedDir() / "fixtures/tokenizers/spm-llama2/expected.json";
        if (!std::filesystem::exists(file))
            return;
        const Json cases = test::readJson(file)["cases"];
        for (std::size_t i = 0; i < cases.size(); ++i)
            QTest::addRow("%s", cases[i]["name"].get<std::string>().c_str()) << int(i);
    }
    void llama2Derived() {
        ANATOMIST_REQUIRE_SHARED("fixtures/tokenizers/llama2-derived/comparison.json");
        QFETCH(int, index);
        static const Json spm =
            test::readJson(test::sharedDir() / "fixtures/tokenizers/spm-llama2/expected.json");
        static const Json comparison = test::readJson(
            test::sharedDir() / "fixtures/tokenizers/llama2-derived/comparison.json");
        const Json& c = spm["cases"][std::size_t(index)];
        Json ids = c["ids"], decoded = c["decoded"];
        for (const auto& d : comparison["variants"]["legacy"]["differences"])
            if (d["name"] == c["name"])
                ids = d["hf_ids"], decoded = d["hf_decoded"];
        const Tokenizer& tok = fixtureTokenizer("llama2-derived");
        const std::string text = c["text"];
        compareJson(tok.encode(text, false).ids, ids, "ids");
        Json withBos = Json::array({1});
        withBos.insert(withBos.end(), ids.begin(), ids.end());
        compareJson(tok.encode(text, true).ids, withBos, "ids with special tokens");
        compareJson(tok.decode(ids.get<std::vector<TokenId>>(), false), decoded, "decode");
    }

    void malformed_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        const std::string valid = minimalTokenizer().dump();
        auto row = [](const char* name, const std::string& json, const char* message) {
            QTest::newRow(name) << QString::fromStdString(json) << QString(message);
        };
        row("truncated", valid.substr(0, valid.size() / 2), "not valid JSON");
        row("empty", "", "not valid JSON");
        row("not an object", "[1, 2]", "expected an object");
        Json j = minimalTokenizer();
        j["model"]["vocab"] = Json::array({"a", "b"});
        row("vocab is an array", j.dump(), "model.vocab: expected an object, found array");
        j = minimalTokenizer();
        j["model"]["vocab"]["a"] = "zero";
        row("vocab id is a string", j.dump(), "expected a non-negative integer id");
        j = minimalTokenizer();
        j["model"]["merges"] = "a b";
        row("merges is a string", j.dump(), "model.merges: expected an array");
        j = minimalTokenizer();
        j["model"]["merges"] = Json::array({"a z"});
        row("merge names unknown token", j.dump(),
            "model.merges[0]: token 'z' is not in the vocabulary");
        j = minimalTokenizer();
        j["model"]["merges"] = Json::array({"b a"});
        row("merged token unknown", j.dump(),
            "model.merges[0]: token 'ba' is not in the vocabulary");
        j = minimalTokenizer();
        j["model"]["merges"] = Json::array({Json::array({"a", 1})});
        row("merge pair of wrong types", j.dump(), "model.merges[0]: expected");
        j = minimalTokenizer();
        j["model"]["type"] = "WordPiece";
        row("unknown model type", j.dump(), "model.type: 'WordPiece' is an unsupported component");
        j = minimalTokenizer();
        j["model"].erase("vocab");
        row("missing vocab", j.dump(), "model: missing 'vocab'");
        j = minimalTokenizer();
        j["normalizer"] = {{"type", "BertNormalizer"}};
        row("unknown normalizer", j.dump(),
            "normalizer.type: 'BertNormalizer' is an unsupported component");
        j = minimalTokenizer();
        j["pre_tokenizer"] = {{"type", "Sequence"}, {"pretokenizers", {{{"type", "Punctuation"}}}}};
        row("unknown pre-tokenizer", j.dump(),
            "pre_tokenizer.pretokenizers[0].type: 'Punctuation' is an unsupported component");
        j = minimalTokenizer();
        j["decoder"] = {{"type", "WordPiece"}};
        row("unknown decoder", j.dump(), "decoder.type: 'WordPiece' is an unsupported component");
        j = minimalTokenizer();
        j["post_processor"] = {{"type", "Mystery"}};
        row("unknown post-processor", j.dump(), "'Mystery' is an unsupported component");
        j = minimalTokenizer();
        j["pre_tokenizer"] = {
            {"type", "Split"}, {"pattern", {{"Regex", "(a"}}}, {"behavior", "Isolated"}};
        row("regex does not compile", j.dump(), "does not compile");
        j = minimalTokenizer();
        j["pre_tokenizer"] = {
            {"type", "Split"}, {"pattern", {{"String", " "}}}, {"behavior", "Sideways"}};
        row("unknown split behaviour", j.dump(), "'Sideways' is an unsupported component");
        j = minimalTokenizer();
        j["added_tokens"][0]["id"] = "3";
        row("added token id is a string", j.dump(), "added_tokens[0].id: expected an integer");
    }
    void malformed() {
        QFETCH(QString, json);
        QFETCH(QString, message);
        try {
            HfTokenizer tokenizer(json.toStdString(), TokenizerConfig{}, "bad/tokenizer.json");
            QFAIL("no TokenizerError");
        } catch (const TokenizerError& e) {
            const QString what = QString::fromUtf8(e.what());
            QVERIFY2(what.startsWith("bad/tokenizer.json: "), qPrintable(what));
            QVERIFY2(what.contains(message), qPrintable(what));
        }
    }

    void minimalTokenizerWorks() {
        HfTokenizer tok(minimalTokenizer().dump(), TokenizerConfig{}, "minimal");
        QCOMPARE(tok.encode("ab<s>ba", false).ids, (std::vector<TokenId>{2, 3, 1, 0}));
        QCOMPARE(tok.vocabSize(), int64_t(4));
        QCOMPARE(tok.decode(std::vector<TokenId>{2, 3, 99}, false), std::string("ab <s>"));
    }

    // Oniguruma's \s is Unicode White_Space: NEL (U+0085) is a space, the BOM (U+FEFF) is not.
    void onigWhitespace_data() {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("matches");
        QTest::newRow("NEL is \\s") << R"(\s+)"
                                    << "a\u0085b" << 1;
        QTest::newRow("BOM is not \\s") << R"(\s+)"
                                        << "a\uFEFFb" << 0;
        QTest::newRow("NBSP and ideographic space") << R"(\s)"
                                                    << "\u00A0x\u3000" << 2;
        QTest::newRow("ZWSP is not \\s") << R"(\s)"
                                         << "\u200B" << 0;
        QTest::newRow("NEL is not \\S") << R"(\S+)"
                                        << "a\u0085b" << 2;
        QTest::newRow("BOM is \\S") << R"(\S+)"
                                    << "a\uFEFFb" << 1;
        QTest::newRow("class with \\s excludes NEL") << R"([^\s\p{L}]+)"
                                                     << "\u0085!\uFEFF" << 1;
        QTest::newRow("lookahead \\s+(?!\\S)") << R"(\s+(?!\S))"
                                               << "a \u0085 b" << 1;
        QTest::newRow("caseless long s") << R"((?i:'s))"
                                         << "it'\u017F" << 1;
    }
    void onigWhitespace() {
        QFETCH(QString, pattern);
        QFETCH(QString, text);
        QFETCH(int, matches);
        const HfRegex regex(pattern.toStdString());
        QCOMPARE(int(regex.findAll(text.toStdString()).size()), matches);
    }
    void onigWhitespaceEndToEnd() {
        ANATOMIST_REQUIRE_SHARED("fixtures/tokenizers/llama3/tokenizer.json");
        // In llama3's split regex NEL is whitespace, so "\u0085x" splits before x.
        const Tokenizer& tok = fixtureTokenizer("llama3");
        const auto withNel = tok.encode("a\u0085\u0085b", false).tokens;
        const auto withBom = tok.encode("a\uFEFF\uFEFFb", false).tokens;
        QVERIFY(withNel != withBom);
    }

    void invalidUtf8IsReadLossily() {
        HfTokenizer tok(minimalTokenizer().dump(), TokenizerConfig{}, "minimal");
        // U+FFFD is outside this vocabulary and there is no unk: it drops out, and a, b merge.
        QCOMPARE(tok.encode("a\xFF"
                            "b",
                            false)
                     .ids,
                 (std::vector<TokenId>{2}));
    }

    void cliJson() {
        ANATOMIST_REQUIRE_SHARED("fixtures/tokenizers/llama3/tokenizer.json");
        const auto folder = (test::sharedDir() / "fixtures/tokenizers/llama3").string();
        const auto result = test::runCli({"tokenize", folder, "--text", "Hello world", "--json"});
        QVERIFY2(result.exitCode == 0, result.err.c_str());
        const Json out = result.json();
        compareJson(out["ids"], Json::array({9906, 1917}), "ids");
        compareJson(out["tokens"], Json::array({"Hello", "\u0120world"}), "tokens");
        const auto decoded = test::runCli({"tokenize", folder, "--decode", "9906,1917", "--json"});
        QVERIFY2(decoded.exitCode == 0, decoded.err.c_str());
        compareJson(decoded.json()["text"], Json("Hello world"), "decoded text");
    }
    void cliBatch() {
        ANATOMIST_REQUIRE_SHARED("fixtures/tokenizers/gemma3/expected.json");
        const Json& cases = expectedFile("gemma3")["cases"];
        Json texts = Json::array();
        for (std::size_t i = 0; i < cases.size(); i += 7)
            texts.push_back(cases[i]["text"]);
        test::TempDir dir;
        test::writeText(dir / "batch.json", texts.dump());
        const auto folder = (test::sharedDir() / "fixtures/tokenizers/gemma3").string();
        const auto result = test::runCli(
            {"tokenize", folder, "--batch", (dir / "batch.json").string(), "--special"});
        QVERIFY2(result.exitCode == 0, result.err.c_str());
        const Json out = result.json();
        QCOMPARE(out.size(), texts.size());
        for (std::size_t i = 0, k = 0; i < cases.size(); i += 7, ++k) {
            compareJson(out[k]["ids"], cases[i]["ids"], "batch ids");
            compareJson(out[k]["ids_with_special"], cases[i]["ids_with_special"],
                        "batch ids with special");
        }
    }
    // `--bench --chunk lines` encodes each non-empty line by itself; its token count and ids hash
    // (FNV-1a over id + 1, 0 after each line: what benchmarks/tokenizer_hf_reference.cjs computes
    // for the Rust library) follow from the per-line encodings.
    void cliBenchChunksLines() {
        ANATOMIST_REQUIRE_SHARED("fixtures/tokenizers/llama3/tokenizer.json");
        const std::vector<std::string> lines = {"Hello world", "The year 2024 had 366 days.",
                                                "caf\xC3\xA9 na\xC3\xAFve"};
        test::TempDir dir;
        test::writeText(dir / "text.txt", lines[0] + "\n\n" + lines[1] + "\n" + lines[2] + "\n");
        const Tokenizer& tok = fixtureTokenizer("llama3");
        uint32_t hash = 2166136261u;
        std::size_t tokens = 0;
        for (const auto& line : lines) {
            for (const TokenId id : tok.encodeIds(line, false))
                hash = (hash ^ (uint32_t(id) + 1u)) * 16777619u, ++tokens;
            hash *= 16777619u;
        }
        char hex[16];
        std::snprintf(hex, sizeof hex, "%08x", hash);
        const auto folder = (test::sharedDir() / "fixtures/tokenizers/llama3").string();
        const auto result =
            test::runCli({"tokenize", folder, "--file", (dir / "text.txt").string(), "--bench",
                          "--chunk", "lines", "--passes", "1", "--json"});
        QVERIFY2(result.exitCode == 0, result.err.c_str());
        const Json out = result.json();
        QCOMPARE(out["chunks"].get<int>(), 3);
        QCOMPARE(out["bytes"].get<std::size_t>(),
                 lines[0].size() + lines[1].size() + lines[2].size());
        QCOMPARE(out["tokens"].get<std::size_t>(), tokens);
        QCOMPARE(out["ids_hash"].get<std::string>(), std::string(hex));
        QVERIFY(out["steady_mb_per_s"].get<double>() > 0);
        const auto bad = test::runCli({"tokenize", folder, "--text", "x", "--chunk", "lines"});
        QCOMPARE(bad.exitCode, 2);
    }
    void cliErrors() {
        test::TempDir dir;
        test::writeText(dir / "tokenizer.json", R"({"model": {"type": "Unigram"}})");
        const auto result = test::runCli({"tokenize", dir.path().string(), "--text", "x"});
        QVERIFY(result.exitCode != 0);
        QVERIFY2(result.err.find("unsupported component") != std::string::npos, result.err.c_str());
        const auto usage = test::runCli({"tokenize", dir.path().string()});
        QCOMPARE(usage.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestHfTokenizer)
#include "tst_hf_tokenizer.moc"
