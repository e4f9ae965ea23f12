// `tessera retention set|list`: how long the hub keeps objects of each STIX
// type. A rule applies to data received after it is set (the expiry is decided
// at ingest); `tessera db purge` removes what has expired. `app` and
// `exit_code` must outlive the parse.
#pragma once

namespace CLI {
class App;
}

namespace tessera::cli {

void RegisterRetentionCommand(CLI::App& app, int* exit_code);

}  // namespace tessera::cli
