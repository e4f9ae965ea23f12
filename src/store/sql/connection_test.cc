// Driver conformance: the same cases on SQLite and PostgreSQL, so the store can
// rely on one behaviour. The PostgreSQL cases need a server
// (scripts/postgres-test-server; TESSERA_TEST_POSTGRES_URL) and get a fresh
// database each; the SQLite cases a fresh file in a temporary directory.
#include "store/sql/connection.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "testing/postgres.h"

namespace tessera::store::sql {
namespace {

using ::tessera::testing::PostgresTestDatabase;
using ::tessera::testing::PostgresTestUrl;

enum class Driver { kSqlite, kPostgres };

std::string DriverName(const ::testing::TestParamInfo<Driver>& info) {
  return info.param == Driver::kSqlite ? "Sqlite" : "Postgres";
}

void PrintTo(Driver driver, std::ostream* os) {
  *os << (driver == Driver::kSqlite ? "SQLite" : "PostgreSQL");
}

// Bytes with NUL and 0xFF inside, and at both ends.
std::string AwkwardBytes() {
  static constexpr char kBytes[] =
      "\0\xff"
      "a\0b\xff\xfe\x01\\x00'?\"\0";
  return std::string(kBytes, sizeof kBytes - 1);
}

std::string EveryByte() {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  return bytes;
}

class ConnectionTest : public ::testing::TestWithParam<Driver> {
 protected:
  void SetUp() override {
    if (GetParam() == Driver::kPostgres) {
      TESSERA_REQUIRE_POSTGRES();
      auto database = PostgresTestDatabase::Create(*PostgresTestUrl());
      ASSERT_TRUE(database.ok()) << database.error().ToString();
      postgres_ = std::move(database.value());
    } else {
      std::string pattern =
          (std::filesystem::temp_directory_path() / "tessera_sql_XXXXXX").string();
      ASSERT_NE(mkdtemp(pattern.data()), nullptr);
      sqlite_dir_ = pattern;
    }
    conn_ = Open();
    ASSERT_NE(conn_, nullptr);
  }

  void TearDown() override {
    conn_.reset();
    postgres_.reset();
    if (!sqlite_dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(sqlite_dir_, ignored);
    }
  }

  // Another connection to the same database; null (and a test failure) when it
  // cannot open.
  std::unique_ptr<Connection> Open() {
    auto connection = GetParam() == Driver::kPostgres
                          ? OpenPostgres(postgres_->url())
                          : OpenSqlite((sqlite_dir_ / "test.db").string());
    if (!connection.ok()) {
      ADD_FAILURE() << "open: " << connection.error().ToString();
      return nullptr;
    }
    EXPECT_EQ(connection.value()->dialect(),
              GetParam() == Driver::kPostgres ? Dialect::kPostgres : Dialect::kSqlite);
    return std::move(connection.value());
  }

  std::string_view BlobType() const { return GetParam() == Driver::kPostgres ? "BYTEA" : "BLOB"; }

  // Prepares on `conn` (default: the test's connection); null and a test failure
  // on error.
  Statement* Prepare(std::string_view sql, Connection* conn = nullptr) {
    auto statement = (conn != nullptr ? conn : conn_.get())->Prepare(sql);
    if (!statement.ok()) {
      ADD_FAILURE() << "prepare '" << sql << "': " << statement.error().ToString();
      return nullptr;
    }
    return statement.value();
  }

  // Runs a statement with no result rows to the end; false and a test failure
  // on error.
  static bool RunToEnd(Statement* statement) {
    auto row = statement->Step();
    while (row.ok() && row.value()) row = statement->Step();
    if (!row.ok()) ADD_FAILURE() << "step: " << row.error().ToString();
    return row.ok();
  }

  // The single integer a query returns (e.g. a count); -1 and a test failure on
  // error.
  int64_t QueryInt(std::string_view sql, Connection* conn = nullptr) {
    Statement* statement = Prepare(sql, conn);
    if (statement == nullptr) return -1;
    auto row = statement->Step();
    if (!row.ok() || !row.value()) {
      ADD_FAILURE() << "no row from '" << sql << "'"
                    << (row.ok() ? std::string() : ": " + row.error().ToString());
      return -1;
    }
    int64_t value = statement->ColumnInt(0);
    statement->Reset();
    return value;
  }

