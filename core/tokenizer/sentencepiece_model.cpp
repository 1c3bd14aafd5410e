#include "sentencepiece_model.h"

#include "errors.h"
#include "io/input_file.h"

#include <cstring>
#include <fstream>
#include <sstream>

namespace anatomist::core {

namespace {

// A cursor over protobuf wire-format bytes. Every read is bounds-checked: a truncated or corrupt
// model throws instead of reading past the buffer.
class WireReader {
public:
    WireReader(std::string_view bytes, const std::string& source)
        : m_data(bytes)
        , m_source(source) {}

    bool atEnd() const { return m_pos >= m_data.size(); }

    uint64_t varint() {
        uint64_t value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (atEnd())
                fail("truncated varint");
            const auto byte = static_cast<uint8_t>(m_data[m_pos++]);
            value |= uint64_t(byte & 0x7F) << shift;
            if (!(byte & 0x80))
                return value;
        }
        fail("varint longer than 10 bytes");
    }

    std::string_view bytes() {
        const uint64_t length = varint();
        if (length > m_data.size() - m_pos)
            fail("length-delimited field runs past the end");
        auto view = m_data.substr(m_pos, length);
        m_pos += length;
        return view;
    }

    float fixed32Float() {
        if (m_data.size() - m_pos < 4)
            fail("truncated 32-bit field");
        float value;
        std::memcpy(&value, m_data.data() + m_pos, 4); // protobuf is little-endian, as is x86/ARM
        m_pos += 4;
        return value;
    }

    void skip(uint32_t wireType) {
        switch (wireType) {
        case 0:
            varint();
            break;
        case 1:
            advance(8);
            break;
        case 2:
            bytes();
            break;
        case 5:
            advance(4);
            break;
        default:
            fail("unsupported wire type " + std::to_string(wireType));
        }
    }

    [[noreturn]] void fail(const std::string& problem) const {
        throw TokenizerError(m_source + ": not a valid SentencePiece model (" + problem + ")");
    }

private:
    void advance(std::size_t n) {
        if (m_data.size() - m_pos < n)
            fail("truncated field");
        m_pos += n;
    }

    std::string_view m_data;
    std::size_t m_pos = 0;
    const std::string& m_source;
};

SentencePieceModel::Piece readPiece(std::string_view bytes, const std::string& source) {
    WireReader in(bytes, source);
    SentencePieceModel::Piece piece;
    while (!in.atEnd()) {
        const uint64_t key = in.varint();
        const auto field = key >> 3;
        const auto wire = uint32_t(key & 7);
        if (field == 1 && wire == 2)
            piece.text = std::string(in.bytes());
        else if (field == 2 && wire == 5)
            piece.score = in.fixed32Float();
        else if (field == 3 && wire == 0) {
            const auto type = in.varint();
            if (type < 1 || type > 6)
                in.fail("unknown piece type " + std::to_string(type));
            piece.type = SentencePieceModel::PieceType(type);
        } else
            in.skip(wire);
    }
    return piece;
}

// ref: sentencepiece_model.proto TrainerSpec field numbers.
void readTrainerSpec(std::string_view bytes, SentencePieceModel& model, const std::string& source) {
    WireReader in(bytes, source);
    while (!in.atEnd()) {
        const uint64_t key = in.varint();
        const auto field = key >> 3;
        const auto wire = uint32_t(key & 7);
        if (wire == 0 && field == 3)
            model.modelType = SentencePieceModel::ModelType(in.varint());
        else if (wire == 0 && field == 24)
            model.treatWhitespaceAsSuffix = in.varint() != 0;
        else if (wire == 0 && field == 35)
            model.byteFallback = in.varint() != 0;
        else if (wire == 0 && field == 40)
            model.unkId = int32_t(in.varint());
        else if (wire == 0 && field == 41)
            model.bosId = int32_t(in.varint());
        else if (wire == 0 && field == 42)
            model.eosId = int32_t(in.varint());
        else if (wire == 0 && field == 43)
            model.padId = int32_t(in.varint());
        else if (wire == 2 && field == 44)
            model.unkSurface = std::string(in.bytes());
        else
            in.skip(wire);
    }
}

void readNormalizerSpec(std::string_view bytes, SentencePieceModel& model,
                        const std::string& source) {
    WireReader in(bytes, source);
    while (!in.atEnd()) {
        const uint64_t key = in.varint();
        const auto field = key >> 3;
        const auto wire = uint32_t(key & 7);
        if (wire == 2 && field == 1)
            model.normalizerName = std::string(in.bytes());
        else if (wire == 2 && field == 2)
            model.precompiledCharsmap = std::string(in.bytes());
        else if (wire == 0 && field == 3)
            model.addDummyPrefix = in.varint() != 0;
        else if (wire == 0 && field == 4)
            model.removeExtraWhitespaces = in.varint() != 0;
        else if (wire == 0 && field == 5)
            model.escapeWhitespaces = in.varint() != 0;
        else
            in.skip(wire);
    }
}

} // namespace

SentencePieceModel parseSentencePieceModel(std::string_view bytes, const std::string& source) {
    SentencePieceModel model;
    WireReader in(bytes, source);
    while (!in.atEnd()) {
        const uint64_t key = in.varint();
        const auto field = key >> 3;
        const auto wire = uint32_t(key & 7);
        if (field == 1 && wire == 2)
            model.pieces.push_back(readPiece(in.bytes(), source));
        else if (field == 2 && wire == 2)
            readTrainerSpec(in.bytes(), model, source);
        else if (field == 3 && wire == 2)
            readNormalizerSpec(in.bytes(), model, source);
        else
            in.skip(wire);
    }
    if (model.pieces.empty())
        in.fail("no pieces");
    const auto n = int32_t(model.pieces.size());
    if (model.unkId < 0 || model.unkId >= n ||
        model.pieces[std::size_t(model.unkId)].type != SentencePieceModel::PieceType::Unknown)
        in.fail("unk_id " + std::to_string(model.unkId) + " is not an UNKNOWN piece");
    for (int32_t* id : {&model.bosId, &model.eosId, &model.padId})
        if (*id >= n)
            in.fail("special id " + std::to_string(*id) + " is outside the " + std::to_string(n) +
                    " pieces");
    return model;
}

SentencePieceModel readSentencePieceModel(const std::filesystem::path& file) {
    std::ifstream in;
    try {
        in = openInputFile(file);
    } catch (const IoError& e) {
        throw TokenizerError(e.what());
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return parseSentencePieceModel(buffer.str(), file.string());
}

} // namespace anatomist::core
