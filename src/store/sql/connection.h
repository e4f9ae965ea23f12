// A small SQL connection interface with two drivers, SQLite (sqlite/) and
// PostgreSQL (postgres/), so the store's logic is written once. SQL text uses
// `?` placeholders; the PostgreSQL driver rewrites them to $1, $2, ... Prepared
// statements are cached by their text and owned by the connection. A connection
// (and its statements) belongs to one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tessera::store::sql {

enum class Dialect { kSqlite, kPostgres };

// One prepared statement. Bind parameters (0-based), then Step() until it
// returns false; Reset() makes it ready to run again with new bindings.
class Statement {
 public:
  virtual ~Statement() = default;

  virtual void BindNull(int index) = 0;
  virtual void BindInt(int index, int64_t value) = 0;
  virtual void BindText(int index, std::string_view value) = 0;  // copied
  virtual void BindBlob(int index, std::string_view bytes) = 0;   // copied

  // Runs the statement (first call) or moves to the next row. True when a row
  // is available; false when done. An error leaves the statement needing Reset().
  // Inside a write transaction a driver may pipeline statements that return no
  // rows (INSERT/UPDATE/DELETE without RETURNING): their error then comes from
  // the next statement that returns rows, or from Commit. Either way the
  // transaction must be rolled back.
  virtual core::Result<bool> Step() = 0;

  // Column accessors for the current row (0-based). Text and blob views stay
  // valid until the next Step() or Reset().
  virtual bool IsNull(int column) const = 0;
  virtual int64_t ColumnInt(int column) const = 0;
  virtual std::string_view ColumnText(int column) const = 0;
  virtual std::string ColumnBlob(int column) const = 0;

  // Ends the current run and clears the bindings.
  virtual void Reset() = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;

  virtual Dialect dialect() const = 0;

  // Runs one or more statements without parameters (DDL, PRAGMA, BEGIN...).
  virtual core::Status Execute(std::string_view sql) = 0;

  // A cached prepared statement for this SQL text, reset and with no bindings.
  // Owned by the connection; valid until the connection is destroyed.
  virtual core::Result<Statement*> Prepare(std::string_view sql) = 0;

  // Ends the current run of every statement, releasing what a statement left
  // mid-rows holds (in SQLite, a read snapshot that stops the WAL from being
  // checkpointed). The store calls it after each operation.
  virtual void ResetStatements() = 0;

  // Transactions. A write transaction takes the database's writer lock at once
  // (SQLite BEGIN IMMEDIATE; PostgreSQL a transaction-level advisory lock), so
  // writers are serialized and their commits happen in the order of their
  // sequence numbers.
  virtual core::Status Begin(bool write) = 0;
  virtual core::Status Commit() = 0;
  virtual core::Status Rollback() = 0;
};

// Opens a SQLite database file (created when missing) in WAL mode.
core::Result<std::unique_ptr<Connection>> OpenSqlite(const std::string& path);

// Opens a PostgreSQL connection from a libpq connection string or
// postgresql:// URL.
core::Result<std::unique_ptr<Connection>> OpenPostgres(const std::string& conninfo);

}  // namespace tessera::store::sql
