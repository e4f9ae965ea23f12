// The PostgreSQL driver of sql::Connection, on libpq. libpq types stay in this
// file. Statements are prepared on the server once per connection (named
// tessera_1, tessera_2, ...), parameters travel as text except blobs (binary
// bytea), and results come back in text format, fully fetched by Step()'s first
// call. Every libpq failure becomes a core::Error; nothing here throws.
#include <libpq-fe.h>

#include <cctype>
#include <charconv>
#include <optional>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/result.h"
#include "store/sql/connection.h"

namespace tessera::store::sql {
namespace {

// The key of the transaction-level advisory lock every write transaction takes
// first: 0x7465737365726131, the ASCII bytes of "tessera1". Any program that
// writes to a Tessera database and wants to be serialized with `tessera ingest`
// takes pg_advisory_xact_lock(8387236820507844913).
constexpr int64_t kWriterLockKey = 0x7465737365726131;

// Type OIDs from the server's catalog (pg_type.dat); fixed since PostgreSQL 7.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;

constexpr int kTextFormat = 0;
constexpr int kBinaryFormat = 1;

bool IsIdentifierChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

// Returns the length of a dollar-quote delimiter ($$ or $tag$) starting at
// sql[pos], or 0 when there is none there. A tag is an identifier that does not
// start with a digit, so $1 is a positional parameter, not a quote.
size_t DollarTagLength(std::string_view sql, size_t pos) {
  size_t end = pos + 1;
  if (end < sql.size() && sql[end] >= '0' && sql[end] <= '9') return 0;
  while (end < sql.size() && sql[end] != '$' && IsIdentifierChar(sql[end])) ++end;
  if (end >= sql.size() || sql[end] != '$') return 0;
  return end - pos + 1;
}

// Rewrites `?` placeholders to $1..$n, leaving alone those inside '...' and
// E'...' literals, "..." identifiers, $tag$...$tag$ bodies, -- and /* */
// comments. Sets *count to n. Assumes standard_conforming_strings = on (the
// default since PostgreSQL 9.1, and set by OpenPostgres). The jsonb operators
// ?, ?| and ?& cannot be written in this SQL: use jsonb_exists() and friends.
std::string RewritePlaceholders(std::string_view sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  size_t i = 0;
  // Copies sql[i..end) to the output and moves i to end.
  auto copy_to = [&](size_t end) {
    if (end > sql.size()) end = sql.size();
    out.append(sql.substr(i, end - i));
    i = end;
  };
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '?') {
      out.push_back('$');
      out.append(std::to_string(++n));
      ++i;
    } else if (c == '\'') {
      bool escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                     (i < 2 || !IsIdentifierChar(sql[i - 2]));
      size_t end = i + 1;
      while (end < sql.size()) {
        if (escapes && sql[end] == '\\') {
          end += 2;
        } else if (sql[end] == '\'') {
          if (end + 1 < sql.size() && sql[end + 1] == '\'') {
            end += 2;
          } else {
            ++end;
            break;
          }
        } else {
          ++end;
        }
      }
      copy_to(end);
    } else if (c == '"') {
      size_t end = i + 1;
      while (end < sql.size()) {
        if (sql[end] == '"') {
          if (end + 1 < sql.size() && sql[end + 1] == '"') {
            end += 2;
            continue;
          }
          ++end;
          break;
        }
        ++end;
      }
      copy_to(end);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t end = sql.find('\n', i);
      copy_to(end == std::string_view::npos ? sql.size() : end);
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      // Block comments nest in PostgreSQL.
      size_t end = i + 2;
      int depth = 1;
      while (end < sql.size() && depth > 0) {
        if (sql[end] == '/' && end + 1 < sql.size() && sql[end + 1] == '*') {
          ++depth;
          end += 2;
        } else if (sql[end] == '*' && end + 1 < sql.size() && sql[end + 1] == '/') {
          --depth;
          end += 2;
        } else {
          ++end;
        }
      }
      copy_to(end);
    } else if (c == '$' && (i == 0 || !IsIdentifierChar(sql[i - 1])) &&
               DollarTagLength(sql, i) > 0) {
      size_t tag_length = DollarTagLength(sql, i);
      std::string_view tag = sql.substr(i, tag_length);
      size_t close = sql.find(tag, i + tag_length);
      copy_to(close == std::string_view::npos ? sql.size() : close + tag_length);
    } else {
      out.push_back(c);
      ++i;
    }
  }
  *count = n;
  return out;
}

