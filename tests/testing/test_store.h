// Where a test run once per backend ("sqlite", "postgresql") keeps its store: a
// SQLite file in a fresh temporary folder of the test's own, or a fresh database
// on the PostgreSQL test server. Both are removed when this is destroyed. Call
// Create from SetUp, after TESSERA_REQUIRE_POSTGRES() for the PostgreSQL run.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "core/result.h"
#include "testing/postgres.h"

namespace tessera::testing {

class TestStore {
 public:
  static core::Result<std::unique_ptr<TestStore>> Create(const std::string& backend) {
    std::unique_ptr<TestStore> store(new TestStore());
    if (backend == "postgresql") {
      auto server = PostgresTestUrl();
      if (!server) return core::MakeError(core::ErrorCode::kNotFound, kPostgresNotConfigured);
      auto database = PostgresTestDatabase::Create(*server);
      if (!database.ok()) return database.error();
      store->postgres_ = std::move(*database);
      store->url_ = store->postgres_->url();
      return store;
    }
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = "tessera-test-";
    name.append(std::to_string(::getpid()))
        .append("-")
        .append(test->test_suite_name())
        .append("-")
        .append(test->name());
    std::replace(name.begin(), name.end(), '/', '_');
    store->dir_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(store->dir_);
    std::filesystem::create_directories(store->dir_);
    store->url_ = (store->dir_ / "store.db").string();
    return store;
  }

  ~TestStore() {
    postgres_.reset();
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  TestStore(const TestStore&) = delete;
  TestStore& operator=(const TestStore&) = delete;

  // What OpenStore and --db take: the SQLite file's path or the database's URL.
  const std::string& url() const { return url_; }

 private:
  TestStore() = default;

  std::string url_;
  std::filesystem::path dir_;  // SQLite: the test's folder
  std::unique_ptr<PostgresTestDatabase> postgres_;
};

}  // namespace tessera::testing