  void Exec(std::string_view sql, Connection* conn = nullptr) {
    core::Status status = (conn != nullptr ? conn : conn_.get())->Execute(sql);
    ASSERT_TRUE(status.ok()) << sql << ": " << status.error().ToString();
  }

  std::unique_ptr<PostgresTestDatabase> postgres_;
  std::filesystem::path sqlite_dir_;
  std::unique_ptr<Connection> conn_;
};

TEST_P(ConnectionTest, EveryBindTypeRoundTrips) {
  std::string create = "CREATE TABLE t (id BIGINT PRIMARY KEY, i BIGINT, s TEXT, b ";
  create.append(BlobType()).append(")");
  Exec(create);
  Statement* insert = Prepare("INSERT INTO t (id, i, s, b) VALUES (?, ?, ?, ?)");
  ASSERT_NE(insert, nullptr);
  const std::string unicode = "Ünïcödé ✓ 日本語 😀";
  const std::string quoted = "it's \"quoted\", a backslash \\ and a ? and $1";

  insert->BindInt(0, 1);
  insert->BindInt(1, std::numeric_limits<int64_t>::min());
  insert->BindText(2, "");
  insert->BindBlob(3, AwkwardBytes());
  ASSERT_TRUE(RunToEnd(insert));
  insert->Reset();
  insert->BindInt(0, 2);
  insert->BindInt(1, std::numeric_limits<int64_t>::max());
  insert->BindNull(2);
  insert->BindNull(3);
  ASSERT_TRUE(RunToEnd(insert));
  insert->Reset();
  insert->BindInt(0, 3);
  insert->BindInt(1, 0);
  insert->BindText(2, unicode);
  insert->BindBlob(3, "");
  ASSERT_TRUE(RunToEnd(insert));
  insert->Reset();
  insert->BindInt(0, 4);
  insert->BindInt(1, -1);
  insert->BindText(2, quoted);
  insert->BindBlob(3, EveryByte());
  ASSERT_TRUE(RunToEnd(insert));

  Statement* select = Prepare("SELECT id, i, s, b FROM t ORDER BY id");
  ASSERT_NE(select, nullptr);
  auto row = select->Step();
  ASSERT_TRUE(row.ok() && row.value());
  EXPECT_EQ(select->ColumnInt(0), 1);
  EXPECT_EQ(select->ColumnInt(1), std::numeric_limits<int64_t>::min());
  EXPECT_FALSE(select->IsNull(2)) << "an empty string is not NULL";
  EXPECT_EQ(select->ColumnText(2), "");
  EXPECT_FALSE(select->IsNull(3));
  EXPECT_EQ(select->ColumnBlob(3), AwkwardBytes());

  row = select->Step();
  ASSERT_TRUE(row.ok() && row.value());
  EXPECT_EQ(select->ColumnInt(0), 2);
  EXPECT_EQ(select->ColumnInt(1), std::numeric_limits<int64_t>::max());
  EXPECT_TRUE(select->IsNull(2));
  EXPECT_TRUE(select->IsNull(3));
  EXPECT_EQ(select->ColumnText(2), "");
  EXPECT_EQ(select->ColumnBlob(3), "");

  row = select->Step();
  ASSERT_TRUE(row.ok() && row.value());
  EXPECT_EQ(select->ColumnInt(1), 0);
  EXPECT_FALSE(select->IsNull(1)) << "zero is not NULL";
  EXPECT_EQ(select->ColumnText(2), unicode);
  EXPECT_FALSE(select->IsNull(3)) << "an empty blob is not NULL";
  EXPECT_EQ(select->ColumnBlob(3), "");

  row = select->Step();
  ASSERT_TRUE(row.ok() && row.value());
  EXPECT_EQ(select->ColumnInt(1), -1);
  EXPECT_EQ(select->ColumnText(2), quoted);
  EXPECT_EQ(select->ColumnBlob(3), EveryByte());

  row = select->Step();
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(row.value());

  // The same values come back when compared inside the database.
  Statement* lookup = Prepare("SELECT id FROM t WHERE s = ? AND b = ?");
  ASSERT_NE(lookup, nullptr);
  lookup->BindText(0, quoted);
  lookup->BindBlob(1, EveryByte());
  row = lookup->Step();
  ASSERT_TRUE(row.ok() && row.value());
  EXPECT_EQ(lookup->ColumnInt(0), 4);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM t WHERE s IS NULL"), 1);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM t WHERE s = ''"), 1);
}

