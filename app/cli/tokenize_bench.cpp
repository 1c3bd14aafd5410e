#include "tokenize_bench.h"

#include "cli_common.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>

namespace anatomist::cli {

std::vector<std::string_view> benchChunks(std::string_view text, BenchChunking chunking) {
    std::vector<std::string_view> chunks;
    if (chunking == BenchChunking::Whole) {
        chunks.push_back(text);
        return chunks;
    }
    for (std::size_t begin = 0; begin < text.size();) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string_view::npos)
            end = text.size();
        if (end > begin)
            chunks.push_back(text.substr(begin, end - begin));
        begin = end + 1;
    }
    return chunks;
}

uint32_t tokenIdsHash(uint32_t hash, const std::vector<core::TokenId>& ids) {
    for (const core::TokenId id : ids)
        hash = (hash ^ (uint32_t(id) + 1u)) * 16777619u;
    return hash * 16777619u; // the chunk end: (hash ^ 0) * prime
}

namespace {

double threadCpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

struct Pass {
    double wall = 0, cpu = 0;
    std::size_t tokens = 0;
    uint32_t hash = kTokenIdsHashSeed;
};

Pass encodeAll(const core::Tokenizer& tokenizer, const std::vector<std::string_view>& chunks,
               bool special) {
    Pass pass;
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = threadCpuSeconds();
    for (const auto chunk : chunks) {
        const auto ids = tokenizer.encodeIds(chunk, special);
        pass.tokens += ids.size();
        // Hashing is part of the loop on both sides of the comparison; it costs ~1 ns a token.
        pass.hash = tokenIdsHash(pass.hash, ids);
    }
    pass.cpu = threadCpuSeconds() - c0;
    pass.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return pass;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

} // namespace

// The first pass starts with an empty word cache; the later ones show the steady state. CPU time
// is reported next to wall time because on a shared machine it is the steadier of the two.
int runTokenizeBench(const core::Tokenizer& tokenizer, const std::string& text,
                     const TokenizeBenchOptions& options) {
    const auto chunks = benchChunks(text, options.chunking);
    std::size_t bytes = 0;
    for (const auto chunk : chunks)
        bytes += chunk.size();
    const Pass first = encodeAll(tokenizer, chunks, options.special);
    std::vector<double> walls, cpus;
    double total = 0;
    while (int(walls.size()) < options.minPasses || total < options.minSeconds) {
        const Pass pass = encodeAll(tokenizer, chunks, options.special);
        if (pass.hash != first.hash || pass.tokens != first.tokens)
            throw std::runtime_error(
                "tokenize --bench: a later pass gave other ids than the first");
        walls.push_back(pass.wall);
        cpus.push_back(pass.cpu);
        total += pass.wall;
    }
    const double mb = double(bytes) / 1e6, wall = median(walls), cpu = median(cpus);
    char hash[16];
    std::snprintf(hash, sizeof hash, "%08x", first.hash);
    if (options.json) {
        printJson({{"bytes", bytes},
                   {"chunks", chunks.size()},
                   {"tokens", first.tokens},
                   {"ids_hash", hash},
                   {"first_pass_seconds", first.wall},
                   {"first_pass_mb_per_s", mb / first.wall},
                   {"first_pass_cpu_mb_per_s", mb / first.cpu},
                   {"seconds", wall},
                   {"cpu_seconds", cpu},
                   {"steady_mb_per_s", mb / wall},
                   {"steady_cpu_mb_per_s", mb / cpu},
                   {"passes", walls.size()}});
        return 0;
    }
    std::cout << "bytes         " << bytes << " in " << chunks.size() << " chunks\ntokens        "
              << first.tokens << " (ids hash " << hash << ")\nfirst pass    "
              << fixed(mb / first.wall, 2) << " MB/s wall, " << fixed(mb / first.cpu, 2)
              << " MB/s CPU\nsteady state  " << fixed(mb / wall, 2) << " MB/s wall, "
              << fixed(mb / cpu, 2) << " MB/s CPU (median of " << walls.size() << " passes)\n";
    return 0;
}

} // namespace anatomist::cli
