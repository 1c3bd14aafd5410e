#include "job.h"

#include "errors.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace anatomist::core {

void JobContext::throwIfCancelled() const {
    if (isCancelled())
        throw Cancelled();
}

JobContext& nullJobContext() {
    static JobContext context;
    return context;
}

void CallbackJobContext::setProgress(double fraction, std::string_view stage) {
    if (m_onProgress)
        m_onProgress(std::clamp(fraction, 0.0, 1.0), stage);
}

void CallbackJobContext::emitEvent(const nlohmann::json& event) {
    if (m_onEvent)
        m_onEvent(event);
}

void SubJobContext::setProgress(double fraction, std::string_view stage) {
    m_parent.setProgress(m_begin + (m_end - m_begin) * std::clamp(fraction, 0.0, 1.0), stage);
}

} // namespace anatomist::core