TEST_P(ConnectionTest, StepWalksEveryRowAndResetRunsAgain) {
  Exec("CREATE TABLE n (v BIGINT NOT NULL)");
  ASSERT_TRUE(conn_->Begin(true).ok());
  Statement* insert = Prepare("INSERT INTO n (v) VALUES (?)");
  ASSERT_NE(insert, nullptr);
  for (int v = 1; v <= 500; ++v) {
    insert->Reset();
    insert->BindInt(0, v);
    ASSERT_TRUE(RunToEnd(insert));
  }
  ASSERT_TRUE(conn_->Commit().ok());

  Statement* select = Prepare("SELECT v FROM n WHERE v > ? ORDER BY v");
  ASSERT_NE(select, nullptr);
  select->BindInt(0, 100);
  int64_t expected = 101;
  auto row = select->Step();
  for (; row.ok() && row.value(); row = select->Step()) EXPECT_EQ(select->ColumnInt(0), expected++);
  ASSERT_TRUE(row.ok()) << row.error().ToString();
  EXPECT_EQ(expected, 501);

  // Reset in the middle of a run, then run again with a new binding.
  select->Reset();
  select->BindInt(0, 0);
  row = select->Step();
  ASSERT_TRUE(row.ok() && row.value());
  EXPECT_EQ(select->ColumnInt(0), 1);
  select->Reset();
  select->BindInt(0, 498);
  std::vector<int64_t> seen;
  for (row = select->Step(); row.ok() && row.value(); row = select->Step()) {
    seen.push_back(select->ColumnInt(0));
  }
  EXPECT_EQ(seen, (std::vector<int64_t>{499, 500}));

  // Prepare hands back the cached statement, reset and with no bindings: an
  // unbound parameter is NULL.
  Statement* coalesce = Prepare("SELECT COALESCE(?, 'unbound')");
  ASSERT_NE(coalesce, nullptr);
  coalesce->BindText(0, "bound");
  row = coalesce->Step();
  ASSERT_TRUE(row.ok() && row.value());
  EXPECT_EQ(coalesce->ColumnText(0), "bound");
  Statement* again = Prepare("SELECT COALESCE(?, 'unbound')");
  EXPECT_EQ(again, coalesce);
  row = again->Step();
  ASSERT_TRUE(row.ok() && row.value());
  EXPECT_EQ(again->ColumnText(0), "unbound");
}

TEST_P(ConnectionTest, QuestionMarksInLiteralsIdentifiersAndCommentsAreNotParameters) {
  Statement* select = Prepare(
      "SELECT 'what?' AS a, ? AS b /* is this ? a comment */, 'it''s ?' AS c, ? AS d "
      "-- really?\n");
  ASSERT_NE(select, nullptr);
  select->BindText(0, "first");
  select->BindText(1, "second");
  auto row = select->Step();
  ASSERT_TRUE(row.ok() && row.value()) << (row.ok() ? "" : row.error().ToString());
  EXPECT_EQ(select->ColumnText(0), "what?");
  EXPECT_EQ(select->ColumnText(1), "first");
  EXPECT_EQ(select->ColumnText(2), "it's ?");
  EXPECT_EQ(select->ColumnText(3), "second");

  Exec("CREATE TABLE odd (\"who?\" TEXT, \"?\" TEXT)");
  Statement* insert = Prepare("INSERT INTO odd (\"who?\", \"?\") VALUES (?, '?')");
  ASSERT_NE(insert, nullptr);
  insert->BindText(0, "me");
  ASSERT_TRUE(RunToEnd(insert));
  Statement* lookup = Prepare("SELECT \"who?\", \"?\" FROM odd WHERE \"who?\" = ?");
  ASSERT_NE(lookup, nullptr);
  lookup->BindText(0, "me");
  row = lookup->Step();
  ASSERT_TRUE(row.ok() && row.value());
  EXPECT_EQ(lookup->ColumnText(0), "me");
  EXPECT_EQ(lookup->ColumnText(1), "?");
}

