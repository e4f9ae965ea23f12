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

std::string DisplayUrl(const std::string& url) {
  // postgresql://user:secret@host/db
  if (size_t scheme = url.find("://"); scheme != std::string::npos) {
    size_t start = scheme + 3;
    size_t at = url.find('@', start);
    size_t slash = url.find('/', start);
    if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
    size_t colon = url.find(':', start);
    if (colon == std::string::npos || colon > at) return url;
    std::string out = url.substr(0, colon + 1);
    out.append("***").append(url, at, std::string::npos);
    return out;
  }
  // postgresql:host=x password=secret
  size_t key = url.find("password=");
  if (key == std::string::npos) return url;
  size_t end = url.find(' ', key);
  std::string out = url.substr(0, key + 9);
  out.append("***");
  if (end != std::string::npos) out.append(url, end, std::string::npos);
  return out;
}

std::string Thousands(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string TimeText(store::Micros micros) {
  return micros == 0 ? "-" : store::FormatMicros(micros);
}

}  // namespace tessera::cli
