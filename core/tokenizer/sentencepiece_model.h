#pragma once
// Reading a SentencePiece `tokenizer.model` (a serialized ModelProto) without libsentencepiece:
// Debian's libsentencepiece carries its own protobuf 3.14 whose exported symbols clash with the
// protobuf 3.21 libtorch loads, so the two cannot share a process. The protobuf wire format is
// small, and only a handful of fields decide how text is encoded.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace anatomist::core {

struct SentencePieceModel {
    // ref: sentencepiece/src/sentencepiece_model.proto, ModelProto.SentencePiece.Type
    enum class PieceType {
        Normal = 1,
        Unknown = 2,
        Control = 3,
        UserDefined = 4,
        Unused = 5,
        Byte = 6
    };
    enum class ModelType { Unigram = 1, Bpe = 2, Word = 3, Char = 4 };

    struct Piece {
        std::string text;
        float score = 0;
        PieceType type = PieceType::Normal;
    };

    std::vector<Piece> pieces;
    ModelType modelType = ModelType::Unigram;
    bool byteFallback = false;
    bool treatWhitespaceAsSuffix = false;
    int32_t unkId = 0, bosId = 1, eosId = 2, padId = -1;
    std::string unkSurface = " \xE2\x81\x87 "; // " ⁇ "
    // NormalizerSpec
    std::string normalizerName;
    std::string precompiledCharsmap;
    bool addDummyPrefix = true;
    bool removeExtraWhitespaces = true;
    bool escapeWhitespaces = true;
};

// Throws TokenizerError naming the file when it is not a readable ModelProto.
SentencePieceModel parseSentencePieceModel(std::string_view bytes, const std::string& source);
SentencePieceModel readSentencePieceModel(const std::filesystem::path& file);

} // namespace anatomist::core
