#include "train/trainable_model.h"

#include <torch/torch.h>

namespace anatomist::core {

LoadedModel loadModelForTraining(const std::filesystem::path& folder, const LoadOptions& options,
                                 JobContext& job) {
    c10::InferenceMode normalTensors(false);
    return loadModel(folder, options, job);
}

std::shared_ptr<CausalLM> trainableCopy(const CausalLM& model) {
    c10::InferenceMode normalTensors(false);
    auto copy = std::make_shared<CausalLM>(model.config(), model.spec(), model.options());
    torch::NoGradGuard noGrad;
    auto source = model.named_parameters(true);
    for (auto& item : copy->named_parameters(true))
        item.value().copy_(source[item.key()]);
    copy->train(model.is_training());
    return copy;
}

} // namespace anatomist::core
