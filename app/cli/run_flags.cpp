#include "run_flags.h"

#include <nlohmann/json.hpp>

namespace anatomist::cli {

const std::vector<RunFlag>& trainerRunFlags() {
    static const std::vector<RunFlag> flags = {
        {"steps", "train", "steps", true},
        {"batch", "train", "batch_size", true},
        {"accum", "train", "grad_accum", true},
        {"seq", "train", "seq_len", true},
        {"lr", "train", "lr", false},
        {"warmup", "train", "warmup_steps", true},
        {"clip", "train", "clip", false},
        {"seed", "train", "seed", true},
        {"eval-every", "train", "eval_every", true},
        {"checkpoint-every", "train", "checkpoint_every", true},
    };
    return flags;
}

void insertRunFlagOptions(std::set<std::string>& options, const std::vector<RunFlag>& flags) {
    for (const auto& f : flags)
        options.insert(f.option);
}

void applyRunFlags(const Args& args, const std::vector<RunFlag>& flags, nlohmann::json& run) {
    for (const auto& f : flags)
        if (args.has(f.option))
            run[f.block][f.key] = f.integer ? nlohmann::json(args.intValue(f.option, 0))
                                            : nlohmann::json(args.doubleValue(f.option, 0));
}

} // namespace anatomist::cli
