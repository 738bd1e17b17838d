#pragma once

namespace gp {

// `grokpulse batch --input IN.jsonl --output OUT.jsonl [options]`: run chat requests from
// a JSONL file headless, paced and retried, one result line per input line.
// Exit codes: 0 all succeeded, 1 some failed or were cancelled, 2 usage or input file
// errors, 3 authentication failed, 130 a second SIGINT/SIGTERM.
int runBatchCommand(int argc, char **argv);

} // namespace gp
