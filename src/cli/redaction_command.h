// `tessera redaction show|set|reset`: which observables are personal data (the
// rules governance redacts by, docs/GOVERNANCE.md). The rules live in the
// database, so every process of the hub applies the same ones. `app` and
// `exit_code` must outlive the parse.
#pragma once

namespace CLI {
class App;
}

namespace tessera::cli {

void RegisterRedactionCommand(CLI::App& app, int* exit_code);

}  // namespace tessera::cli