TEST_P(ConnectionTest, RollbackDiscardsAndCommitKeeps) {
  Exec("CREATE TABLE kv (k TEXT PRIMARY KEY, v BIGINT)");
  Statement* insert = Prepare("INSERT INTO kv (k, v) VALUES (?, ?)");
  ASSERT_NE(insert, nullptr);

  ASSERT_TRUE(conn_->Begin(true).ok());
  insert->BindText(0, "discarded");
  insert->BindInt(1, 1);
  ASSERT_TRUE(RunToEnd(insert));
  EXPECT_EQ(QueryInt("SELECT count(*) FROM kv"), 1) << "a transaction sees its own writes";
  ASSERT_TRUE(conn_->Rollback().ok());
  EXPECT_EQ(QueryInt("SELECT count(*) FROM kv"), 0);

  // Statements prepared before or inside the rolled-back transaction (the
  // count above) are still usable: PostgreSQL does not roll back a PREPARE.
  ASSERT_TRUE(conn_->Begin(true).ok());
  insert->Reset();
  insert->BindText(0, "kept");
  insert->BindInt(1, 2);
  ASSERT_TRUE(RunToEnd(insert));
  ASSERT_TRUE(conn_->Commit().ok());
  EXPECT_EQ(QueryInt("SELECT v FROM kv WHERE k = 'kept'"), 2);

  // A read transaction sees committed data.
  ASSERT_TRUE(conn_->Begin(false).ok());
  EXPECT_EQ(QueryInt("SELECT count(*) FROM kv"), 1);
  ASSERT_TRUE(conn_->Commit().ok());

  // Misuse is an error, not a silent success.
  EXPECT_FALSE(conn_->Commit().ok()) << "commit without a transaction";
  EXPECT_FALSE(conn_->Rollback().ok()) << "rollback without a transaction";
  ASSERT_TRUE(conn_->Begin(true).ok());
  EXPECT_FALSE(conn_->Begin(true).ok()) << "a transaction inside a transaction";
  ASSERT_TRUE(conn_->Rollback().ok());
}

TEST_P(ConnectionTest, ErrorsAreReturnedAsValues) {
  auto bad = conn_->Prepare("SELEC nothing FROM nowhere");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(bad.error().message.empty());
  EXPECT_FALSE(conn_->Prepare("SELECT * FROM no_such_table").ok());
  EXPECT_FALSE(conn_->Execute("CREATE TABLE (").ok());

  Exec("CREATE TABLE u (k TEXT PRIMARY KEY)");
  Statement* insert = Prepare("INSERT INTO u (k) VALUES (?)");
  ASSERT_NE(insert, nullptr);
  insert->BindText(0, "a");
  ASSERT_TRUE(RunToEnd(insert));
  insert->Reset();
  insert->BindText(0, "a");
  auto duplicate = insert->Step();
  ASSERT_FALSE(duplicate.ok()) << "a unique violation";
  EXPECT_FALSE(duplicate.error().message.empty());
  // After Reset the statement runs again.
  insert->Reset();
  insert->BindText(0, "b");
  EXPECT_TRUE(RunToEnd(insert));

  // An error inside a write transaction, then Rollback: nothing of it stays
  // and the connection goes on working.
  ASSERT_TRUE(conn_->Begin(true).ok());
  insert->Reset();
  insert->BindText(0, "c");
  ASSERT_TRUE(RunToEnd(insert));
  insert->Reset();
  insert->BindText(0, "a");
  // In a write transaction, PostgreSQL pipelines statements that return no
  // rows: their error may come from the next statement that returns rows, or
  // from Commit, never not at all.
  if (insert->Step().ok()) {
    EXPECT_FALSE(conn_->Commit().ok()) << "the unique violation was lost";
  }
  ASSERT_TRUE(conn_->Rollback().ok());
  EXPECT_EQ(QueryInt("SELECT count(*) FROM u"), 2);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM u WHERE k = 'c'"), 0);
}

TEST_P(ConnectionTest, ComparisonsReadAsIntegers) {
  EXPECT_EQ(QueryInt("SELECT 1 = 1"), 1);
  EXPECT_EQ(QueryInt("SELECT 1 = 2"), 0);
  EXPECT_EQ(QueryInt("SELECT 40 + 2"), 42);
}

