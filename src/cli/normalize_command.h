// Registers `tessera normalize`. The callback stores its exit code in *exit_code;
// `app` and `exit_code` must outlive the parse.
#pragma once

namespace CLI {
class App;
}

namespace tessera::cli {

void RegisterNormalizeCommand(CLI::App& app, int* exit_code);

}  // namespace tessera::cli
