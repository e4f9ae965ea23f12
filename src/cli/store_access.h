// How commands reach the store: the shared --db option (a path, sqlite:PATH or
// postgresql://...; default store::DefaultStoreUrl(), $TESSERA_DB first) and
// opening it for reading or writing, with errors printed the one way.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "store/store.h"

namespace CLI {
class App;
}

namespace tessera::cli {

// Adds --db to a command; `url` keeps the default when the option is not given.
void AddDbOption(CLI::App* command, std::string* url);

// Opens the store. `write`: create the database (and the folder of the default
// location) when missing and apply pending migrations; otherwise a missing or
// outdated database is an error, unless `require_current_schema` is false.
core::Result<std::unique_ptr<store::Store>> OpenCommandStore(const std::string& url, bool write,
                                                             bool require_current_schema = true);

// The database URL as it may be shown: a PostgreSQL password becomes "***".
std::string DisplayUrl(const std::string& url);

// 1234567 -> "1,234,567".
std::string Thousands(uint64_t n);

// A store timestamp as STIX text, or "-" for 0 (never).
std::string TimeText(store::Micros micros);

}  // namespace tessera::cli
