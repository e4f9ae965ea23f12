// `tessera ingest`: reads partner data in any format into the store, as one
// partner, with a sharing request, warninglist flags, progress and a summary.
#pragma once

namespace CLI {
class App;
}

namespace tessera::cli {

void RegisterIngestCommand(CLI::App& app, int* exit_code);

}  // namespace tessera::cli