// A read transaction keeps one snapshot: a commit by another connection in the
// middle does not show until it ends.
TEST_P(ConnectionTest, ReadTransactionSeesOneSnapshot) {
  Exec("CREATE TABLE s (v BIGINT)");
  Exec("INSERT INTO s (v) VALUES (1)");
  std::unique_ptr<Connection> other = Open();
  ASSERT_NE(other, nullptr);

  ASSERT_TRUE(conn_->Begin(false).ok());
  EXPECT_EQ(QueryInt("SELECT count(*) FROM s"), 1);
  Exec("INSERT INTO s (v) VALUES (2)", other.get());
  EXPECT_EQ(QueryInt("SELECT count(*) FROM s", other.get()), 2);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM s"), 1) << "the snapshot moved";
  EXPECT_EQ(QueryInt("SELECT sum(v) FROM s"), 1);
  ASSERT_TRUE(conn_->Commit().ok());
  EXPECT_EQ(QueryInt("SELECT count(*) FROM s"), 2);
}

// The second Begin(true) returns only after the first writer has committed,
// and then sees what it wrote. No timing: the first writer raises a flag just
// before its commit, and the second must find it raised.
TEST_P(ConnectionTest, SecondWriterWaitsForTheFirstToCommit) {
  Exec("CREATE TABLE w (who TEXT)");
  std::unique_ptr<Connection> second = Open();
  ASSERT_NE(second, nullptr);

  ASSERT_TRUE(conn_->Begin(true).ok());
  std::atomic<bool> first_committing{false};
  bool saw_flag = false;
  int64_t rows_seen = -1;
  std::string second_error;
  std::thread writer([&] {
    core::Status begun = second->Begin(true);
    if (!begun.ok()) {
      second_error = begun.error().ToString();
      return;
    }
    saw_flag = first_committing.load();
    auto count = second->Prepare("SELECT count(*) FROM w");
    if (count.ok() && count.value()->Step().ok()) rows_seen = count.value()->ColumnInt(0);
    if (count.ok()) count.value()->Reset();
    (void)second->Execute("INSERT INTO w (who) VALUES ('second')");
    if (core::Status committed = second->Commit(); !committed.ok()) {
      second_error = committed.error().ToString();
    }
  });
  Statement* insert = Prepare("INSERT INTO w (who) VALUES ('first')");
  bool inserted = insert != nullptr && RunToEnd(insert);
  // Work the second writer would overlap with if it were not blocked.
  for (int i = 0; i < 20; ++i) QueryInt("SELECT count(*) FROM w");
  first_committing.store(true);
  core::Status committed = conn_->Commit();
  writer.join();

  ASSERT_TRUE(inserted);
  ASSERT_TRUE(committed.ok()) << committed.error().ToString();
  ASSERT_TRUE(second_error.empty()) << second_error;
  EXPECT_TRUE(saw_flag) << "the second writer began before the first committed";
  EXPECT_EQ(rows_seen, 1) << "the second writer did not see the first one's row";
  EXPECT_EQ(QueryInt("SELECT count(*) FROM w"), 2);
}

// Writers in threads each take the next sequence number (max + 1) and bump a
// counter, read-modify-write: serialized, none is lost, numbers are unique and
// dense, and each thread's numbers rise in its own commit order.
TEST_P(ConnectionTest, ConcurrentWritersLoseNothing) {
  Exec("CREATE TABLE seq (n BIGINT PRIMARY KEY, writer BIGINT NOT NULL)");
  Exec("CREATE TABLE counter (id BIGINT PRIMARY KEY, value BIGINT NOT NULL)");
  Exec("INSERT INTO counter (id, value) VALUES (1, 0)");
  constexpr int kWriters = 2;
  constexpr int kTransactions = 25;
  std::vector<std::unique_ptr<Connection>> connections;
  for (int i = 0; i < kWriters; ++i) {
    connections.push_back(Open());
    ASSERT_NE(connections.back(), nullptr);
  }
  std::vector<std::string> errors(kWriters);
  std::vector<std::vector<int64_t>> numbers(kWriters);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      Connection& conn = *connections[w];
      auto fail = [&](const core::Error& error) { errors[w] = error.ToString(); };
      for (int t = 0; t < kTransactions; ++t) {
        if (auto s = conn.Begin(true); !s.ok()) return fail(s.error());
        auto next = conn.Prepare("SELECT COALESCE(MAX(n), 0) + 1 FROM seq");
        auto read = conn.Prepare("SELECT value FROM counter WHERE id = 1");
        auto append = conn.Prepare("INSERT INTO seq (n, writer) VALUES (?, ?)");
        auto bump = conn.Prepare("UPDATE counter SET value = ? WHERE id = 1");
        for (const auto* p : {&next, &read, &append, &bump}) {
          if (!p->ok()) return fail(p->error());
        }
        auto row = (*next)->Step();
        if (!row.ok()) return fail(row.error());
        int64_t n = (*next)->ColumnInt(0);
        (*next)->Reset();
        row = (*read)->Step();
        if (!row.ok()) return fail(row.error());
        int64_t value = (*read)->ColumnInt(0);
        (*read)->Reset();
        (*append)->BindInt(0, n);
        (*append)->BindInt(1, w);
        if (row = (*append)->Step(); !row.ok()) return fail(row.error());
        (*bump)->BindInt(0, value + 1);
        if (row = (*bump)->Step(); !row.ok()) return fail(row.error());
        if (auto s = conn.Commit(); !s.ok()) return fail(s.error());
        numbers[w].push_back(n);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& error : errors) ASSERT_TRUE(error.empty()) << error;

  EXPECT_EQ(QueryInt("SELECT value FROM counter WHERE id = 1"), kWriters * kTransactions);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM seq"), kWriters * kTransactions);
  EXPECT_EQ(QueryInt("SELECT MAX(n) FROM seq"), kWriters * kTransactions);
  for (int w = 0; w < kWriters; ++w) {
    ASSERT_EQ(numbers[w].size(), static_cast<size_t>(kTransactions));
    for (size_t i = 1; i < numbers[w].size(); ++i) EXPECT_LT(numbers[w][i - 1], numbers[w][i]);
  }
}