// Strips the trailing newline libpq puts on its messages.
std::string TrimMessage(const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// The error of a failed command: "SQLSTATE 23505: <primary message> (<detail>)".
// Syntax and access-rule errors (class 42) are the caller's fault and come back
// as kInvalidArgument; everything else is kIo. A null result means libpq itself
// failed (out of memory, connection lost): its message is on the connection.
core::Error ResultError(PGconn* conn, const PGresult* result) {
  if (result == nullptr) {
    std::string message = "PostgreSQL: ";
    message.append(TrimMessage(PQerrorMessage(conn)));
    return core::MakeError(core::ErrorCode::kIo, std::move(message));
  }
  const char* sqlstate = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL);
  const char* position = PQresultErrorField(result, PG_DIAG_STATEMENT_POSITION);
  std::string state = sqlstate != nullptr ? sqlstate : "";
  std::string message = "SQLSTATE ";
  message.append(state.empty() ? "?????" : state);
  message.append(": ");
  if (primary != nullptr) {
    message.append(primary);
  } else {
    std::string text = TrimMessage(PQresultErrorMessage(result));
    if (text.empty()) text = TrimMessage(PQerrorMessage(conn));
    if (text.empty()) text.append("unexpected result ").append(PQresStatus(PQresultStatus(result)));
    message.append(text);
  }
  if (detail != nullptr) message.append(" (").append(detail).append(")");
  std::string location;
  if (position != nullptr) location.append("SQL character ").append(position);
  core::ErrorCode code =
      state.starts_with("42") ? core::ErrorCode::kInvalidArgument : core::ErrorCode::kIo;
  return core::MakeError(code, std::move(message), std::move(location));
}

// Owns a PGresult.
struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

bool IsSuccess(const PGresult* result) {
  if (result == nullptr) return false;
  ExecStatusType status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes bytea's text output. The hex form (\x0aff..., bytea_output = hex,
// which OpenPostgres sets) is the one expected; the legacy escape form (\ooo
// octal and \\) is decoded too in case a server forces it.
std::string DecodeBytea(std::string_view text) {
  std::string bytes;
  if (text.size() >= 2 && text[0] == '\\' && text[1] == 'x') {
    bytes.reserve((text.size() - 2) / 2);
    for (size_t i = 2; i + 1 < text.size(); i += 2) {
      int high = HexValue(text[i]);
      int low = HexValue(text[i + 1]);
      if (high < 0 || low < 0) break;  // the server never sends this
      bytes.push_back(static_cast<char>((high << 4) | low));
    }
    return bytes;
  }
  bytes.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 >= text.size()) {
      bytes.push_back(text[i]);
    } else if (text[i + 1] == '\\') {
      bytes.push_back('\\');
      ++i;
    } else if (i + 3 < text.size()) {
      int value = ((text[i + 1] - '0') << 6) | ((text[i + 2] - '0') << 3) | (text[i + 3] - '0');
      bytes.push_back(static_cast<char>(value));
      i += 3;
    }
  }
  return bytes;
}

// Pipelining inside write transactions (libpq pipeline mode): a statement
// that returns no rows (INSERT, UPDATE, DELETE without RETURNING) is sent and
// not waited for; its result is read, and its error reported, when the next
// statement that returns rows runs, or at Commit. A batch of thousands of
// inserts then costs one round trip per query that must answer, not one per
// statement. The store treats any error as the end of the batch (Rollback),
// so reporting it a few statements late changes nothing.
struct Pipeline {
  explicit Pipeline(PGconn* connection) : conn(connection) {}

