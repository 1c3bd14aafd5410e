#pragma once
// The gradient all-reduce of a data-parallel step, overlapped with backward (the idea of PyTorch
// DDP's reducer). The trainable parameters are grouped, in reverse order (roughly the order in
// which backward finishes them), into buckets of about bucketBytes. While armed, a hook on each
// parameter's gradient accumulator marks the parameter ready; a bucket whose parameters are all
// ready is flattened and its all-reduce started at once, in bucket order (collectives are matched
// by the order they start in, so every rank starts the same ones in the same order). finish()
// starts the buckets backward did not reach (parameters without a gradient count as zeros), waits,
// and writes the sums back into .grad. On 2 ranks the sums equal one flat all-reduce's element by
// element (a + b either way); on more, Gloo's ring may add in another order (rounding only).
//
// Arm it only around the last backward pass of a step (the earlier micro-batches' gradients are
// not final yet). Not thread-safe; the hooks run on the thread that calls backward (CPU autograd).

#include <ATen/Tensor.h>
#include <cstdint>
#include <memory>
#include <vector>

namespace anatomist::core {

class Communicator;

class GradientBuckets {
public:
    GradientBuckets(std::vector<at::Tensor> parameters, Communicator& communicator,
                    int64_t bucketBytes);
    ~GradientBuckets();
    GradientBuckets(const GradientBuckets&) = delete;
    GradientBuckets& operator=(const GradientBuckets&) = delete;

    void arm();
    void disarm(); // idempotent; also done by the destructor
    // Completes the step's all-reduce; IoError when a rank is lost.
    void finish();

    std::size_t bucketCount() const;
    // Seconds spent in the hooks (flattening, starting) since the last finish(), and the number of
    // buckets started from backward (the rest started in finish()).
    double hookSeconds() const;
    std::size_t startedInBackward() const;

    struct State; // the hooks' view of it lives in gradient_buckets.cpp

private:
    std::unique_ptr<State> m_state;
};

} // namespace anatomist::core
