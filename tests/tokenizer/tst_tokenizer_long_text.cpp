// Long texts through the fast paths of the tokenizers (word caches, SentencePiece-style texts cut
// at ▁ into independent segments), against expectations computed here without them:
// - byte-level BPE (Llama 3, Qwen 3, GPT-4o): the pre-tokenizer's regex never joins a
//   non-space character to a following space, so the documents of ../shared/data joined by " "
//   encode as the concatenation of doc 0 and " " + doc i, each encoded by itself;
// - SentencePiece-style BPE over whole documents (tokenizer.model's score order, tokenizer.json's
//   merge ranks): equal to a naive quadratic BPE written below, which merges the best adjacent
//   pair of the whole text at every step, with no cutting and no cache;
// - the caches are used: a second pass over the same text finds every word in the cache.
#include "test_support.h"
#include "tokenizer/hf_tokenizer.h"
#include "tokenizer/sentencepiece_model.h"
#include "tokenizer/sentencepiece_tokenizer.h"
#include "tokenizer/tokenizer.h"

#include <QTest>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <unordered_map>

using namespace anatomist::core;
namespace test = anatomist::test;
using Json = nlohmann::json;

namespace {

constexpr std::string_view kMarker = "\xE2\x96\x81"; // ▁

// The documents of stories_a.txt and technical.txt (one per line), plus one line of the fixture
// strings that are not special-token texts (Unicode, code, odd whitespace).
std::vector<std::string> documents() {
    std::vector<std::string> docs;
    for (const char* name : {"data/stories_a.txt", "data/technical.txt"}) {
        const std::string text = test::readText(test::sharedDir() / name);
        for (std::size_t begin = 0; begin < text.size();) {
            std::size_t end = text.find('\n', begin);
            if (end == std::string::npos)
                end = text.size();
            if (end > begin)
                docs.push_back(text.substr(begin, end - begin));
            begin = end + 1;
        }
    }
    std::string mixed;
    for (const auto& s : test::readJson(test::sharedDir() / "fixtures/tokenizers/strings.json")) {
        const std::string text = s["text"];
        if (!s["name"].get<std::string>().starts_with("sp_") &&
            text.find_first_not_of(" \t\r\n") != std::string::npos)
            mixed += (mixed.empty() ? "" : " ") + text;
    }
    docs.push_back(mixed);
    return docs;
}

std::vector<std::string> utf8Chars(std::string_view text) {
    std::vector<std::string> chars;
    for (std::size_t pos = 0; pos < text.size();) {
        const auto lead = static_cast<unsigned char>(text[pos]);
        const std::size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        chars.emplace_back(text.substr(pos, n));
        pos += n;
    }
    return chars;
}

std::string replaceSpaces(std::string_view text) {
    std::string out;
    for (const char c : text)
        out += c == ' ' ? std::string(kMarker) : std::string(1, c);
    return out;
}

// Repeatedly merges the adjacent pair that `rank` ranks first (a lower key is better; leftmost on
// ties) until no adjacent pair has a rank.
template <typename Rank> void naiveMerge(std::vector<std::string>& symbols, Rank rank) {
    for (;;) {
        std::optional<std::pair<double, std::size_t>> best;
        for (std::size_t i = 0; i + 1 < symbols.size(); ++i)
            if (const auto r = rank(symbols[i], symbols[i + 1]); r && (!best || *r < best->first))
                best = {{*r, i}};
        if (!best)
            return;
        symbols[best->second] += symbols[best->second + 1];
        symbols.erase(symbols.begin() + std::ptrdiff_t(best->second) + 1);
    }
}

// Pieces to ids; a piece outside the vocabulary becomes its bytes (<0xAB>), as byte fallback does.
template <typename Lookup>
std::vector<TokenId> piecesToIds(const std::vector<std::string>& pieces, Lookup lookup) {
    std::vector<TokenId> ids;
    for (const auto& piece : pieces) {
        if (const auto id = lookup(piece)) {
            ids.push_back(*id);
            continue;
        }
        for (const unsigned char byte : piece) {
            char name[8];
            std::snprintf(name, sizeof name, "<0x%02X>", byte);
            ids.push_back(lookup(name).value());
        }
    }
    return ids;
}

std::string describe(const std::vector<TokenId>& got, const std::vector<TokenId>& expected) {
    std::size_t i = 0;
    while (i < got.size() && i < expected.size() && got[i] == expected[i])
        ++i;
    return "lengths " + std::to_string(got.size()) + " and " + std::to_string(expected.size()) +
           ", first difference at " + std::to_string(i);
}

const Tokenizer& fixture(const std::string& relative) {
    static std::map<std::string, std::unique_ptr<Tokenizer>> cache;
    auto& slot = cache[relative];
    if (!slot)
        slot = loadTokenizer(test::sharedDir() / "fixtures/tokenizers" / relative);
    return *slot;
}

} // namespace

