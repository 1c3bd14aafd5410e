#pragma once
// ANATOMIST_STARTUP_TIMING set: prints to stderr how long after the process started the window
// was first shown (painted) and the model it opens at start-up was loaded, i.e. the window usable;
// "quit" also quits then. For measuring start-up (see README, Performance), not for users.

namespace anatomist::gui {

class MainWindow;

// Call just before the window is shown.
void watchStartupTiming(MainWindow& window);

} // namespace anatomist::gui