  PGconn* conn;
  bool active = false;
  int pending = 0;  // statements sent whose results are not read yet
  std::optional<core::Error> error;  // the first error among them; sticky

  // Most statements in flight before their results are read: the server's
  // results must not fill the socket while we block sending (a deadlock).
  static constexpr int kMaxPending = 1000;

  // Asks the server to flush, then reads the results of the pending
  // statements and, when `one_more`, of the statement sent last, which it
  // returns (null otherwise, or on a failure to read).
  ResultPtr Collect(bool one_more) {
    if (pending == 0 && !one_more) return nullptr;
    if (PQsendFlushRequest(conn) != 1 || PQflush(conn) != 0) {
      if (!error) error = ResultError(conn, nullptr);
      pending = 0;
      return nullptr;
    }
    ResultPtr last;
    int to_read = pending + (one_more ? 1 : 0);
    for (int i = 0; i < to_read; ++i) {
      ResultPtr result(PQgetResult(conn));
      // Each query's results end with a null.
      while (PGresult* extra = PQgetResult(conn)) PQclear(extra);
      bool mine = one_more && i == to_read - 1;
      if (!mine && !IsSuccess(result.get()) && !error) error = ResultError(conn, result.get());
      if (mine) last = std::move(result);
    }
    pending = 0;
    return last;
  }

  // Ends pipeline mode: reads what is pending, syncs (which also ends an
  // aborted pipeline) and leaves. Returns the first error seen.
  core::Status Leave() {
    if (!active) return {};
    Collect(false);
    if (PQpipelineSync(conn) == 1) {
      while (true) {
        ResultPtr result(PQgetResult(conn));
        if (result == nullptr) {
          if (PQstatus(conn) != CONNECTION_OK) break;  // connection lost
          continue;
        }
        if (PQresultStatus(result.get()) == PGRES_PIPELINE_SYNC) break;
      }
    }
    PQexitPipelineMode(conn);
    active = false;
    std::optional<core::Error> first = std::move(error);
    error.reset();
    if (first) return *first;
    return {};
  }
};

class PostgresStatement final : public Statement {
 public:
  PostgresStatement(PGconn* conn, Pipeline* pipeline, std::string name, int parameter_count,
                    bool returns_no_rows)
      : conn_(conn),
        pipeline_(pipeline),
        returns_no_rows_(returns_no_rows),
        name_(std::move(name)),
        values_(static_cast<size_t>(parameter_count)),
        is_null_(static_cast<size_t>(parameter_count), true),
        formats_(static_cast<size_t>(parameter_count), kTextFormat) {}

  void BindNull(int index) override {
    if (!CheckIndex(index)) return;
    auto i = static_cast<size_t>(index);
    values_[i].clear();
    is_null_[i] = true;
    formats_[i] = kTextFormat;
  }

  void BindInt(int index, int64_t value) override {
    if (!CheckIndex(index)) return;
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    SetValue(index, std::string_view(buffer, static_cast<size_t>(end - buffer)), kTextFormat);
  }

  void BindText(int index, std::string_view value) override {
    if (!CheckIndex(index)) return;
    // A text-format parameter is a C string to libpq, and PostgreSQL text cannot
    // hold NUL at all: refuse rather than silently truncate.
    if (value.find('\0') != std::string_view::npos) {
      SetBindError("BindText: parameter " + std::to_string(index) +
                   " contains a NUL byte, which PostgreSQL text cannot hold (use BindBlob)");
      return;
    }
    SetValue(index, value, kTextFormat);
  }

  void BindBlob(int index, std::string_view bytes) override {
    if (!CheckIndex(index)) return;
    SetValue(index, bytes, kBinaryFormat);
  }

