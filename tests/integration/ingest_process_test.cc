// `tessera ingest` as real processes: killed with SIGKILL at random moments
// (the database stays intact, every batch reported committed is there, and a
// re-run completes the ingest without duplicates), and two processes writing
// overlapping data into one PostgreSQL at the same time (nothing lost, nothing
// duplicated).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"
#include "testing/postgres.h"

namespace tessera {
namespace {

namespace fs = std::filesystem;

constexpr int kBatchSize = 500;

// Writes `count` distinct domain names, one per line, from `first` on.
void WriteDomains(const fs::path& path, int first, int count) {
  std::ofstream out(path);
  for (int i = first; i < first + count; ++i) out << "host-" << i << ".tessera-crash.net\n";
}

std::string Domain(int i) { return "host-" + std::to_string(i) + ".tessera-crash.net"; }

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Starts `tessera ARGS...` with stdout and stderr to files; returns its pid.
pid_t Spawn(const std::vector<std::string>& args, const fs::path& out, const fs::path& err) {
  pid_t pid = fork();
  if (pid == 0) {
    FILE* o = std::freopen(out.c_str(), "w", stdout);
    FILE* e = std::freopen(err.c_str(), "w", stderr);
    if (o == nullptr || e == nullptr) _exit(127);
    std::vector<char*> argv;
    std::string binary = TESSERA_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

// The number of batches the log says were committed.
int CommittedBatches(const std::string& stderr_text) {
  static const std::regex kCommitted("committed batch ([0-9]+):");
  int last = 0;
  for (std::sregex_iterator it(stderr_text.begin(), stderr_text.end(), kCommitted), end;
       it != end; ++it) {
    last = std::stoi((*it)[1]);
  }
  return last;
}

bool HasValue(store::Store& db, const std::string& value) {
  store::Query q;
  q.value = value;
  auto n = db.Count(q);
  return n.ok() && *n == 1;
}

class IngestProcessTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tessera-ingest-process-" + std::to_string(::getpid()) + "-" + GetParam());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    if (GetParam() == "postgresql") {
      TESSERA_REQUIRE_POSTGRES();
      auto db = testing::PostgresTestDatabase::Create(*testing::PostgresTestUrl());
      ASSERT_TRUE(db.ok()) << db.error().ToString();
      pg_ = std::move(*db);
      url_ = pg_->url();
    } else {
      url_ = (dir_ / "store.db").string();
    }
  }
  void TearDown() override {
    pg_.reset();
    fs::remove_all(dir_);
  }

  std::unique_ptr<store::Store> Open() {
    auto db = store::OpenStore(url_, store::OpenOptions{.migrate = false});
    EXPECT_TRUE(db.ok()) << db.error().ToString();
    return db.ok() ? std::move(*db) : nullptr;
  }

  uint64_t DomainCount(store::Store& db) {
    store::Query q;
    q.types = {"domain-name"};
    auto n = db.Count(q);
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : 0;
  }

  fs::path dir_;
  std::string url_;
  std::unique_ptr<testing::PostgresTestDatabase> pg_;
};

TEST_P(IngestProcessTest, SigkillAtRandomMomentsLosesNoCommittedBatchAndRerunCompletes) {
  constexpr int kLines = 40'000;
  constexpr int kKills = 12;
  fs::path input = dir_ / "domains.txt";
  WriteDomains(input, 0, kLines);
  // The database exists before the first kill, so every kill hits an ingest.
  {
    auto db = store::OpenStore(url_);
    ASSERT_TRUE(db.ok()) << db.error().ToString();
  }
  std::vector<std::string> args = {"ingest", "--partner", "cert-a", "--from", "lines",
                                   "--db", url_, "--batch-size", std::to_string(kBatchSize),
                                   "--log-commits", "--no-warninglists", input.string()};
  std::mt19937 random(20261129);
  int killed_with_progress = 0;
  for (int round = 0; round < kKills; ++round) {
    fs::path out = dir_ / "out.txt";
    fs::path err = dir_ / "err.txt";
    pid_t pid = Spawn(args, out, err);
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(
        std::uniform_int_distribution<int>(20, GetParam() == "postgresql" ? 1500 : 600)(random)));
    ::kill(pid, SIGKILL);
    int status = Wait(pid);
    int committed = CommittedBatches(ReadFile(err));
    auto db = Open();
    ASSERT_TRUE(db);
    auto problems = db->Check();
    ASSERT_TRUE(problems.ok()) << problems.error().ToString();
    EXPECT_TRUE(problems->empty()) << "round " << round << ": " << (*problems)[0];
    uint64_t present = DomainCount(*db);
    // Batches commit in input order: what is there is a prefix of the input
    // (earlier rounds may have stored more than this one reported).
    EXPECT_GE(present, static_cast<uint64_t>(committed) * kBatchSize) << "round " << round;
    if (present > 0) {
      EXPECT_TRUE(HasValue(*db, Domain(static_cast<int>(present) - 1))) << "round " << round;
    }
    if (present < static_cast<uint64_t>(kLines)) {
      EXPECT_FALSE(HasValue(*db, Domain(static_cast<int>(present)))) << "round " << round;
      EXPECT_EQ(present % kBatchSize, 0u) << "a batch was stored in part";
    }
    if (status == 128 + SIGKILL && committed > 0) ++killed_with_progress;
  }
  EXPECT_GT(killed_with_progress, 0) << "no kill landed while batches were being committed";

