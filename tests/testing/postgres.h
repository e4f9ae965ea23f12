// Test helpers for PostgreSQL: the test server's URL (TESSERA_TEST_POSTGRES_URL,
// printed by scripts/postgres-test-server), a guard that skips a test when no
// server is configured (and fails it under CI, where PostgreSQL must run), and a
// fresh database per test, dropped at its end. Use from a test's main thread.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"
#include "store/sql/connection.h"

namespace tessera::testing {

inline constexpr char kPostgresNotConfigured[] =
    "PostgreSQL not configured: run scripts/postgres-test-server start and export "
    "TESSERA_TEST_POSTGRES_URL";

// The test server's URL, or nullopt when TESSERA_TEST_POSTGRES_URL is unset or empty.
inline std::optional<std::string> PostgresTestUrl() {
  const char* url = std::getenv("TESSERA_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

// True when the environment variable CI is set to a non-empty value.
inline bool RunningInCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && *ci != '\0';
}

// `url` with its database replaced by `database`: the path of a postgresql://
// or postgres:// URL (query parameters kept), or a trailing dbname= keyword for
// a key=value connection string.
inline std::string WithDatabase(std::string_view url, std::string_view database) {
  std::string result;
  for (std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (!url.starts_with(scheme)) continue;
    size_t authority_end = url.find_first_of("/?", scheme.size());
    if (authority_end == std::string_view::npos) authority_end = url.size();
    size_t query = url.find('?', authority_end);
    result.append(url.substr(0, authority_end)).append("/").append(database);
    if (query != std::string_view::npos) result.append(url.substr(query));
    return result;
  }
  result.append(url).append(" dbname=").append(database);
  return result;
}

// A database of a test's own on the test server, named tessera_t_<16 hex
// digits>, created empty from template0 and dropped when this is destroyed
// (WITH (FORCE): connections the test left open are closed first).
class PostgresTestDatabase {
 public:
  // Connects to `server_url` (the test server's fixed database) to create it.
  static core::Result<std::unique_ptr<PostgresTestDatabase>> Create(const std::string& server_url) {
    std::random_device random;
    std::uniform_int_distribution<uint64_t> digits;
    char suffix[17];
    std::snprintf(suffix, sizeof suffix, "%016llx",
                  static_cast<unsigned long long>(digits(random)));  // NOLINT(runtime/int)
    std::string name = "tessera_t_";
    name.append(suffix);
    auto admin = store::sql::OpenPostgres(server_url);
    if (!admin.ok()) return admin.error();
    std::string create = "CREATE DATABASE ";
    create.append(name).append(" TEMPLATE template0 ENCODING 'UTF8'");
    if (auto created = (*admin)->Execute(create); !created.ok()) return created.error();
    return std::unique_ptr<PostgresTestDatabase>(
        new PostgresTestDatabase(server_url, name, WithDatabase(server_url, name)));
  }

  ~PostgresTestDatabase() {
    auto admin = store::sql::OpenPostgres(server_url_);
    std::string drop = "DROP DATABASE IF EXISTS ";
    drop.append(name_).append(" WITH (FORCE)");
    core::Status dropped = admin.ok() ? (*admin)->Execute(drop) : core::Status(admin.error());
    if (!dropped.ok()) {
      std::fprintf(stderr, "warning: could not drop test database %s: %s\n", name_.c_str(),
                   dropped.error().ToString().c_str());
    }
  }

  PostgresTestDatabase(const PostgresTestDatabase&) = delete;
  PostgresTestDatabase& operator=(const PostgresTestDatabase&) = delete;

  const std::string& name() const { return name_; }
  // The URL of this database, for sql::OpenPostgres.
  const std::string& url() const { return url_; }

 private:
  PostgresTestDatabase(std::string server_url, std::string name, std::string url)
      : server_url_(std::move(server_url)), name_(std::move(name)), url_(std::move(url)) {}

  std::string server_url_;
  std::string name_;
  std::string url_;
};

}  // namespace tessera::testing

// Skips the current test (returning from the enclosing void function: a test
// body or SetUp) when no PostgreSQL test server is configured; under CI (CI set
// and non-empty) fails it instead, since there the PostgreSQL run must happen.
#define TESSERA_REQUIRE_POSTGRES()                                                      \
  do {                                                                                  \
    if (!::tessera::testing::PostgresTestUrl()) {                                       \
      if (::tessera::testing::RunningInCi()) {                                          \
        GTEST_FAIL() << ::tessera::testing::kPostgresNotConfigured                      \
                     << " (CI is set: the PostgreSQL tests must not be skipped there)"; \
      }                                                                                 \
      GTEST_SKIP() << ::tessera::testing::kPostgresNotConfigured;                       \
    }                                                                                   \
  } while (0)