  core::Result<bool> Step() override {
    if (failed_) {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "statement failed earlier; Reset() it before running it again");
    }
    if (!executed_) {
      if (!bind_error_.empty()) {
        failed_ = true;
        return core::MakeError(core::ErrorCode::kInvalidArgument, bind_error_);
      }
      size_t n = values_.size();
      std::vector<const char*> pointers(n);
      std::vector<int> lengths(n);
      for (size_t i = 0; i < n; ++i) {
        pointers[i] = is_null_[i] ? nullptr : values_[i].c_str();
        lengths[i] = static_cast<int>(values_[i].size());
      }
      executed_ = true;
      if (pipeline_->active) {
        if (pipeline_->error) {
          failed_ = true;
          return *pipeline_->error;
        }
        if (PQsendQueryPrepared(conn_, name_.c_str(), static_cast<int>(n), pointers.data(),
                                lengths.data(), formats_.data(), kTextFormat) != 1) {
          failed_ = true;
          return ResultError(conn_, nullptr);
        }
        if (returns_no_rows_) {
          if (++pipeline_->pending >= Pipeline::kMaxPending) pipeline_->Collect(false);
          rows_ = 0;
          row_ = -1;
          return false;
        }
        result_ = pipeline_->Collect(true);
        if (pipeline_->error) {
          failed_ = true;
          result_.reset();
          return *pipeline_->error;
        }
      } else {
        result_.reset(PQexecPrepared(conn_, name_.c_str(), static_cast<int>(n), pointers.data(),
                                     lengths.data(), formats_.data(), kTextFormat));
      }
      if (!IsSuccess(result_.get())) {
        failed_ = true;
        core::Error error = ResultError(conn_, result_.get());
        result_.reset();
        return error;
      }
      rows_ = PQntuples(result_.get());
      row_ = -1;
    }
    if (row_ < rows_) ++row_;
    return row_ < rows_;
  }

  bool IsNull(int column) const override {
    if (!HasCell(column)) return true;
    return PQgetisnull(result_.get(), row_, column) != 0;
  }

  // Integers parse from their text; booleans (t/f) read as 1/0 so that
  // PostgreSQL BOOLEAN columns read like SQLite's 0/1 integers. NULL, a
  // missing cell and unparsable text read as 0.
  int64_t ColumnInt(int column) const override {
    if (IsNull(column)) return 0;
    std::string_view text = ColumnText(column);
    if (PQftype(result_.get(), column) == kBoolOid) return text == "t" ? 1 : 0;
    int64_t value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
  }

  // The text output of the cell; a bytea column gives its \x... hex form (use
  // ColumnBlob). Empty for NULL or a missing cell.
  std::string_view ColumnText(int column) const override {
    if (!HasCell(column)) return {};
    const char* value = PQgetvalue(result_.get(), row_, column);
    int length = PQgetlength(result_.get(), row_, column);
    if (value == nullptr || length <= 0) return {};
    return {value, static_cast<size_t>(length)};
  }

  // The bytes of a bytea cell; the text's bytes for any other type.
  std::string ColumnBlob(int column) const override {
    if (IsNull(column)) return {};
    std::string_view text = ColumnText(column);
    if (PQftype(result_.get(), column) != kByteaOid) return std::string(text);
    return DecodeBytea(text);
  }

  void Reset() override {
    result_.reset();
    executed_ = false;
    failed_ = false;
    rows_ = 0;
    row_ = -1;
    bind_error_.clear();
    for (size_t i = 0; i < values_.size(); ++i) {
      values_[i].clear();
      is_null_[i] = true;
      formats_[i] = kTextFormat;
    }
  }

 private:
  bool CheckIndex(int index) {
    if (index >= 0 && static_cast<size_t>(index) < values_.size()) return true;
    SetBindError("bind index " + std::to_string(index) + " out of range: the statement has " +
                 std::to_string(values_.size()) + " parameter(s)");
    return false;
  }

  void SetBindError(std::string message) {
    if (bind_error_.empty()) bind_error_ = std::move(message);
  }

  void SetValue(int index, std::string_view value, int format) {
    auto i = static_cast<size_t>(index);
    values_[i].assign(value.data(), value.size());
    is_null_[i] = false;
    formats_[i] = format;
  }

  bool HasCell(int column) const {
    return result_ != nullptr && row_ >= 0 && row_ < rows_ && column >= 0 &&
           column < PQnfields(result_.get());
  }

  PGconn* conn_;          // borrowed from the connection, which outlives its statements
  Pipeline* pipeline_;    // the connection's
  bool returns_no_rows_;  // may be pipelined without waiting
  std::string name_;
  std::vector<std::string> values_;
  std::vector<bool> is_null_;  // unbound parameters are NULL, as in SQLite
  std::vector<int> formats_;
  std::string bind_error_;  // the first Bind* misuse, reported by Step()
  ResultPtr result_;
  bool executed_ = false;
  bool failed_ = false;
  int rows_ = 0;
  int row_ = -1;
};