class TestTokenizerLongText : public QObject {
    Q_OBJECT
private slots:
    void byteLevelConcatenation_data() {
        QTest::addColumn<QString>("tokenizer");
        for (const char* name : {"llama3", "qwen3", "gpt4o"})
            QTest::newRow(name) << name;
    }
    void byteLevelConcatenation() {
        ANATOMIST_REQUIRE_SHARED("fixtures/tokenizers/llama3/tokenizer.json");
        ANATOMIST_REQUIRE_SHARED("data/technical.txt");
        QFETCH(QString, tokenizer);
        const Tokenizer& tok = fixture(tokenizer.toStdString() + "/tokenizer.json");
        const auto docs = documents();
        std::string joined;
        std::vector<TokenId> expected;
        for (std::size_t i = 0; i < docs.size(); ++i) {
            QVERIFY(!docs[i].empty() && docs[i].back() != ' ');
            const std::string part = i ? " " + docs[i] : docs[i];
            const auto ids = tok.encodeIds(part, false);
            expected.insert(expected.end(), ids.begin(), ids.end());
            joined += part;
        }
        QVERIFY(expected.size() > 20000); // about 140 kB of text
        const auto whole = tok.encodeIds(joined, false);
        QVERIFY2(whole == expected, describe(whole, expected).c_str());
        QVERIFY(tok.encode(joined, false).ids == expected);
    }

    // tokenizer.model: the highest-scoring mergeable pair first (sentencepiece's bpe_model.cc).
    void sentencePieceMatchesNaiveBpe() {
        const std::string relative = "spm-llama2/tokenizer.model";
        ANATOMIST_REQUIRE_SHARED("fixtures/tokenizers/" + relative);
        ANATOMIST_REQUIRE_SHARED("data/technical.txt");
        const auto model =
            readSentencePieceModel(test::sharedDir() / "fixtures/tokenizers" / relative);
        std::unordered_map<std::string, std::size_t> index;
        for (std::size_t i = 0; i < model.pieces.size(); ++i)
            if (model.pieces[i].type == SentencePieceModel::PieceType::Normal)
                index.emplace(model.pieces[i].text, i);
        const auto& tok = dynamic_cast<const SentencePieceTokenizer&>(fixture(relative));
        const auto docs = documents();
        // Two passes: the first fills the segment cache, the second reads it.
        for (int pass = 0; pass < 2; ++pass)
            for (std::size_t d = 0; d < docs.size(); d += 9) {
                auto symbols = utf8Chars(tok.normalize(docs[d]));
                naiveMerge(
                    symbols,
                    [&](const std::string& a, const std::string& b) -> std::optional<double> {
                        const auto it = index.find(a + b);
                        if (it == index.end())
                            return std::nullopt;
                        return -double(model.pieces[it->second].score);
                    });
                const auto expected =
                    piecesToIds(symbols, [&](const std::string& p) { return tok.tokenToId(p); });
                const auto ids = tok.encodeIds(docs[d], false);
                QVERIFY2(ids == expected,
                         (std::to_string(d) + ": " + describe(ids, expected)).c_str());
                QVERIFY(tok.encode(docs[d], false).ids == expected);
            }
    }

