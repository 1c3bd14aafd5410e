// Compiled into every test executable (anatomist_add_test): the process settings anatomist-cli and
// anatomist apply first thing in main() (core/process_environment.h), applied before QTest's main.

#include "process_environment.h"

namespace {
const bool configured = (anatomist::core::configureProcess(), true);
} // namespace
