#pragma once
// One accessor per family file; arch_registry.cpp lists them (no static self-registration: the
// linker drops unused objects from static libraries).

#include "model/arch_spec.h"

namespace anatomist::core::arch {

const ArchSpec& llamaSpec();
const ArchSpec& mistralSpec();
const ArchSpec& qwen2Spec();
const ArchSpec& qwen3Spec();
const ArchSpec& gemma3Spec();
const ArchSpec& gpt2Spec();

} // namespace anatomist::core::arch
