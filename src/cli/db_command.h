// `tessera db init|migrate|check|stats|runs|purge`: creating, upgrading,
// checking and describing the database, listing ingest runs, and purging
// expired data. Also the one way the store commands report a database they
// cannot open. `app` and `exit_code` must outlive the parse.
#pragma once

#include <string>

#include "core/result.h"

namespace CLI {
class App;
}

namespace tessera::cli {

void RegisterDbCommand(CLI::App& app, int* exit_code);

// Prints "tessera: ..." for a store that could not be opened and returns the
// exit code: 3 when it is missing, unreadable or of another schema version (the
// database is not usable as it is), 2 for a malformed --db, 70 for a bug.
int ReportStoreOpenError(const core::Error& error);

// Where a record came from, for people: the file and the position in it
// ("feed.json@byte 3456", "list.txt:12"). Takes a position relative to the file
// (":12", "@byte 3456", "other-file:12" inside a folder layout) or one that
// already starts with the file.
std::string SourcePlace(const std::string& file, const std::string& position);

}  // namespace tessera::cli
