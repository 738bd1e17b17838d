#pragma once

namespace gp {

// grokpulse export --journal PATH --what errors|requests|events|remote --format csv|jsonl
//                  [--since 1h|30m|2026-11-20T10:00] [--until ...] [--client NAME] [--run ID]
//                  [--output FILE]
// Exit 0 ok, 2 usage error, 1 journal unreadable or output unwritable (a full disk included),
// 3 the journal predates what was asked (remote from a journal older than its table).
int runExportCommand(int argc, char **argv);

} // namespace gp
