#include "startup_timing.h"

#include "main_window.h"
#include "model_controller.h"

#include <QCoreApplication>
#include <QTimer>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace anatomist::gui {

namespace {

// From the kernel's start time of this process (/proc/self/stat field 22, in clock ticks after
// boot), so the dynamic loading of the libraries before main() counts too.
double millisecondsSinceProcessStart() {
    std::ifstream in("/proc/self/stat");
    std::string line;
    std::getline(in, line);
    const auto close = line.rfind(')');
    if (close == std::string::npos)
        return -1;
    std::istringstream fields(line.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22; ++i)
        fields >> field;
    timespec now{};
    ::clock_gettime(CLOCK_BOOTTIME, &now);
    const double started = std::stod(field) / double(::sysconf(_SC_CLK_TCK));
    return (double(now.tv_sec) + double(now.tv_nsec) * 1e-9 - started) * 1000.0;
}

} // namespace

void watchStartupTiming(MainWindow& window) {
    const QByteArray mode = qgetenv("ANATOMIST_STARTUP_TIMING");
    if (mode.isEmpty())
        return;
    // Zero-delay timers run after the events already queued, the first paint included.
    QTimer::singleShot(0, &window, [] {
        std::cerr << "startup: window shown " << millisecondsSinceProcessStart()
                  << " ms after the process started" << std::endl;
    });
    const bool quit = mode == "quit";
    QObject::connect(&window.models(), &ModelController::modelLoaded, &window, [quit, &window] {
        QTimer::singleShot(0, &window, [quit] {
            std::cerr << "startup: model loaded, window usable " << millisecondsSinceProcessStart()
                      << " ms after the process started" << std::endl;
            if (quit)
                QCoreApplication::quit();
        });
    });
}

} // namespace anatomist::gui
