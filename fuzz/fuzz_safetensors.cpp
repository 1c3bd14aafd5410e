// safetensors: the 8-byte header length, the JSON header (dtypes, shapes, offsets, metadata) and
// the byte range of every tensor, as SafetensorsFile::open checks them before any data is read.
// After a successful parse every tensor's range is touched, so that a range the parser accepted
// but that lies outside the input is an ASan report rather than a silent pass.
#include "fuzz_support.h"
#include "io/safetensors_header.h"

#include <cstdio>
#include <cstdlib>

using namespace anatomist;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::expectTypedErrors("fuzz_safetensors", [&] {
        const auto header = core::parseSafetensorsHeader(data, size, "model.safetensors");
        volatile uint8_t sink = 0;
        for (const auto& t : header.tensors) {
            const uint64_t bytes = static_cast<uint64_t>(t.numel()) * core::stDtypeSize(t.dtype);
            if (bytes != t.end - t.begin || header.dataOffset + t.end > size) {
                std::fprintf(stderr, "fuzz_safetensors: accepted tensor '%s' with a bad range\n",
                             t.name.c_str());
                std::abort();
            }
            if (t.end > t.begin)
                sink =
                    sink ^ data[header.dataOffset + t.begin] ^ data[header.dataOffset + t.end - 1];
        }
        (void)sink;
    });
    return 0;
}
