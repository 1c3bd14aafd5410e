#include "analysis/logit_lens.h"

#include "analysis/activations.h"
#include "errors.h"
#include "job.h"
#include "model/causal_lm.h"

namespace anatomist::core {

LogitLensResult logitLens(CausalLM& model, const std::vector<TokenId>& ids, int k, JobContext& job,
                          const Tokenizer* tokenizer) {
    if (ids.empty())
        throw InvalidArgument("logit lens: the prompt has no tokens");
    if (k < 1)
        throw InvalidArgument("logit lens: k must be at least 1");
    job.throwIfCancelled();
    torch::InferenceMode inference;
    const auto device = model.embedding().weight.device();
    TapRecorder recorder({TapPoint::Out});
    ForwardOptions forward;
    forward.computeLogits = false;
    forward.taps = &recorder;
    const auto idTensor =
        torch::tensor(std::vector<int64_t>(ids.begin(), ids.end()), torch::kInt64).unsqueeze(0);
    model.forward(idTensor.to(device), {}, forward);

    LogitLensResult out;
    out.ids = ids;
    if (tokenizer)
        for (TokenId id : ids)
            out.tokens.push_back(tokenizer->idToToken(id));
    const int L = model.numLayers();
    for (int l = 0; l < L; ++l) {
        job.throwIfCancelled();
        const auto x = recorder.value(TapPoint::Out, l);
        if (!x.defined())
            throw InvalidArgument("logit lens: layer " + std::to_string(l) + " produced no output");
        const auto logits = model.lmHead(model.finalNorm().forward(x[0])); // [T, V]
        const auto probs = torch::softmax(logits.to(torch::kFloat64), -1);
        const int kk = static_cast<int>(std::min<int64_t>(k, probs.size(1)));
        out.k = kk;
        const auto top = probs.topk(kk, -1);
        const auto valuesT = std::get<0>(top).cpu().contiguous();
        const auto indicesT = std::get<1>(top).cpu().contiguous();
        const auto values = valuesT.accessor<double, 2>();
        const auto indices = indicesT.accessor<int64_t, 2>();
        std::vector<LogitLensCell> row(ids.size());
        for (std::size_t t = 0; t < ids.size(); ++t) {
            auto& cell = row[t];
            for (int i = 0; i < kk; ++i) {
                const auto id = static_cast<TokenId>(indices[int64_t(t)][i]);
                cell.ids.push_back(id);
                cell.probs.push_back(values[int64_t(t)][i]);
                if (tokenizer)
                    cell.tokens.push_back(tokenizer->idToToken(id));
            }
        }
        out.layers.push_back(std::move(row));
        job.setProgress(double(l + 1) / double(L), "logit lens");
    }
    return out;
}

} // namespace anatomist::core
