#pragma once
// The options of distill and lora that each fill one key of their run document, and the trainer's
// options the two share, so that both read them the same way.

#include "args.h"

#include <nlohmann/json_fwd.hpp>
#include <set>
#include <string>
#include <vector>

namespace anatomist::cli {

struct RunFlag {
    const char* option; // without "--"
    const char* block;  // the run document's object: "train", "distill", "lora"
    const char* key;
    bool integer;
};

// steps, batch, accum, seq, lr, warmup, clip, seed, eval-every, checkpoint-every → "train".
const std::vector<RunFlag>& trainerRunFlags();

// Adds every flag's option to the command's option set.
void insertRunFlagOptions(std::set<std::string>& options, const std::vector<RunFlag>& flags);

// run[block][key] = the value of each flag given on the command line (blocks must exist).
void applyRunFlags(const Args& args, const std::vector<RunFlag>& flags, nlohmann::json& run);

} // namespace anatomist::cli
