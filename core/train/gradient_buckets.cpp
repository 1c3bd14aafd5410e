#include "train/gradient_buckets.h"

#include "train/communicator.h"

#include <chrono>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/variable.h>
#include <torch/torch.h>

namespace anatomist::core {

namespace {

using Clock = std::chrono::steady_clock;

struct Bucket {
    std::vector<std::size_t> parameters; // indices into State::parameters
    int64_t numel = 0;
    std::size_t waiting = 0; // parameters not ready yet
    at::Tensor flat;
    PendingReduce pending;
};

} // namespace

struct GradientBuckets::State {
    std::vector<at::Tensor> parameters;
    std::vector<std::size_t> bucketOf;
    std::vector<Bucket> buckets;
    Communicator* comm = nullptr;
    std::size_t next = 0; // the first bucket not started
    std::size_t startedInBackward = 0;
    double hookSeconds = 0;
    bool armed = false;
    // The accumulators the hooks sit on, kept alive while armed, and each hook's key.
    std::vector<std::shared_ptr<torch::autograd::Node>> accumulators;
    std::vector<uintptr_t> keys;

    void start(Bucket& bucket) {
        torch::NoGradGuard noGrad;
        std::vector<at::Tensor> flat;
        flat.reserve(bucket.parameters.size());
        for (std::size_t i : bucket.parameters) {
            const auto& p = parameters[i];
            const auto& grad = p.grad();
            flat.push_back(grad.defined() ? grad.reshape({-1})
                                          : torch::zeros({p.numel()}, p.options()));
        }
        bucket.flat = torch::cat(flat).cpu().contiguous();
        bucket.pending = comm->allReduceSumAsync(bucket.flat);
    }

    // Starts every bucket that is ready and has no earlier bucket still waiting.
    void startReady() {
        while (next < buckets.size() && buckets[next].waiting == 0)
            start(buckets[next++]);
    }

    void markReady(std::size_t parameter) {
        const auto begin = Clock::now();
        auto& bucket = buckets[bucketOf[parameter]];
        if (bucket.waiting > 0 && --bucket.waiting == 0) {
            const std::size_t before = next;
            startReady();
            startedInBackward += next - before;
        }
        hookSeconds += std::chrono::duration<double>(Clock::now() - begin).count();
    }
};

namespace {

class ReadyHook : public torch::autograd::FunctionPostHook {
public:
    ReadyHook(GradientBuckets::State* state, std::size_t parameter)
        : m_state(state)
        , m_parameter(parameter) {}
    torch::autograd::variable_list operator()(const torch::autograd::variable_list& outputs,
                                              const torch::autograd::variable_list&) override {
        m_state->markReady(m_parameter);
        return outputs;
    }

private:
    GradientBuckets::State* m_state;
    std::size_t m_parameter;
};

} // namespace

GradientBuckets::GradientBuckets(std::vector<at::Tensor> parameters, Communicator& communicator,
                                 int64_t bucketBytes)
    : m_state(std::make_unique<State>()) {
    auto& s = *m_state;
    s.parameters = std::move(parameters);
    s.comm = &communicator;
    s.bucketOf.resize(s.parameters.size());
    int64_t bytes = 0;
    for (std::size_t k = s.parameters.size(); k-- > 0;) {
        const auto& p = s.parameters[k];
        if (s.buckets.empty() || (bucketBytes > 0 && bytes >= bucketBytes)) {
            s.buckets.emplace_back();
            bytes = 0;
        }
        s.buckets.back().parameters.push_back(k);
        s.buckets.back().numel += p.numel();
        s.bucketOf[k] = s.buckets.size() - 1;
        bytes += p.numel() * int64_t(p.element_size());
    }
}

GradientBuckets::~GradientBuckets() {
    disarm();
}

void GradientBuckets::arm() {
    auto& s = *m_state;
    disarm(); // a step that failed half-way may have left hooks and started buckets: dropped

    for (auto& bucket : s.buckets) {
        bucket.waiting = bucket.parameters.size();
        bucket.pending = PendingReduce();
        bucket.flat = at::Tensor();
    }
    s.next = 0;
    s.startedInBackward = 0;
    s.hookSeconds = 0;
    for (std::size_t i = 0; i < s.parameters.size(); ++i) {
        auto accumulator = torch::autograd::impl::grad_accumulator(s.parameters[i]);
        TORCH_CHECK(accumulator, "GradientBuckets: a parameter without a gradient accumulator");
        s.keys.push_back(accumulator->add_post_hook(std::make_unique<ReadyHook>(&s, i)));
        s.accumulators.push_back(std::move(accumulator));
    }
    s.armed = true;
}

void GradientBuckets::disarm() {
    auto& s = *m_state;
    for (std::size_t i = 0; i < s.accumulators.size(); ++i)
        s.accumulators[i]->del_post_hook(s.keys[i]);
    s.accumulators.clear();
    s.keys.clear();
    s.armed = false;
}

void GradientBuckets::finish() {
    auto& s = *m_state;
    disarm();
    for (auto& bucket : s.buckets)
        bucket.waiting = 0; // what backward did not reach goes now, as zeros where there is no grad
    s.startReady();
    torch::NoGradGuard noGrad;
    for (auto& bucket : s.buckets) {
        bucket.pending.wait();
        int64_t offset = 0;
        for (std::size_t i : bucket.parameters) {
            auto p = s.parameters[i];
            auto sum = bucket.flat.narrow(0, offset, p.numel()).view(p.sizes()).to(p.device());
            offset += p.numel();
            if (p.grad().defined())
                p.mutable_grad().copy_(sum);
            else if (sum.abs().max().item<double>() > 0) // another rank's share reached it
                p.mutable_grad() = sum.clone();
        }
        bucket.flat = at::Tensor();
    }
    s.next = 0;
}

std::size_t GradientBuckets::bucketCount() const {
    return m_state->buckets.size();
}

double GradientBuckets::hookSeconds() const {
    return m_state->hookSeconds;
}

std::size_t GradientBuckets::startedInBackward() const {
    return m_state->startedInBackward;
}

} // namespace anatomist::core
