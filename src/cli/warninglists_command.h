// `tessera warninglists list`: the warninglists Tessera has (built in and loaded
// with --list), and `tessera warninglists check`: which lists values are on, and
// why. `app` and `exit_code` must outlive the parse.
#pragma once

namespace CLI {
class App;
}

namespace tessera::cli {

void RegisterWarninglistsCommand(CLI::App& app, int* exit_code);

}  // namespace tessera::cli