INSTANTIATE_TEST_SUITE_P(Drivers, ConnectionTest,
                         ::testing::Values(Driver::kSqlite, Driver::kPostgres), DriverName);

// PostgreSQL-only behaviour: what SQLite has no equivalent of, or does
// differently by design.
class PostgresConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TESSERA_REQUIRE_POSTGRES();
    auto database = PostgresTestDatabase::Create(*PostgresTestUrl());
    ASSERT_TRUE(database.ok()) << database.error().ToString();
    database_ = std::move(database.value());
    auto connection = OpenPostgres(database_->url());
    ASSERT_TRUE(connection.ok()) << connection.error().ToString();
    conn_ = std::move(connection.value());
  }

  std::unique_ptr<PostgresTestDatabase> database_;
  std::unique_ptr<Connection> conn_;
};

TEST_F(PostgresConnectionTest, DollarQuotesAndEscapeStringsKeepTheirQuestionMarks) {
  auto select = conn_->Prepare(
      "SELECT $$ ? $$, $tag$ '? $$ $tag$, E'\\'?', ?, a$b FROM (SELECT 7 AS a$b) AS q");
  ASSERT_TRUE(select.ok()) << select.error().ToString();
  (*select)->BindText(0, "only");
  auto row = (*select)->Step();
  ASSERT_TRUE(row.ok() && row.value()) << (row.ok() ? "" : row.error().ToString());
  EXPECT_EQ((*select)->ColumnText(0), " ? ");
  EXPECT_EQ((*select)->ColumnText(1), " '? $$ ");
  EXPECT_EQ((*select)->ColumnText(2), "'?");
  EXPECT_EQ((*select)->ColumnText(3), "only");
  EXPECT_EQ((*select)->ColumnInt(4), 7);
}

TEST_F(PostgresConnectionTest, ErrorsCarryTheSqlstate) {
  auto bad = conn_->Prepare("SELEC 1");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_TRUE(bad.error().message.starts_with("SQLSTATE 42601: syntax error"))
      << bad.error().message;

  ASSERT_TRUE(conn_->Execute("CREATE TABLE u (k TEXT PRIMARY KEY)").ok());
  ASSERT_TRUE(conn_->Execute("INSERT INTO u VALUES ('a')").ok());
  auto insert = conn_->Prepare("INSERT INTO u (k) VALUES (?)");
  ASSERT_TRUE(insert.ok());
  (*insert)->BindText(0, "a");
  auto duplicate = (*insert)->Step();
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, core::ErrorCode::kIo);
  EXPECT_TRUE(duplicate.error().message.starts_with("SQLSTATE 23505: duplicate key value"))
      << duplicate.error().message;
  EXPECT_FALSE((*insert)->Step().ok()) << "a failed statement needs Reset()";
}

