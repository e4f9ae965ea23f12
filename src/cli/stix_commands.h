// Registers the `tessera stix` command group. The callbacks store their exit code
// in *exit_code; both `app` and `exit_code` must outlive the parse.
#pragma once

namespace CLI {
class App;
}

namespace tessera::cli {

void RegisterStixCommands(CLI::App& app, int* exit_code);

}  // namespace tessera::cli
