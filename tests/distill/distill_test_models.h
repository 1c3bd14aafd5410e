#pragma once
// Models for the distillation tests: tiny random Llamas, and students made from a teacher by
// removing one layer (the later layers renumbered), as a depth-pruning engine would.

#include "model/causal_lm.h"
#include "tokenizer/tokenizer.h"

#include <filesystem>
#include <memory>
#include <vector>

namespace anatomist::test {

std::shared_ptr<core::CausalLM> tinyLlama(int layers, uint64_t seed, torch::ScalarType dtype,
                                          int64_t vocab = 24, int64_t hidden = 32);

// A model with teacher's layers except `removed`, weights copied (layers after it move down one).
std::shared_ptr<core::CausalLM> withoutLayer(const core::CausalLM& teacher, int removed);

// The same for a model folder: config.json with one layer fewer, model.safetensors with the
// renumbered weights, the tokenizer files copied. No variant.json (tests write their own).
// `count` token documents of 12 to 31 ids below 24 in simple arithmetic patterns (learnable).
std::vector<std::vector<core::TokenId>> patternDocuments(int count);

void writeFolderWithoutLayer(const std::filesystem::path& teacherDir, int removed,
                             const std::filesystem::path& outDir);

} // namespace anatomist::test