// PostgreSQL aborts a transaction at its first error and turns a later COMMIT
// into a rollback; the driver reports that rather than a successful commit.
TEST_F(PostgresConnectionTest, CommitAfterAnErrorFails) {
  ASSERT_TRUE(conn_->Execute("CREATE TABLE u (k TEXT PRIMARY KEY)").ok());
  ASSERT_TRUE(conn_->Begin(true).ok());
  ASSERT_TRUE(conn_->Execute("INSERT INTO u VALUES ('a')").ok());
  EXPECT_FALSE(conn_->Execute("INSERT INTO u VALUES ('a')").ok());
  core::Status committed = conn_->Commit();
  EXPECT_FALSE(committed.ok());
  auto count = conn_->Prepare("SELECT count(*) FROM u");
  ASSERT_TRUE(count.ok());
  ASSERT_TRUE((*count)->Step().ok());
  EXPECT_EQ((*count)->ColumnInt(0), 0);
}

TEST_F(PostgresConnectionTest, ReadTransactionsAreReadOnly) {
  ASSERT_TRUE(conn_->Execute("CREATE TABLE u (k TEXT)").ok());
  ASSERT_TRUE(conn_->Begin(false).ok());
  core::Status write = conn_->Execute("INSERT INTO u VALUES ('a')");
  ASSERT_FALSE(write.ok());
  EXPECT_TRUE(write.error().message.starts_with("SQLSTATE 25006")) << write.error().message;
  ASSERT_TRUE(conn_->Rollback().ok());
}

TEST_F(PostgresConnectionTest, TextWithNulIsRefusedNotTruncated) {
  auto select = conn_->Prepare("SELECT ?::text");
  ASSERT_TRUE(select.ok());
  (*select)->BindText(0, std::string_view("a\0b", 3));
  auto row = (*select)->Step();
  ASSERT_FALSE(row.ok());
  EXPECT_EQ(row.error().code, core::ErrorCode::kInvalidArgument);
  (*select)->Reset();
  (*select)->BindText(0, "ab");
  row = (*select)->Step();
  ASSERT_TRUE(row.ok() && row.value());
  EXPECT_EQ((*select)->ColumnText(0), "ab");
}

TEST_F(PostgresConnectionTest, BindingAnIndexOutOfRangeIsAnError) {
  auto select = conn_->Prepare("SELECT ?::bigint");
  ASSERT_TRUE(select.ok());
  (*select)->BindInt(1, 5);
  auto row = (*select)->Step();
  ASSERT_FALSE(row.ok());
  EXPECT_EQ(row.error().code, core::ErrorCode::kInvalidArgument);
}

TEST_F(PostgresConnectionTest, NoticesAndWarningsStayOffStderr) {
  ::testing::internal::CaptureStderr();
  EXPECT_TRUE(conn_->Execute("DROP TABLE IF EXISTS no_such_table").ok());  // a NOTICE
  EXPECT_TRUE(conn_->Execute("DO $$ BEGIN RAISE WARNING 'tessera test warning'; END $$").ok());
  std::string output = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(output, "");
}

TEST(PostgresOpenTest, AnUnreachableServerIsAnError) {
  auto connection = OpenPostgres("postgresql://nobody@127.0.0.1:1/none?connect_timeout=5");
  ASSERT_FALSE(connection.ok());
  EXPECT_EQ(connection.error().code, core::ErrorCode::kIo);
  EXPECT_NE(connection.error().message.find("cannot connect to PostgreSQL"), std::string::npos);
}

TEST(PostgresTestUrlTest, WithDatabaseReplacesTheDatabase) {
  using ::tessera::testing::WithDatabase;
  EXPECT_EQ(WithDatabase("postgresql://u@127.0.0.1:5432/tessera_test", "x"),
            "postgresql://u@127.0.0.1:5432/x");
  EXPECT_EQ(WithDatabase("postgres://u@h/db?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable");
  EXPECT_EQ(WithDatabase("postgresql://u@h:1", "x"), "postgresql://u@h:1/x");
  EXPECT_EQ(WithDatabase("postgresql://h?connect_timeout=3", "x"),
            "postgresql://h/x?connect_timeout=3");
  EXPECT_EQ(WithDatabase("host=h port=1 dbname=a", "x"), "host=h port=1 dbname=a dbname=x");
}

}  // namespace
}  // namespace tessera::store::sql
