// llama2.c checkpoint header (7 int32 sizes, checked against each other and the file length).
#include "fuzz_support.h"
#include "model/llama2c_import.h"

using namespace anatomist;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto path = fuzz::writeInput("model.bin", data, size);
    fuzz::expectTypedErrors("fuzz_llama2c", [&] { (void)core::readLlama2cHeader(path); });
    return 0;
}
