// `tessera formats`: the readers Tessera has, and `tessera formats detect`: the
// format of files, as `--from auto` would pick it. `app` and `exit_code` must
// outlive the parse.
#pragma once

namespace CLI {
class App;
}

namespace tessera::cli {

void RegisterFormatsCommand(CLI::App& app, int* exit_code);

}  // namespace tessera::cli
