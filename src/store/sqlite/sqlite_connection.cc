// The SQLite driver of sql::Connection: one database file in WAL mode with
// prepared statements cached by their text. Writers take the lock at BEGIN
// (BEGIN IMMEDIATE) and wait for it through a busy timeout.
#include <sqlite3.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/sql/connection.h"

namespace tessera::store::sql {
namespace {

constexpr int kBusyTimeoutMs = 60'000;

core::Error SqliteError(sqlite3* db, std::string_view what) {
  std::string message(what);
  message.append(": ").append(sqlite3_errmsg(db));
  int code = sqlite3_extended_errcode(db);
  auto error_code = (code & 0xff) == SQLITE_ERROR ? core::ErrorCode::kInvalidArgument
                                                  : core::ErrorCode::kIo;
  return core::MakeError(error_code, std::move(message));
}

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }

  void BindNull(int index) override { sqlite3_bind_null(stmt_, index + 1); }
  void BindInt(int index, int64_t value) override { sqlite3_bind_int64(stmt_, index + 1, value); }
  void BindText(int index, std::string_view value) override {
    // A null data pointer would bind NULL; an empty view is the empty string.
    const char* data = value.data() != nullptr ? value.data() : "";
    sqlite3_bind_text64(stmt_, index + 1, data, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  void BindBlob(int index, std::string_view bytes) override {
    // A zero-length blob is still a blob, not NULL.
    if (bytes.empty()) {
      sqlite3_bind_zeroblob(stmt_, index + 1, 0);
    } else {
      sqlite3_bind_blob64(stmt_, index + 1, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
    }
  }

  core::Result<bool> Step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqliteError(db_, "sqlite step");
  }

  bool IsNull(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  int64_t ColumnInt(int column) const override { return sqlite3_column_int64(stmt_, column); }
  std::string_view ColumnText(int column) const override {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    if (text == nullptr) return {};
    return {text, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
  }
  std::string ColumnBlob(int column) const override {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
    if (data == nullptr) return {};
    return {data, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
  }

  void Reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    statements_.clear();  // finalize before closing
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  core::Status Execute(std::string_view sql) override {
    std::string text(sql);
    char* message = nullptr;
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      std::string reason = message != nullptr ? message : "unknown error";
      sqlite3_free(message);
      return core::MakeError(core::ErrorCode::kIo, "sqlite: " + reason);
    }
    return {};
  }

  core::Result<Statement*> Prepare(std::string_view sql) override {
    auto it = statements_.find(sql);
    if (it != statements_.end()) {
      it->second->Reset();
      return it->second.get();
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt, nullptr) != SQLITE_OK) {
      return SqliteError(db_, "sqlite prepare");
    }
    auto owned = std::make_unique<SqliteStatement>(db_, stmt);
    Statement* raw = owned.get();
    statements_.emplace(std::string(sql), std::move(owned));
    return raw;
  }

  void ResetStatements() override {
    for (auto& [text, statement] : statements_) statement->Reset();
  }

  core::Status Begin(bool write) override { return Execute(write ? "BEGIN IMMEDIATE" : "BEGIN"); }
  core::Status Commit() override { return Execute("COMMIT"); }
  core::Status Rollback() override { return Execute("ROLLBACK"); }

 private:
  sqlite3* db_;
  // Looked up by string_view without building a string (C++20 transparent lookup).
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::unordered_map<std::string, std::unique_ptr<SqliteStatement>, TextHash, std::equal_to<>>
      statements_;
};

}  // namespace

core::Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path) {
  // No global memory statistics: they take a mutex on every allocation.
  static std::once_flag configure;
  std::call_once(configure, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string reason = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return core::MakeError(core::ErrorCode::kIo, "cannot open SQLite database: " + reason, path);
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  sqlite3_extended_result_codes(db, 1);
  auto connection = std::make_unique<SqliteConnection>(db);
  // WAL: readers never block the writer. synchronous=NORMAL: a killed process
  // loses no committed transaction; a power failure may lose the last ones but
  // never leaves the file inconsistent (docs/STORE.md).
  if (auto s = connection->Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                                   " PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
                                   " PRAGMA cache_size=-131072;");
      !s.ok()) {
    return core::MakeError(s.error().code, s.error().message, path);
  }
  return std::unique_ptr<Connection>(std::move(connection));
}

}  // namespace tessera::store::sql
