// Small pieces the store's SQL code shares (store.cc, registry.cc): ending
// statements after an operation, running a write transaction, running a
// statement to its end, and JSON arrays of strings in text columns. Internal
// to the store.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/sql/connection.h"

namespace tessera::store::sql {

// Ends every statement's run when a public operation returns (see
// Connection::ResetStatements).
class StatementsReset {
 public:
  explicit StatementsReset(Connection& db) : db_(db) {}
  ~StatementsReset() { db_.ResetStatements(); }
  StatementsReset(const StatementsReset&) = delete;
  StatementsReset& operator=(const StatementsReset&) = delete;

 private:
  Connection& db_;
};

// Runs `body` (returning Status) in a write transaction: commits when it
// succeeds, rolls back when it or the commit fails.
template <typename Body>
core::Status InWriteTransaction(Connection& db, Body&& body) {
  TESSERA_RETURN_IF_ERROR(db.Begin(true));
  core::Status status = body();
  if (status.ok()) status = db.Commit();
  if (!status.ok()) (void)db.Rollback();
  return status;
}

// The Status of a Step() whose rows are not wanted (a write).
inline core::Status Done(const core::Result<bool>& step) {
  if (!step.ok()) return step.error();
  return {};
}

// Strings as a JSON array text, and back (a text that is not one reads as empty).
std::string JsonArray(const std::vector<std::string>& items);
std::vector<std::string> ParseJsonArray(std::string_view text);

}  // namespace tessera::store::sql
