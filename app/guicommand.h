#pragma once

namespace gp {

// `grokpulse [options]`: the desktop console.
int runGuiCommand(int argc, char **argv);

} // namespace gp
