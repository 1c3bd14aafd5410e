// Our AdamW against libtorch's own torch::optim::AdamW (the C++ port of torch.optim.AdamW): the
// same parameters, gradients and per-step learning rates must give the same weights. Ours decays
// only matrices, so the reference puts 1-D parameters in a group with weight_decay 0.
#include "test_support.h"
#include "train/adamw.h"

#include <QObject>
#include <QTest>
#include <torch/torch.h>

using namespace anatomist;

namespace {

struct Parameters {
    std::vector<std::pair<std::string, torch::Tensor>> named;
    std::vector<torch::Tensor> matrices, vectors;
};

Parameters makeParameters(uint64_t seed) {
    torch::manual_seed(seed);
    Parameters p;
    const std::vector<std::pair<std::string, std::vector<int64_t>>> shapes = {
        {"w1", {6, 5}}, {"norm", {5}}, {"w2", {3, 6}}, {"bias", {3}}};
    for (const auto& [name, shape] : shapes) {
        auto t = torch::randn(shape, torch::kFloat32).requires_grad_(true);
        p.named.emplace_back(name, t);
        (shape.size() >= 2 ? p.matrices : p.vectors).push_back(t);
    }
    return p;
}

// The same gradient for both copies at a step: a fixed function of the step and the parameter.
void setGradients(const Parameters& p, int step) {
    torch::manual_seed(1000 + static_cast<uint64_t>(step));
    for (const auto& [name, t] : p.named)
        t.mutable_grad() = torch::randn_like(t) * (1.0 + 0.1 * step);
}

} // namespace

class TestAdamW : public QObject {
    Q_OBJECT

private slots:
    void matchesTorchOptimAdamWOverTwentySteps() {
        core::AdamWOptions options;
        options.beta1 = 0.9;
        options.beta2 = 0.95;
        options.eps = 1e-8;
        options.weightDecay = 0.1;

        auto ours = makeParameters(7);
        auto reference = makeParameters(7);
        for (std::size_t i = 0; i < ours.named.size(); ++i)
            QVERIFY(torch::equal(ours.named[i].second, reference.named[i].second));

        core::AdamW adamw(ours.named, options);
        const auto referenceOptions = [&](double decay) {
            return std::make_unique<torch::optim::AdamWOptions>(
                torch::optim::AdamWOptions(1e-3)
                    .betas({options.beta1, options.beta2})
                    .eps(options.eps)
                    .weight_decay(decay));
        };
        std::vector<torch::optim::OptimizerParamGroup> groups;
        groups.emplace_back(reference.matrices, referenceOptions(options.weightDecay));
        groups.emplace_back(reference.vectors, referenceOptions(0.0));
        torch::optim::AdamW torchAdamW(groups, torch::optim::AdamWOptions(1e-3));

        for (int step = 0; step < 20; ++step) {
            const double lr = 1e-2 * (1.0 + std::cos(step * 0.3)) + 1e-4; // changes every step
            setGradients(ours, step);
            setGradients(reference, step);
            adamw.step(lr);
            for (auto& group : torchAdamW.param_groups())
                static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
            torchAdamW.step();
        }
        QCOMPARE(adamw.stepCount(), int64_t{20});
        for (std::size_t i = 0; i < ours.named.size(); ++i) {
            const auto& name = ours.named[i].first;
            const double diff =
                (ours.named[i].second - reference.named[i].second).abs().max().item<double>();
            QVERIFY2(diff < 1e-6, (name + " differs by " + std::to_string(diff)).c_str());
        }
        // The parameters moved (a comparison of two unchanged copies would pass trivially).
        const auto start = makeParameters(7);
        for (std::size_t i = 0; i < ours.named.size(); ++i)
            QVERIFY((ours.named[i].second - start.named[i].second).abs().max().item<double>() >
                    1e-2);
    }
};

QTEST_GUILESS_MAIN(TestAdamW)
#include "tst_adamw.moc"
