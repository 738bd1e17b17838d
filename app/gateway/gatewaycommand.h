#pragma once

namespace gp {

// `grokpulse gateway`: the OpenAI-compatible gateway on loopback until SIGINT/SIGTERM.
int runGatewayCommand(int argc, char **argv);

} // namespace gp
