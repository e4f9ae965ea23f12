#include "cli/store_access.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <system_error>

namespace tessera::cli {

void AddDbOption(CLI::App* command, std::string* url) {
  if (url->empty()) *url = store::DefaultStoreUrl();
  command->add_option("--db", *url,
                      "The database: a file path or sqlite:PATH (embedded SQLite) or "
                      "postgresql://USER@HOST:PORT/DB (default: $TESSERA_DB, else "
                      "~/.local/share/tessera/tessera.db)")
      ->capture_default_str();
}

core::Result<std::unique_ptr<store::Store>> OpenCommandStore(const std::string& url, bool write,
                                                             bool require_current_schema) {
  bool postgres = url.starts_with("postgresql:") || url.starts_with("postgres:");
  if (write && !postgres && url == store::DefaultStoreUrl()) {
    // The default location's folder is ours to create.
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(url).parent_path(), ec);
  }
  store::OpenOptions options;
  options.migrate = write;
  options.require_current_schema = require_current_schema;
  return store::OpenStore(url, options);
}

std::string TimeText(store::Micros micros) {
  return micros == 0 ? "-" : store::FormatMicros(micros);
}

}  // namespace tessera::cli
