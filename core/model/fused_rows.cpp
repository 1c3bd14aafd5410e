#include "fused_rows.h"

#include <torch/types.h>

namespace anatomist::core {

namespace {

// Whether `part` is exactly rows [offset, offset + rows) of the contiguous `whole`.
bool isRowsOf(const torch::Tensor& part, const torch::Tensor& whole, int64_t offset, int64_t rows) {
    if (!part.defined() || part.scalar_type() != whole.scalar_type() ||
        part.device() != whole.device() || part.dim() != whole.dim() || part.size(0) != rows ||
        !part.is_contiguous())
        return false;
    const int64_t rowElements = whole.dim() == 2 ? whole.size(1) : 1;
    if (whole.dim() == 2 && part.size(1) != rowElements)
        return false;
    const auto* base = static_cast<const char*>(whole.data_ptr());
    return part.data_ptr() == base + offset * rowElements * whole.element_size();
}

} // namespace

void FusedRows::fuse(const std::vector<LinearModule*>& parts, bool copyValues) {
    if (!parts.empty() && parts == m_parts && intact())
        return;
    m_parts.clear();
    m_weight = m_bias = torch::Tensor();
    if (parts.empty())
        return;
    const auto& first = *parts.front();
    int64_t total = 0;
    for (const auto* p : parts) {
        if (p->layout != LinearLayout::OutIn || p->inFeatures != first.inFeatures ||
            p->weight.scalar_type() != first.weight.scalar_type() ||
            p->weight.device() != first.weight.device() ||
            p->bias.defined() != first.bias.defined() || p->weight.size(0) != p->outFeatures)
            return;
        total += p->outFeatures;
    }
    // The buffer is the same kind of tensor as the parameters (normal, or inference tensors when
    // the model was built under InferenceMode), so that set_data accepts it.
    c10::InferenceMode sameKind(first.weight.is_inference());
    torch::NoGradGuard noGrad;
    m_weight = torch::empty({total, first.inFeatures}, first.weight.options());
    if (first.bias.defined())
        m_bias = torch::empty({total}, first.bias.options());
    int64_t offset = 0;
    for (auto* p : parts) {
        const int64_t rows = p->outFeatures;
        auto weightRows = m_weight.narrow(0, offset, rows);
        if (copyValues)
            weightRows.copy_(p->weight);
        p->weight.set_data(weightRows);
        if (m_bias.defined()) {
            auto biasRows = m_bias.narrow(0, offset, rows);
            if (copyValues)
                biasRows.copy_(p->bias);
            p->bias.set_data(biasRows);
        }
        offset += rows;
    }
    m_parts = parts;
}

bool FusedRows::usable() const {
    return !torch::GradMode::is_enabled() && intact();
}

bool FusedRows::intact() const {
    if (m_parts.empty())
        return false;
    int64_t offset = 0;
    for (const auto* p : m_parts) {
        const int64_t rows = p->outFeatures;
        if (!isRowsOf(p->weight, m_weight, offset, rows) ||
            (m_bias.defined() && !isRowsOf(p->bias, m_bias, offset, rows)))
            return false;
        offset += rows;
    }
    return offset == m_weight.size(0);
}

torch::Tensor FusedRows::forward(const torch::Tensor& x) const {
    auto y = projectRows(x, m_weight, m_bias);
    int64_t offset = 0;
    for (const auto* p : m_parts) {
        // A LoRA adapter adds its term to its part's columns, as LinearModule::forward does.
        if (p->loraA) {
            const auto h = p->loraDropout > 0 && p->is_training()
                               ? torch::dropout(x, p->loraDropout, true)
                               : x;
            y.narrow(-1, offset, p->outFeatures)
                .add_(p->loraB->forward(p->loraA->forward(h)) * p->loraScaling);
        }
        offset += p->outFeatures;
    }
    return y;
}

} // namespace anatomist::core
