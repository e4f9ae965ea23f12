// `tessera query` (search the store: filters, pages, counts) and `tessera show`
// (one object: its versions, provenance and aggregates). Both only read the
// database. `app` and `exit_code` must outlive the parse.
#pragma once

namespace CLI {
class App;
}

namespace tessera::cli {

void RegisterQueryCommand(CLI::App& app, int* exit_code);
void RegisterShowCommand(CLI::App& app, int* exit_code);

}  // namespace tessera::cli
