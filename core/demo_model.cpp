#include "demo_model.h"

#include <system_error>

namespace anatomist::core {

namespace fs = std::filesystem;

fs::path findDemoModel(const fs::path& exeDir) {
    const fs::path candidates[] = {
        exeDir.empty() ? fs::path() : exeDir / ".." / "share" / "anatomist" / "demo-model",
        fs::path(ANATOMIST_DEMO_MODEL_INSTALLED),
        fs::path(ANATOMIST_DEMO_MODEL_SOURCE),
    };
    std::error_code ec;
    for (const auto& c : candidates)
        if (!c.empty() && fs::exists(c / "config.json", ec))
            return fs::weakly_canonical(c, ec);
    return {};
}

fs::path executableDir() {
    std::error_code ec;
    const auto exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : exe.parent_path();
}

} // namespace anatomist::core
