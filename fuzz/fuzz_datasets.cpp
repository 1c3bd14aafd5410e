// Dataset and pair files: plain text (documents split on blank lines), JSONL texts, prompt pairs as
// JSONL and CSV. The first byte picks the reader; the rest is the file.
#include "analysis/dataset_files.h"
#include "fuzz_support.h"
#include "io/text_documents.h"

using namespace anatomist;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0)
        return 0;
    const uint8_t mode = data[0] % 5;
    const std::string_view content(reinterpret_cast<const char*>(data + 1), size - 1);
    fuzz::expectTypedErrors("fuzz_datasets", [&] {
        switch (mode) {
        case 0:
            (void)core::readTextDataset(fuzz::writeInput("data.txt", data + 1, size - 1));
            break;
        case 1:
            (void)core::readTextDataset(fuzz::writeInput("data.jsonl", data + 1, size - 1));
            break;
        case 2:
            (void)core::readPromptPairs(fuzz::writeInput("pairs.jsonl", data + 1, size - 1));
            break;
        case 3:
            (void)core::readPromptPairs(fuzz::writeInput("pairs.csv", data + 1, size - 1));
            break;
        default:
            (void)core::splitDocuments(content);
            (void)core::parseJsonlTexts(content, "data.jsonl");
            break;
        }
    });
    return 0;
}
