// `tessera quarantine list|show|drop|retry`: the records ingest could not read,
// kept with their position, reason and bytes; retry reads them again (after a
// reader fix, or with other reader options) and stores those that now read.
// `app` and `exit_code` must outlive the parse.
#pragma once

namespace CLI {
class App;
}

namespace tessera::cli {

void RegisterQuarantineCommand(CLI::App& app, int* exit_code);

}  // namespace tessera::cli
