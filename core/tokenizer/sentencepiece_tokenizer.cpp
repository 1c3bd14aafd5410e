#include "sentencepiece_tokenizer.h"

#include "errors.h"

#include <sentencepiece_processor.h>

namespace anatomist::core {

namespace {

std::optional<TokenId> pieceId(const sentencepiece::SentencePieceProcessor& sp,
                               const std::optional<std::string>& piece, int fallback) {
    if (piece) {
        const int id = sp.PieceToId(*piece);
        // PieceToId answers unk for unknown pieces; only accept a real match.
        if (id >= 0 && sp.IdToPiece(id) == *piece)
            return id;
    }
    if (fallback >= 0)
        return fallback;
    return std::nullopt;
}

} // namespace

SentencePieceTokenizer::SentencePieceTokenizer(const std::filesystem::path& modelFile,
                                               const TokenizerConfig& config)
    : m_sp(std::make_unique<sentencepiece::SentencePieceProcessor>()) {
    const auto status = m_sp->Load(modelFile.string());
    if (!status.ok())
        throw TokenizerError(modelFile.string() + ": not a SentencePiece model (" +
                             std::string(status.message()) + ")");
    m_bos = pieceId(*m_sp, config.bos_token, m_sp->bos_id());
    m_eos = pieceId(*m_sp, config.eos_token, m_sp->eos_id());
    m_pad = pieceId(*m_sp, config.pad_token, m_sp->pad_id());
    m_unk = pieceId(*m_sp, config.unk_token, m_sp->unk_id());
    m_addBos = config.add_bos_token.value_or(true);
    m_addEos = config.add_eos_token.value_or(false);
}

SentencePieceTokenizer::~SentencePieceTokenizer() = default;

void SentencePieceTokenizer::addSpecial(std::vector<TokenId>& ids) const {
    if (m_addBos && m_bos)
        ids.insert(ids.begin(), *m_bos);
    if (m_addEos && m_eos)
        ids.push_back(*m_eos);
}

std::vector<TokenId> SentencePieceTokenizer::encodeIds(std::string_view text,
                                                       bool addSpecialTokens) const {
    std::vector<int> raw;
    const auto status = m_sp->Encode(absl::string_view(text.data(), text.size()), &raw);
    if (!status.ok())
        throw TokenizerError("SentencePiece encode failed: " + std::string(status.message()));
    std::vector<TokenId> ids(raw.begin(), raw.end());
    if (addSpecialTokens)
        addSpecial(ids);
    return ids;
}

Encoding SentencePieceTokenizer::encode(std::string_view text, bool addSpecialTokens) const {
    sentencepiece::ImmutableSentencePieceText spt;
    const auto status =
        m_sp->Encode(absl::string_view(text.data(), text.size()), spt.mutable_proto());
    if (!status.ok())
        throw TokenizerError("SentencePiece encode failed: " + std::string(status.message()));
    Encoding out;
    out.ids.reserve(spt.pieces_size() + 2);
    out.tokens.reserve(spt.pieces_size() + 2);
    if (addSpecialTokens && m_addBos && m_bos) {
        out.ids.push_back(*m_bos);
        out.tokens.push_back(idToToken(*m_bos));
    }
    for (const auto& piece : spt.pieces()) {
        out.ids.push_back(static_cast<TokenId>(piece.id()));
        // An unknown run keeps its own surface as one piece, as sentencepiece reports it.
        out.tokens.push_back(piece.piece());
    }
    if (addSpecialTokens && m_addEos && m_eos) {
        out.ids.push_back(*m_eos);
        out.tokens.push_back(idToToken(*m_eos));
    }
    return out;
}

std::string SentencePieceTokenizer::decode(std::span<const TokenId> ids,
                                           bool skipSpecialTokens) const {
    std::vector<int> raw;
    raw.reserve(ids.size());
    for (TokenId id : ids) {
        if (id < 0 || id >= m_sp->GetPieceSize())
            throw InvalidArgument("token id " + std::to_string(id) + " is outside the vocabulary (" +
                                  std::to_string(m_sp->GetPieceSize()) + " pieces)");
        if (skipSpecialTokens && m_sp->IsControl(id))
            continue;
        raw.push_back(id);
    }
    std::string text;
    const auto status = m_sp->Decode(raw, &text);
    if (!status.ok())
        throw TokenizerError("SentencePiece decode failed: " + std::string(status.message()));
    return text;
}

std::string SentencePieceTokenizer::idToToken(TokenId id) const {
    if (id < 0 || id >= m_sp->GetPieceSize())
        throw InvalidArgument("token id " + std::to_string(id) + " is outside the vocabulary");
    return m_sp->IdToPiece(id);
}

std::optional<TokenId> SentencePieceTokenizer::tokenToId(std::string_view token) const {
    const int id = m_sp->PieceToId(absl::string_view(token.data(), token.size()));
    if (id < 0 || m_sp->IdToPiece(id) != token)
        return std::nullopt;
    return id;
}

int64_t SentencePieceTokenizer::vocabSize() const { return m_sp->GetPieceSize(); }

} // namespace anatomist::core