// Swallows NOTICE and WARNING messages, which libpq would print on stderr by
// default. Errors still come back through results; client_min_messages =
// warning keeps the server from even sending notices.
void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

// unordered_map<std::string, ...> looked up by string_view without a copy.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(PGconn* conn) : conn_(conn), pipeline_(conn) {}

  ~PostgresConnection() override {
    statements_.clear();
    PQfinish(conn_);
  }

  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }

  core::Status Execute(std::string_view sql) override {
    // Plain queries cannot run in pipeline mode: leave it for this one.
    bool pipelined = pipeline_.active;
    TESSERA_RETURN_IF_ERROR(pipeline_.Leave());
    std::string text(sql);
    ResultPtr result(PQexec(conn_, text.c_str()));
    if (!IsSuccess(result.get())) return ResultError(conn_, result.get());
    if (pipelined) EnterPipeline();
    return {};
  }

  core::Result<Statement*> Prepare(std::string_view sql) override {
    if (auto it = statements_.find(sql); it != statements_.end()) {
      it->second->Reset();
      return it->second.get();
    }
    int parameter_count = 0;
    std::string rewritten = RewritePlaceholders(sql, &parameter_count);
    std::string name = "tessera_";
    name.append(std::to_string(++statement_counter_));
    // No parameter types: the server infers each from its context (a column, a
    // cast such as ?::bigint); an untyped one in a SELECT list is text.
    // Preparing is a plain query too: outside pipeline mode.
    bool pipelined = pipeline_.active;
    TESSERA_RETURN_IF_ERROR(pipeline_.Leave());
    ResultPtr result(PQprepare(conn_, name.c_str(), rewritten.c_str(), parameter_count, nullptr));
    if (pipelined) EnterPipeline();
    if (!IsSuccess(result.get())) return ResultError(conn_, result.get());
    auto statement = std::make_unique<PostgresStatement>(conn_, &pipeline_, std::move(name),
                                                         parameter_count, ReturnsNoRows(sql));
    Statement* pointer = statement.get();
    statements_.emplace(std::string(sql), std::move(statement));
    return pointer;
  }

  // Results are held client-side: a statement left mid-rows holds nothing on
  // the server. Resetting frees their memory.
  void ResetStatements() override {
    for (auto& [text, statement] : statements_) statement->Reset();
  }

  // A writer runs READ COMMITTED, not REPEATABLE READ: its snapshot must be
  // taken after it holds the writer lock, so that it sees what the previous
  // writer committed. Under REPEATABLE READ the snapshot would be that of the
  // lock statement itself, taken before the wait, and the second of two writers
  // would work from stale data. Since READ COMMITTED takes a fresh snapshot
  // for each statement, every statement after the lock sees all earlier writers.
  //
  // A reader runs REPEATABLE READ READ ONLY: one snapshot for the whole
  // transaction, so a few queries (a page, then its count; an object, then its
  // provenance) agree with each other. It never blocks or is blocked by
  // writers, and a read-only REPEATABLE READ transaction cannot fail with a
  // serialization error. SERIALIZABLE would add nothing: writers are already
  // serialized by the lock, so every snapshot shows a prefix of the writers'
  // commits, and its READ ONLY DEFERRABLE form may wait before it starts.
  core::Status Begin(bool write) override {
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "Begin: a transaction is already open on this connection");
    }
    if (!write) return Execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    TESSERA_RETURN_IF_ERROR(Execute("BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE"));
    std::string lock = "SELECT pg_advisory_xact_lock(";
    lock.append(std::to_string(kWriterLockKey)).append(")");
    if (core::Status locked = Execute(lock); !locked.ok()) {
      (void)Execute("ROLLBACK");
      return locked.error();
    }
    EnterPipeline();
    return {};
  }

  // PostgreSQL answers COMMIT of a transaction that an error has aborted with
  // success and the command tag ROLLBACK; that comes back here as an error.
  core::Status Commit() override {
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "Commit: no transaction is open on this connection");
    }
    if (core::Status pending = pipeline_.Leave(); !pending.ok()) return pending;
    ResultPtr result(PQexec(conn_, "COMMIT"));
    if (!IsSuccess(result.get())) return ResultError(conn_, result.get());
    if (std::string_view(PQcmdStatus(result.get())) == "ROLLBACK") {
      return core::MakeError(core::ErrorCode::kIo,
                             "Commit: the transaction had failed on an earlier error and "
                             "was rolled back");
    }
    return {};
  }

  core::Status Rollback() override {
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) {
      return core::MakeError(core::ErrorCode::kInvalidArgument,
                             "Rollback: no transaction is open on this connection");
    }
    (void)pipeline_.Leave();  // its error is the reason for this rollback
    return Execute("ROLLBACK");
  }

 private:
  void EnterPipeline() {
    if (PQenterPipelineMode(conn_) == 1) pipeline_.active = true;
  }

  // INSERT, UPDATE and DELETE without RETURNING answer nothing but success.
  static bool ReturnsNoRows(std::string_view sql) {
    size_t start = sql.find_first_not_of(" \t\n");
    if (start == std::string_view::npos) return false;
    std::string head;
    for (char c : sql.substr(start, 6)) head.push_back(static_cast<char>(std::toupper(c)));
    if (head != "INSERT" && head != "UPDATE" && head != "DELETE") return false;
    std::string upper;
    upper.reserve(sql.size());
    for (char c : sql) upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    return upper.find("RETURNING") == std::string::npos;
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::unique_ptr<PostgresStatement>, TextHash, std::equal_to<>>
      statements_;
  int64_t statement_counter_ = 0;
  Pipeline pipeline_;
};

}  // namespace

core::Result<std::unique_ptr<Connection>> OpenPostgres(const std::string& conninfo) {
  // conninfo is expanded as a connection string or URL; the keywords after it
  // override what it says: the driver relies on UTF-8 text.
  const char* keywords[] = {"dbname", "client_encoding", "fallback_application_name", nullptr};
  const char* values[] = {conninfo.c_str(), "UTF8", "tessera", nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) {
    return core::MakeError(core::ErrorCode::kIo, "PostgreSQL: out of memory while connecting");
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = "cannot connect to PostgreSQL: ";
    message.append(TrimMessage(PQerrorMessage(conn)));
    PQfinish(conn);
    return core::MakeError(core::ErrorCode::kIo, std::move(message));
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  auto connection = std::make_unique<PostgresConnection>(conn);
  // standard_conforming_strings: the placeholder rewriter's reading of '...'.
  // bytea_output: ColumnBlob decodes the hex form.
  TESSERA_RETURN_IF_ERROR(connection->Execute(
      "SET client_min_messages = warning; SET standard_conforming_strings = on; "
      "SET bytea_output = hex"));
  return std::unique_ptr<Connection>(std::move(connection));
}

}  // namespace tessera::store::sql
