#pragma once

namespace gp {

// `grokpulse sim [--port N] [--scenario NAME|FILE.json] [--seed N] [--api-key-env NAME]
// [--header-style STYLE]`: the simulator standalone on 127.0.0.1 until SIGINT/SIGTERM.
int runSimCommand(int argc, char **argv);

} // namespace gp