  // A full run completes what the killed ones began, without duplicates.
  fs::path out = dir_ / "final.json";
  std::vector<std::string> final_args = args;
  final_args.insert(final_args.begin() + 1, "--json");
  ASSERT_EQ(Wait(Spawn(final_args, out, dir_ / "final.err")), 0) << ReadFile(dir_ / "final.err");
  std::string summary = ReadFile(out);
  auto db = Open();
  ASSERT_TRUE(db);
  EXPECT_EQ(DomainCount(*db), static_cast<uint64_t>(kLines));
  EXPECT_NE(summary.find("\"updated\":0"), std::string::npos) << summary;
  auto problems = db->Check();
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty());
  for (int i : {0, kLines / 2, kLines - 1}) EXPECT_TRUE(HasValue(*db, Domain(i)));
}

INSTANTIATE_TEST_SUITE_P(Backends, IngestProcessTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           return param_info.param;
                         });

// Two ingest processes, overlapping inputs, one PostgreSQL, at the same time.
TEST(ConcurrentIngestTest, TwoWritersOnPostgresLoseAndDuplicateNothing) {
  TESSERA_REQUIRE_POSTGRES();
  auto pg = testing::PostgresTestDatabase::Create(*testing::PostgresTestUrl());
  ASSERT_TRUE(pg.ok()) << pg.error().ToString();
  std::string url = (*pg)->url();
  fs::path dir = fs::temp_directory_path() / ("tessera-concurrent-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  constexpr int kEach = 20'000;
  constexpr int kOverlap = 10'000;
  WriteDomains(dir / "a.txt", 0, kEach);
  WriteDomains(dir / "b.txt", kEach - kOverlap, kEach);
  {
    auto db = store::OpenStore(url);
    ASSERT_TRUE(db.ok()) << db.error().ToString();
  }
  auto args = [&](const std::string& partner, const fs::path& file) {
    return std::vector<std::string>{"ingest", "--json", "-q", "--partner", partner, "--from",
                                    "lines", "--db", url, "--batch-size", "300",
                                    "--no-warninglists", file.string()};
  };
  pid_t a = Spawn(args("cert-a", dir / "a.txt"), dir / "a.out", dir / "a.err");
  pid_t b = Spawn(args("bank-b", dir / "b.txt"), dir / "b.out", dir / "b.err");
  EXPECT_EQ(Wait(a), 0) << ReadFile(dir / "a.err");
  EXPECT_EQ(Wait(b), 0) << ReadFile(dir / "b.err");
  auto db = store::OpenStore(url, store::OpenOptions{.migrate = false});
  ASSERT_TRUE(db.ok());
  store::Query all;
  all.types = {"domain-name"};
  EXPECT_EQ(*(*db)->Count(all), static_cast<uint64_t>(2 * kEach - kOverlap));
  store::Query by_a;
  by_a.partners = {"cert-a"};
  EXPECT_EQ(*(*db)->Count(by_a), static_cast<uint64_t>(kEach));
  store::Query by_b;
  by_b.partners = {"bank-b"};
  EXPECT_EQ(*(*db)->Count(by_b), static_cast<uint64_t>(kEach));
  // Every overlapping value is one object that knows both partners.
  for (int i : {kEach - kOverlap, kEach - 1, kEach - kOverlap / 2}) {
    store::Query q;
    q.value = Domain(i);
    auto page = (*db)->Search(q);
    ASSERT_TRUE(page.ok());
    ASSERT_EQ(page->objects.size(), 1u) << Domain(i);
    auto agg = (*db)->AggregatesOf(page->objects[0].id);
    ASSERT_TRUE(agg.ok() && *agg);
    EXPECT_EQ((*agg)->partners, 2u);
  }
  // The summaries add up: each value is new exactly once.
  std::string sa = ReadFile(dir / "a.out");
  std::string sb = ReadFile(dir / "b.out");
  std::regex new_count("\"new\":([0-9]+)");
  std::smatch ma, mb;
  ASSERT_TRUE(std::regex_search(sa, ma, new_count)) << sa;
  ASSERT_TRUE(std::regex_search(sb, mb, new_count)) << sb;
  EXPECT_EQ(std::stoi(ma[1]) + std::stoi(mb[1]), 2 * kEach - kOverlap);
  auto problems = (*db)->Check();
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty());
  db->reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tessera