    // tokenizer.json BPE without a pre-tokenizer: the lowest-ranked merge first (tokenizers'
    // word.rs), on Prepend("▁") + Replace(" ", "▁") as these files normalize.
    void sentencePieceStyleJsonMatchesNaiveBpe_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("mistral") << "mistral/tokenizer.json";
        QTest::newRow("llama2-derived") << "llama2-derived/llama2_derived_tokenizer.json";
    }
    void sentencePieceStyleJsonMatchesNaiveBpe() {
        ANATOMIST_REQUIRE_SHARED("fixtures/tokenizers/mistral/tokenizer.json");
        ANATOMIST_REQUIRE_SHARED("data/technical.txt");
        QFETCH(QString, file);
        const auto path = test::sharedDir() / "fixtures/tokenizers" / file.toStdString();
        const Json json = test::readJson(path);
        QCOMPARE(json["normalizer"]["normalizers"][0]["type"].get<std::string>(), "Prepend");
        QVERIFY(json["pre_tokenizer"].is_null());
        std::unordered_map<std::string, double> ranks; // "left right" → rank
        const Json& merges = json["model"]["merges"];
        for (std::size_t r = 0; r < merges.size(); ++r) {
            const std::string m = merges[r].is_string() ? merges[r].get<std::string>()
                                                        : merges[r][0].get<std::string>() + " " +
                                                              merges[r][1].get<std::string>();
            ranks[m] = double(r);
        }
        const Json& vocab = json["model"]["vocab"];
        const Tokenizer& tok = fixture(file.toStdString());
        const auto docs = documents();
        for (std::size_t d = 0; d < docs.size(); d += 9) {
            std::vector<std::string> symbols;
            for (auto& c : utf8Chars(std::string(kMarker) + replaceSpaces(docs[d])))
                if (vocab.contains(c)) {
                    symbols.push_back(c);
                } else { // byte fallback before merging, as model.rs merge_word
                    for (const TokenId id : piecesToIds({c}, [&](const std::string& p) {
                             return vocab.contains(p) ? std::optional(vocab[p].get<TokenId>())
                                                      : std::nullopt;
                         }))
                        symbols.push_back(tok.idToToken(id));
                }
            naiveMerge(symbols, [&](const std::string& a, const std::string& b) {
                const auto it = ranks.find(a + " " + b);
                return it == ranks.end() ? std::nullopt : std::optional(it->second);
            });
            const auto expected = piecesToIds(symbols, [&](const std::string& p) {
                return vocab.contains(p) ? std::optional(vocab[p].get<TokenId>()) : std::nullopt;
            });
            const auto ids = tok.encodeIds(docs[d], false);
            QVERIFY2(ids == expected, (std::to_string(d) + ": " + describe(ids, expected)).c_str());
        }
    }

    // The speed of natural text comes from the word caches: a second pass over the same text
    // looks every word up and finds it (counts, not times).
    void secondPassComesFromTheCache() {
        ANATOMIST_REQUIRE_SHARED("fixtures/tokenizers/qwen3/tokenizer.json");
        ANATOMIST_REQUIRE_SHARED("fixtures/tokenizers/spm-llama2/tokenizer.model");
        ANATOMIST_REQUIRE_SHARED("data/stories_a.txt");
        const std::string text = test::readText(test::sharedDir() / "data/stories_a.txt");
        // Qwen 3: Llama 3's ignore_merges would answer whole-vocabulary words before the cache.
        const auto& hf = dynamic_cast<const HfTokenizer&>(fixture("qwen3/tokenizer.json"));
        const auto& spm =
            dynamic_cast<const SentencePieceTokenizer&>(fixture("spm-llama2/tokenizer.model"));
        const auto check = [&](auto& tok, const char* name) {
            tok.encodeIds(text, false);
            const WordCacheStats before = tok.wordCacheStats();
            const auto ids = tok.encodeIds(text, false);
            const WordCacheStats after = tok.wordCacheStats();
            const uint64_t lookups = after.lookups - before.lookups;
            // Every word of 60 kB of stories is looked up (at least one per 8 tokens) ...
            QVERIFY2(lookups > ids.size() / 8, name);
            // ... and found: the first pass stored them all (the cache is far from full).
            QVERIFY2(after.entries < 20000, name);
            QCOMPARE(after.hits - before.hits, lookups);
            QCOMPARE(after.entries, before.entries);
        };
        check(hf, "qwen3");
        check(spm, "spm-llama2");
    }
};

QTEST_GUILESS_MAIN(TestTokenizerLongText)
#include "tst_tokenizer_long_text.moc"
