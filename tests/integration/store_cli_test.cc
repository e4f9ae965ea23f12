// Runs the real `tessera` binary on a temporary SQLite database: `db`, `query`,
// `show` and `quarantine`, their --json outputs and exit codes. The data is put
// in through the store API (so every case knows exactly what is stored), and
// once through `tessera ingest`.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/json.h"
#include "integration/run_tessera.h"
#include "stix/tlp.h"
#include "store/store.h"
#include "testing/stix_object.h"

namespace tessera {
namespace {

namespace fs = std::filesystem;

constexpr store::Micros kDay = 86'400'000'000;
constexpr store::Micros kT0 = 1'709'251'200'000'000;  // 2024-03-01T00:00:00Z

constexpr const char* kDomain = "domain-name--0b6f7c3e-3c4a-5d1e-9a47-1f0e2d3c4b5a";
constexpr const char* kUrl = "url--1c7a8d4f-4d5b-5e2f-8b58-2a1f3e4d5c6b";
constexpr const char* kIp = "ipv4-addr--2d8b9e5a-5e6c-5f3a-9c69-3b2a4f5e6d7c";
constexpr const char* kPrivateIp = "ipv4-addr--3e9cafb6-6f7d-5a4b-8d7a-4c3b5a6f7e8d";
constexpr const char* kNetwork = "ipv4-addr--4fadb0c7-7a8e-5b5c-9e8b-5d4c6b7a8f9e";
constexpr const char* kIndicator = "indicator--5a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
constexpr const char* kMalware = "malware--6b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e";
constexpr const char* kMergedMalware = "malware--7c2d3e4f-5a6b-4c7d-8e8f-9a0b1c2d3e4f";
constexpr const char* kRevokedActor = "threat-actor--8d3e4f5a-6b7c-4d8e-9f9a-0b1c2d3e4f5a";

// A StixObject from its JSON, as a 2.1 object.
stix::StixObject Obj(const std::string& text) {
  stix::StixObject o = testing::StixObjectFromJson(text);
  o.spec_version = "2.1";
  return o;
}

std::string Sco(std::string_view type, std::string_view id, std::string_view value) {
  std::string json = R"({"type":")";
  json.append(type).append(R"(","spec_version":"2.1","id":")").append(id);
  json.append(R"(","value":")").append(value).append("\"}");
  return json;
}

std::string IndicatorVersion(std::string_view modified, std::string_view name) {
  std::string json = R"({"type":"indicator","spec_version":"2.1","id":")";
  json.append(kIndicator)
      .append(R"(","created":"2024-01-01T00:00:00.000Z","modified":")")
      .append(modified)
      .append(R"(","name":")")
      .append(name)
      .append(R"(","pattern_type":"stix","pattern":"[url:value = 'http://evil-login.com/login']",)")
      .append(
          R"("valid_from":"2024-01-01T00:00:00Z","labels":["phishing"],"object_marking_refs":[")")
      .append(stix::Tlp2MarkingId(stix::TlpLevel::kAmber))
      .append("\"]}");
  return json;
}

std::string Malware(std::string_view id, std::string_view name, std::string_view aliases) {
  std::string json = R"({"type":"malware","spec_version":"2.1","id":")";
  json.append(id)
      .append(R"(","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z",)")
      .append(R"("name":")")
      .append(name)
      .append(R"(","is_family":true,"aliases":)")
      .append(aliases)
      .append("}");
  return json;
}

store::Submission Sub(const std::string& json, std::string position) {
  store::Submission s;
  s.object = Obj(json);
  s.position = std::move(position);
  return s;
}

store::Rejection Reject(std::string position, std::string reason, std::string raw) {
  store::Rejection r;
  r.position = std::move(position);
  r.reason = std::move(reason);
  r.raw = std::move(raw);
  return r;
}

// The ids on stdout, one per line (--ids), as a set.
std::set<std::string> Ids(const std::string& out) {
  std::set<std::string> ids;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) ids.insert(line);
  }
  return ids;
}

core::Json ParseOut(const CommandResult& run) {
  auto json = core::ParseJson(run.out);
  EXPECT_TRUE(json.ok()) << run.out << run.err;
  return json.ok() ? std::move(*json) : core::Json();
}

const core::Json& At(const core::Json& object, std::string_view key) {
  static const core::Json kNull;
  const core::Json* value = object.is_object() ? object.Find(key) : nullptr;
  EXPECT_NE(value, nullptr) << key << " missing in " << core::WriteJson(object);
  return value != nullptr ? *value : kNull;
}

int64_t Int(const core::Json& object, std::string_view key) {
  int64_t n = -1;
  EXPECT_TRUE(At(object, key).GetInt64(&n)) << key;
  return n;
}

std::string Str(const core::Json& object, std::string_view key) {
  const core::Json& value = At(object, key);
  return value.is_string() ? value.as_string() : std::string("<not a string>");
}

class StoreCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tessera-store-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "tessera.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // `tessera ARGS --db DB`.
  CommandResult Run(const std::string& args, const std::string& input = "") {
    return Tessera(args + " --db " + db_, input);
  }

  std::unique_ptr<store::Store> Open() {
    auto opened = store::OpenStore(db_);
    EXPECT_TRUE(opened.ok()) << opened.error().ToString();
    return opened.ok() ? std::move(*opened) : nullptr;
  }

  // Two partners' submissions, an ingest run, and quarantined records of the
  // `lines` format: one now valid, two still bad, one binary.
  void Populate() {
    std::unique_ptr<store::Store> db = Open();
    ASSERT_NE(db, nullptr);
    store::IngestRun run;
    run.partner = "acme";
    run.source = "acme.json";
    run.format = "stix";
    run.started = kT0;
    auto run_id = db->BeginRun(run);
    ASSERT_TRUE(run_id.ok());
    run.id = *run_id;

    store::Batch acme;
    acme.source = {"acme", "stix", "acme.json", run.id, kT0};
    acme.objects.push_back(Sub(Sco("domain-name", kDomain, "evil-login.com"), "@byte 10"));
    acme.objects.push_back(Sub(Sco("url", kUrl, "http://evil-login.com/login"), "@byte 90"));
    acme.objects.push_back(Sub(Sco("ipv4-addr", kIp, "198.51.100.7"), "@byte 200"));
    acme.objects.push_back(Sub(Sco("ipv4-addr", kNetwork, "198.51.100.0/24"), "@byte 300"));
    store::Submission private_ip = Sub(Sco("ipv4-addr", kPrivateIp, "10.1.2.3"), "@byte 400");
    private_ip.warnings.push_back({"reserved-ipv4", "10.1.2.3 is inside 10.0.0.0/8 (RFC 1918)"});
    acme.objects.push_back(std::move(private_ip));
    acme.objects.push_back(
        Sub(IndicatorVersion("2024-01-01T00:00:00.000Z", "Evil login page"), "@byte 500"));
    acme.objects.push_back(Sub(Malware(kMalware, "BadRAT", R"(["BRat"])"), "@byte 700"));
    std::string actor = R"({"type":"threat-actor","spec_version":"2.1","id":")";
    actor.append(kRevokedActor)
        .append(R"(","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-02T00:00:00.000Z",)")
        .append(R"("name":"Old Actor","revoked":true})");
    acme.objects.push_back(Sub(actor, "@byte 900"));
    auto put = db->Put(acme);
    ASSERT_TRUE(put.ok()) << put.error().ToString();

    store::Batch globex;
    globex.source = {"globex", "misp", "globex.json", 0, kT0 + kDay};
    globex.objects.push_back(Sub(Sco("domain-name", kDomain, "evil-login.com"), "@byte 5"));
    globex.objects.push_back(
        Sub(IndicatorVersion("2024-02-01T00:00:00.000Z", "Evil login page (updated)"), "@byte 50"));
    globex.objects.push_back(Sub(Malware(kMergedMalware, "badrat", R"(["Bad RAT"])"), "@byte 80"));
    globex.objects[0].sharing.tlp = "amber";
    globex.objects[0].sharing.communities = {"finance-isac"};
    put = db->Put(globex);
    ASSERT_TRUE(put.ok()) << put.error().ToString();

    store::Batch quarantined;
    quarantined.source = {"acme", "lines", "acme.txt", run.id, kT0};
    quarantined.rejected.push_back(
        Reject(":2", "ambiguous: valid as domain, filename", "example.py"));
    quarantined.rejected.push_back(Reject(":3", "not an observable", "not an observable at all"));
    quarantined.rejected.push_back(Reject(":4", "a reader bug, fixed since", "evil.org"));
    quarantined.rejected.push_back(Reject(":5", "binary",
                                          std::string("\x00\xff\x01"
                                                      "bin\n",
                                                      7)));
    put = db->Put(quarantined);
    ASSERT_TRUE(put.ok()) << put.error().ToString();

    run.finished = kT0 + 2'000'000;
    run.status = "done";
    run.records = 12;
    run.stats.new_objects = 8;
    run.stats.quarantined = 4;
    ASSERT_TRUE(db->FinishRun(run).ok());
  }

  // Quarantine entry ids in insertion order.
  std::vector<int64_t> QuarantineIds() {
    std::vector<int64_t> ids;
    std::unique_ptr<store::Store> db = Open();
    auto entries = db->ListQuarantine({});
    EXPECT_TRUE(entries.ok());
    for (const store::QuarantineEntry& e : *entries) ids.push_back(e.id);
    return ids;
  }

  fs::path dir_;
  std::string db_;
};

// ---- db --------------------------------------------------------------------------------

TEST_F(StoreCliTest, DbInitCreatesOnceAndCheckIsClean) {
  CommandResult check = Run("db check");
  EXPECT_EQ(check.exit_code, 3) << check.out;
  EXPECT_NE(check.err.find("tessera: "), std::string::npos) << check.err;
  EXPECT_EQ(Run("query").exit_code, 3);
  EXPECT_EQ(Run("show x").exit_code, 3);
  EXPECT_EQ(Run("quarantine list").exit_code, 3);
  EXPECT_FALSE(fs::exists(db_)) << "reading commands must not create the database";

  CommandResult init = Run("db init");
  EXPECT_EQ(init.exit_code, 0) << init.err;
  EXPECT_NE(init.out.find("created"), std::string::npos) << init.out;
  EXPECT_TRUE(fs::exists(db_));

  CommandResult again = Run("db init --json");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  core::Json j = ParseOut(again);
  EXPECT_FALSE(At(j, "created").as_bool());
  EXPECT_EQ(Str(j, "backend"), "sqlite");
  EXPECT_EQ(Int(j, "schema_version"), store::CurrentSchemaVersion());
  EXPECT_NE(Run("db init").out.find("already exists"), std::string::npos);

  CommandResult migrate = Run("db migrate --json");
  EXPECT_EQ(migrate.exit_code, 0) << migrate.err;
  j = ParseOut(migrate);
  EXPECT_EQ(Int(j, "applied"), 0);
  EXPECT_FALSE(At(j, "migrated").as_bool());

  check = Run("db check");
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("ok"), std::string::npos);
  Populate();
  check = Run("db check --json");
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  j = ParseOut(check);
  EXPECT_TRUE(At(j, "ok").as_bool());
  EXPECT_TRUE(At(j, "problems").as_array().empty());
}

TEST_F(StoreCliTest, DbCheckFindsAnOutdatedSchemaAndMigrateFixesIt) {
  std::ofstream(db_).flush();  // an empty file: a SQLite database without our schema
  CommandResult check = Run("db check --json");
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
  core::Json j = ParseOut(check);
  EXPECT_FALSE(At(j, "ok").as_bool());
  ASSERT_EQ(At(j, "problems").as_array().size(), 1u);
  EXPECT_NE(At(j, "problems").as_array()[0].as_string().find("schema version 0"),
            std::string::npos);
  CommandResult text = Run("db check");
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_NE(text.out.find("problem: "), std::string::npos) << text.out;
  EXPECT_EQ(Run("query").exit_code, 3) << "an outdated database is not usable for reading";

  CommandResult migrate = Run("db migrate --json");
  EXPECT_EQ(migrate.exit_code, 0) << migrate.err;
  j = ParseOut(migrate);
  EXPECT_TRUE(At(j, "migrated").as_bool());
  EXPECT_EQ(Int(j, "schema_version"), store::CurrentSchemaVersion());
  EXPECT_EQ(Run("db check").exit_code, 0);
  EXPECT_NE(Run("db migrate").out.find("no migrations applied"), std::string::npos);
}

TEST_F(StoreCliTest, DbStatsCountsWhatIsStored) {
  Populate();
  CommandResult stats = Run("db stats --json");
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  core::Json j = ParseOut(stats);
  EXPECT_EQ(Str(j, "backend"), "sqlite");
  EXPECT_EQ(Int(j, "schema_version"), store::CurrentSchemaVersion());
  // domain, url, 3 ipv4-addr, indicator, malware (the second one merged), threat-actor
  EXPECT_EQ(Int(j, "objects"), 8);
  EXPECT_EQ(Int(At(j, "objects_by_type"), "ipv4-addr"), 3);
  EXPECT_EQ(Int(At(j, "objects_by_type"), "malware"), 1);
  EXPECT_EQ(Int(j, "merged"), 1);
  EXPECT_EQ(Int(j, "partners"), 2);
  EXPECT_EQ(Int(j, "provenance"), 11);
  EXPECT_EQ(Int(j, "quarantined"), 4);
  EXPECT_EQ(Int(j, "runs"), 1);
  EXPECT_EQ(Int(j, "warninglisted"), 1);
  EXPECT_GE(Int(j, "versions"), 10);  // 9 rows (8 + the merged id), the indicator twice

  CommandResult text = Run("db stats");
  EXPECT_EQ(text.exit_code, 0);
  for (const char* expected : {"objects", "ipv4-addr", "merged ids", "quarantined", "sqlite"}) {
    EXPECT_NE(text.out.find(expected), std::string::npos) << expected << "\n" << text.out;
  }
}

TEST_F(StoreCliTest, DbRunsListsIngestRuns) {
  Populate();
  CommandResult runs = Run("db runs --json");
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  core::Json j = ParseOut(runs);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.as_array().size(), 1u);
  const core::Json& run = j.as_array()[0];
  EXPECT_EQ(Str(run, "partner"), "acme");
  EXPECT_EQ(Str(run, "status"), "done");
  EXPECT_EQ(Str(run, "started"), "2024-03-01T00:00:00.000Z");
  EXPECT_EQ(Int(run, "new"), 8);
  EXPECT_EQ(Int(run, "quarantined"), 4);
  CommandResult text = Run("db runs --limit 5");
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("acme.json"), std::string::npos) << text.out;
  EXPECT_EQ(Run("db runs --limit 0").exit_code, 2);
}

// ---- query -----------------------------------------------------------------------------

TEST_F(StoreCliTest, QueryFiltersMapToTheStore) {
  Populate();
  auto ids = [&](const std::string& filters) {
    CommandResult run = Run("query --ids " + filters);
    EXPECT_TRUE(run.exit_code == 0 || run.exit_code == 1) << filters << ": " << run.err;
    return Ids(run.out);
  };
  using Set = std::set<std::string>;
  EXPECT_EQ(ids("--type ipv4-addr"), (Set{kIp, kPrivateIp, kNetwork}));
  EXPECT_EQ(ids("--type ipv4-addr --type domain-name"), (Set{kIp, kPrivateIp, kNetwork, kDomain}));
  // The value is normalized as at ingest: refanged, lower-cased.
  EXPECT_EQ(ids("--value 'hxxp://EVIL-login[.]com/login'"), (Set{kUrl, kIndicator}));
  EXPECT_EQ(ids("--value EVIL-Login.COM"), (Set{kDomain}));
  EXPECT_EQ(ids("--value '198.51.100[.]7'"), (Set{kIp}));
  Set on_domain = ids("--domain evil-login.com");
  EXPECT_TRUE(on_domain.count(kDomain) && on_domain.count(kUrl)) << on_domain.size();
  EXPECT_FALSE(on_domain.count(kIp));
  EXPECT_EQ(ids("--inside 198.51.100.0/24"), (Set{kIp, kNetwork}));
  EXPECT_EQ(ids("--containing 198.51.100.7"), (Set{kIp, kNetwork}));
  EXPECT_EQ(ids("--partner globex"), (Set{kDomain, kIndicator, kMalware}));
  EXPECT_EQ(ids("--partner globex --partner acme --type url"), (Set{kUrl}));
  EXPECT_EQ(ids("--marking tlp:amber"), (Set{kIndicator}));
  EXPECT_EQ(ids("--marking TLP:AMBER"), (Set{kIndicator}));
  EXPECT_EQ(
      ids(std::string("--marking ") + std::string(stix::Tlp2MarkingId(stix::TlpLevel::kAmber))),
      (Set{kIndicator}));
  EXPECT_EQ(ids("--marking tlp:red"), Set{});
  EXPECT_EQ(ids("--label phishing"), (Set{kIndicator}));
  EXPECT_EQ(ids("--text brat"), (Set{kMalware}));  // an alias, any case
  EXPECT_EQ(ids("--type threat-actor"), Set{});    // revoked
  EXPECT_EQ(ids("--type threat-actor --include-revoked"), (Set{kRevokedActor}));
  EXPECT_EQ(ids("--type ipv4-addr --no-warninglisted"), (Set{kIp, kNetwork}));
  // Times: dates are midnight UTC, both ends inclusive.
  EXPECT_EQ(ids("--last-seen-after 2024-03-02"), (Set{kDomain, kIndicator, kMalware}));
  EXPECT_EQ(ids("--first-seen-after 2024-03-01T00:00:00.001Z"), Set{});
  EXPECT_EQ(ids("--first-seen-before 2024-03-01 --type url"), (Set{kUrl}));
  EXPECT_EQ(ids("--modified-after 2024-01-15"), (Set{kIndicator}));
  EXPECT_EQ(ids("--created-after 2024-01-01 --created-before 2024-01-01T00:00:00Z"),
            (Set{kIndicator, kMalware}));
  EXPECT_EQ(ids("--added-before 2024-02-29"), Set{});
}

TEST_F(StoreCliTest, QueryExitCodesFollowGrep) {
  Populate();
  CommandResult none = Run("query --value nothing.example");
  EXPECT_EQ(none.exit_code, 1) << none.err;
  EXPECT_EQ(none.out, "") << "no header when nothing matched";
  EXPECT_EQ(Run("query --type url").exit_code, 0);
  EXPECT_EQ(Run("query --inside not-a-network").exit_code, 2);
  EXPECT_EQ(Run("query --cursor junk").exit_code, 2);
  EXPECT_EQ(Run("query --created-after 2024-13-01").exit_code, 2);
  EXPECT_EQ(Run("query --marking amber-ish").exit_code, 2);
  EXPECT_EQ(Run("query --json --ids").exit_code, 2);
  EXPECT_EQ(Run("query --count --all").exit_code, 2);
  CommandResult help = Tessera("query --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("1 when none did"), std::string::npos) << help.out;
}

TEST_F(StoreCliTest, QueryOutputsTableJsonIdsAndCount) {
  Populate();
  CommandResult table = Run("query --type url --type ipv4-addr");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.out.rfind("ID ", 0), 0u) << table.out;
  EXPECT_NE(table.out.find("LAST SEEN"), std::string::npos);
  size_t url_line = table.out.find(std::string("\n") + kUrl + " ");
  ASSERT_NE(url_line, std::string::npos) << table.out;
  EXPECT_NE(table.out.substr(url_line, table.out.find('\n', url_line + 1) - url_line).find(" url "),
            std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("http://evil-login.com/login"), std::string::npos);
  EXPECT_NE(table.out.find("2024-03-01T00:00:00.000Z"), std::string::npos) << table.out;
  CommandResult named = Run("query --type indicator --type malware");
  EXPECT_NE(named.out.find("Evil login page (updated)"), std::string::npos) << named.out;
  EXPECT_NE(named.out.find("2024-03-02T00:00:00.000Z"), std::string::npos) << named.out;

  CommandResult all = Run("query --json");
  ASSERT_EQ(all.exit_code, 0);
  core::Json j = ParseOut(all);
  EXPECT_TRUE(At(j, "next").is_null());
  EXPECT_EQ(Int(j, "count"), 7);
  ASSERT_EQ(At(j, "objects").as_array().size(), 7u);
  for (const core::Json& object : At(j, "objects").as_array()) {
    EXPECT_FALSE(Str(object, "type").empty());
    if (Str(object, "id") == kIndicator) {
      EXPECT_EQ(Str(object, "name"), "Evil login page (updated)") << "the latest version";
    }
  }

  CommandResult count = Run("query --count");
  EXPECT_EQ(count.exit_code, 0);
  EXPECT_EQ(count.out, "7\n");
  count = Run("query --count --json --type url");
  EXPECT_EQ(Int(ParseOut(count), "count"), 1);
  count = Run("query --count --type campaign");
  EXPECT_EQ(count.exit_code, 1);
  EXPECT_EQ(count.out, "0\n");
}

TEST_F(StoreCliTest, QueryPagesWithCursorsAndAll) {
  Populate();
  std::set<std::string> every = Ids(Run("query --ids --limit 1000").out);
  ASSERT_EQ(every.size(), 7u);

  std::vector<std::string> paged;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    CommandResult run =
        Run("query --json --limit 3" + (cursor.empty() ? std::string() : " --cursor " + cursor));
    ASSERT_EQ(run.exit_code, 0) << run.err;
    core::Json j = ParseOut(run);
    const auto& objects = At(j, "objects").as_array();
    EXPECT_EQ(Int(j, "count"), static_cast<int64_t>(objects.size()));
    for (const core::Json& o : objects) paged.push_back(Str(o, "id"));
    if (At(j, "next").is_null()) break;
    EXPECT_EQ(objects.size(), 3u);
    cursor = At(j, "next").as_string();
  }
  EXPECT_EQ(paged.size(), 7u) << "no object skipped or repeated";
  EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()), every);

  CommandResult first = Run("query --ids --limit 3");
  EXPECT_EQ(Ids(first.out).size(), 3u);
  EXPECT_NE(first.err.find("--cursor"), std::string::npos) << "the next page is told on stderr";

  CommandResult streamed = Run("query --all --limit 2 --ids");
  EXPECT_EQ(streamed.exit_code, 0);
  EXPECT_EQ(Ids(streamed.out), every);
  EXPECT_EQ(streamed.err, "");
  CommandResult streamed_json = Run("query --all --limit 2 --json");
  core::Json j = ParseOut(streamed_json);
  EXPECT_EQ(Int(j, "count"), 7);
  EXPECT_TRUE(At(j, "next").is_null());
  CommandResult streamed_table = Run("query --all --limit 2");
  EXPECT_EQ(std::count(streamed_table.out.begin(), streamed_table.out.end(), '\n'), 8)
      << "one header, then a line per object:\n"
      << streamed_table.out;
}

// ---- show ------------------------------------------------------------------------------

TEST_F(StoreCliTest, ShowGivesVersionsProvenanceAndAggregates) {
  Populate();
  CommandResult run = Run(std::string("show --json ") + kIndicator);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  core::Json j = ParseOut(run);
  EXPECT_EQ(Str(At(j, "object"), "name"), "Evil login page (updated)");
  const auto& versions = At(j, "versions").as_array();
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(Str(versions[0], "modified"), "2024-01-01T00:00:00.000Z");
  EXPECT_FALSE(At(versions[0], "latest").as_bool());
  EXPECT_TRUE(At(versions[1], "latest").as_bool());
  EXPECT_EQ(versions[0].Find("object"), nullptr) << "objects of versions only with --versions";
  const auto& provenance = At(j, "provenance").as_array();
  ASSERT_EQ(provenance.size(), 2u);
  EXPECT_EQ(Str(provenance[0], "partner"), "acme");
  EXPECT_EQ(Str(provenance[0], "format"), "stix");
  EXPECT_EQ(Str(provenance[0], "file"), "acme.json");
  EXPECT_EQ(Str(provenance[0], "position"), "@byte 500");
  EXPECT_EQ(Str(provenance[0], "submitted_id"), kIndicator);
  EXPECT_EQ(Str(provenance[0], "first_received"), "2024-03-01T00:00:00.000Z");
  EXPECT_EQ(Int(provenance[0], "reports"), 1);
  EXPECT_GT(Int(provenance[0], "run"), 0);
  EXPECT_EQ(Str(provenance[1], "partner"), "globex");
  EXPECT_TRUE(At(provenance[1], "run").is_null());
  const core::Json& a = At(j, "aggregates");
  EXPECT_EQ(Str(a, "first_seen"), "2024-03-01T00:00:00.000Z");
  EXPECT_EQ(Str(a, "last_seen"), "2024-03-02T00:00:00.000Z");
  EXPECT_EQ(Int(a, "partners"), 2);
  EXPECT_EQ(Int(a, "reports"), 2);

  run = Run(std::string("show --json --versions ") + kIndicator);
  j = ParseOut(run);
  EXPECT_EQ(Str(At(At(j, "versions").as_array()[0], "object"), "name"), "Evil login page");

  run = Run(std::string("show --json --version 2024-01-01T00:00:00.000Z ") + kIndicator);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(Str(At(ParseOut(run), "object"), "name"), "Evil login page");

  run = Run(std::string("show --version 2023-06-01T00:00:00Z ") + kIndicator);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("no version modified"), std::string::npos) << run.err;
  EXPECT_EQ(Run(std::string("show --version yesterday ") + kIndicator).exit_code, 2);

  CommandResult text = Run(std::string("show ") + kIndicator);
  EXPECT_EQ(text.exit_code, 0);
  for (const char* expected :
       {"\"name\": \"Evil login page (updated)\"", "Versions (2", "Provenance (2 source records)",
        "globex", "acme.json@byte 500", "Aggregates", "partners      2"}) {
    EXPECT_NE(text.out.find(expected), std::string::npos) << expected << "\n" << text.out;
  }
  CommandResult shared = Run(std::string("show ") + kDomain);
  EXPECT_NE(shared.out.find("TLP:amber; communities: finance-isac"), std::string::npos)
      << shared.out;
}

TEST_F(StoreCliTest, ShowResolvesMergedIdsAndListsWarninglists) {
  Populate();
  CommandResult merged = Run(std::string("show --json ") + kMergedMalware);
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  core::Json j = ParseOut(merged);
  EXPECT_EQ(Str(At(j, "object"), "id"), kMalware);
  const auto& merged_ids = At(At(j, "aggregates"), "merged_ids").as_array();
  ASSERT_EQ(merged_ids.size(), 1u);
  EXPECT_EQ(merged_ids[0].as_string(), kMergedMalware);
  bool submitted_as_merged = false;
  for (const core::Json& p : At(j, "provenance").as_array()) {
    submitted_as_merged = submitted_as_merged || Str(p, "submitted_id") == kMergedMalware;
  }
  EXPECT_TRUE(submitted_as_merged);
  CommandResult text = Run(std::string("show ") + kMergedMalware);
  EXPECT_NE(text.out.find(std::string(kMergedMalware) + " was merged into " + kMalware),
            std::string::npos)
      << text.out;

  core::Json flagged = ParseOut(Run(std::string("show --json ") + kPrivateIp));
  const auto& lists = At(At(flagged, "aggregates"), "warninglists").as_array();
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_EQ(Str(lists[0], "list"), "reserved-ipv4");
  EXPECT_NE(Run(std::string("show ") + kPrivateIp).out.find("reserved-ipv4: 10.1.2.3 is inside"),
            std::string::npos);
}

TEST_F(StoreCliTest, ShowUnknownIdExitsOne) {
  Populate();
  std::string id = "indicator--00000000-0000-4000-8000-000000000000";
  CommandResult run = Run("show " + id);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "tessera: " + id + ": not found\n");
  EXPECT_EQ(Run("show --json " + id).exit_code, 1);
  EXPECT_EQ(Run("show").exit_code, 2);
}

// ---- quarantine ------------------------------------------------------------------------

TEST_F(StoreCliTest, QuarantineListAndShow) {
  Populate();
  std::vector<int64_t> ids = QuarantineIds();
  ASSERT_EQ(ids.size(), 4u);

  CommandResult list = Run("quarantine list --json");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  core::Json j = ParseOut(list);
  const auto& entries = At(j, "entries").as_array();
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_TRUE(At(j, "next").is_null());
  EXPECT_EQ(Int(entries[0], "id"), ids[0]);
  EXPECT_EQ(Str(entries[0], "partner"), "acme");
  EXPECT_EQ(Str(entries[0], "format"), "lines");
  EXPECT_EQ(Str(entries[0], "file"), "acme.txt");
  EXPECT_EQ(Str(entries[0], "position"), ":2");
  EXPECT_EQ(Str(entries[0], "reason"), "ambiguous: valid as domain, filename");
  EXPECT_EQ(Int(entries[0], "bytes"), 10);
  EXPECT_EQ(entries[0].Find("raw"), nullptr);

  j = ParseOut(Run("quarantine list --json --limit 3"));
  EXPECT_EQ(At(j, "entries").as_array().size(), 3u);
  EXPECT_EQ(Int(j, "next"), ids[2]);
  j = ParseOut(Run("quarantine list --json --after " + std::to_string(ids[2])));
  ASSERT_EQ(At(j, "entries").as_array().size(), 1u);
  EXPECT_EQ(Int(At(j, "entries").as_array()[0], "id"), ids[3]);
  EXPECT_TRUE(
      ParseOut(Run("quarantine list --json --partner globex")).Find("entries")->as_array().empty());
  EXPECT_EQ(ParseOut(Run("quarantine list --json --run 1")).Find("entries")->as_array().size(), 4u);
  CommandResult table = Run("quarantine list");
  EXPECT_NE(table.out.find("acme.txt:3"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("not an observable"), std::string::npos);

  CommandResult show = Run("quarantine show --json " + std::to_string(ids[0]));
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(Str(ParseOut(show), "raw"), "example.py");
  CommandResult text = Run("quarantine show " + std::to_string(ids[0]));
  EXPECT_NE(text.out.find("position  acme.txt:2"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("\nexample.py\n"), std::string::npos) << text.out;

  // Bytes that are not text: base64 in JSON, exact with --raw.
  std::string binary(
      "\x00\xff\x01"
      "bin\n",
      7);
  show = Run("quarantine show --json " + std::to_string(ids[3]));
  j = ParseOut(show);
  EXPECT_EQ(j.Find("raw"), nullptr);
  EXPECT_EQ(Str(j, "raw_base64"), "AP8BYmluCg==");
  CommandResult raw = Run("quarantine show --raw " + std::to_string(ids[3]));
  EXPECT_EQ(raw.exit_code, 0);
  EXPECT_EQ(raw.out, binary);
  EXPECT_NE(Run("quarantine show " + std::to_string(ids[3])).out.find("--raw"), std::string::npos);

  CommandResult missing = Run("quarantine show 999999");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err, "tessera: quarantine entry 999999: not found\n");
  EXPECT_EQ(Run("quarantine show --raw --json 1").exit_code, 2);
}

TEST_F(StoreCliTest, QuarantineDrop) {
  Populate();
  std::vector<int64_t> ids = QuarantineIds();
  CommandResult drop = Run("quarantine drop --json " + std::to_string(ids[3]) + " 999999");
  EXPECT_EQ(drop.exit_code, 1) << "one id was not there";
  core::Json j = ParseOut(drop);
  ASSERT_EQ(At(j, "dropped").as_array().size(), 1u);
  ASSERT_EQ(At(j, "missing").as_array().size(), 1u);
  EXPECT_NE(drop.err.find("999999: not found"), std::string::npos);
  EXPECT_EQ(Run("quarantine show " + std::to_string(ids[3])).exit_code, 1);
  drop = Run("quarantine drop " + std::to_string(ids[2]));
  EXPECT_EQ(drop.exit_code, 0);
  EXPECT_EQ(drop.out, "dropped 1 entry\n");
  EXPECT_EQ(QuarantineIds().size(), 2u);
}

TEST_F(StoreCliTest, QuarantineRetryStoresWhatNowReadsAndKeepsTheRest) {
  Populate();
  std::vector<int64_t> ids = QuarantineIds();
  // ids[2] holds "evil.org": valid for `lines` now. ids[1] is still no observable.
  CommandResult retry = Run("quarantine retry --json --tlp green " + std::to_string(ids[2]) + " " +
                            std::to_string(ids[1]));
  EXPECT_EQ(retry.exit_code, 1) << "one entry stayed";
  core::Json j = ParseOut(retry);
  EXPECT_EQ(Int(j, "stored"), 1);
  EXPECT_EQ(Int(j, "kept"), 1);
  const auto& results = At(j, "results").as_array();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(Str(results[0], "status"), "stored");
  EXPECT_EQ(Int(results[0], "new"), 1);
  EXPECT_EQ(Str(results[1], "status"), "rejected");
  EXPECT_FALSE(Str(results[1], "reason").empty());

  // Stored as the entry's partner, file and position; the entry is gone.
  CommandResult found = Run("query --ids --value evil.org");
  ASSERT_EQ(found.exit_code, 0) << found.err;
  std::string id = *Ids(found.out).begin();
  core::Json shown = ParseOut(Run("show --json " + id));
  const core::Json& p = At(shown, "provenance").as_array().at(0);
  EXPECT_EQ(Str(p, "partner"), "acme");
  EXPECT_EQ(Str(p, "format"), "lines");
  EXPECT_EQ(Str(p, "file"), "acme.txt");
  EXPECT_EQ(Str(p, "position"), ":4");
  EXPECT_EQ(Str(At(p, "sharing"), "tlp"), "green");
  EXPECT_EQ(Run("quarantine show " + std::to_string(ids[2])).exit_code, 1);
  EXPECT_EQ(Run("quarantine show " + std::to_string(ids[1])).exit_code, 0) << "kept";

  // Text output: the new reason of what stays.
  CommandResult again = Run("quarantine retry " + std::to_string(ids[1]));
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.out.find("entry " + std::to_string(ids[1]) + ": still rejected: "),
            std::string::npos)
      << again.out;
  EXPECT_EQ(Run("quarantine retry 999999").exit_code, 1);
  EXPECT_EQ(Run("quarantine retry").exit_code, 2);
}

TEST_F(StoreCliTest, QuarantineRetryWithReaderOptionsAndAll) {
  Populate();
  std::vector<int64_t> ids = QuarantineIds();
  // "example.py" is ambiguous until the reader is told the kind.
  CommandResult plain = Run("quarantine retry " + std::to_string(ids[0]));
  EXPECT_EQ(plain.exit_code, 1);
  CommandResult with_kind = Run("quarantine retry -o kind=domain " + std::to_string(ids[0]));
  EXPECT_EQ(with_kind.exit_code, 0) << with_kind.out << with_kind.err;
  EXPECT_EQ(Run("query --ids --type domain-name --value example.py").exit_code, 0);

  // --all: the valid one is stored, the text and binary ones stay.
  CommandResult all = Run("quarantine retry --all --partner acme --json");
  EXPECT_EQ(all.exit_code, 1);
  core::Json j = ParseOut(all);
  EXPECT_EQ(Int(j, "stored"), 1);
  EXPECT_EQ(Int(j, "kept"), 2);
  EXPECT_EQ(QuarantineIds().size(), 2u);
  EXPECT_EQ(Run("quarantine retry --partner acme 1").exit_code, 2) << "--partner needs --all";
  EXPECT_EQ(Run("db check").exit_code, 0);
}

// The whole path through `tessera ingest`: a bad line is quarantined in the
// run, shown, and retried with the reader option that reads it.
TEST_F(StoreCliTest, IngestedRejectsCanBeRetried) {
  fs::path input = dir_ / "feed.txt";
  std::ofstream(input) << "evil-login.com\nexample.py\nhttp://evil-login.com/a\n";
  CommandResult ingest = Run("ingest --partner acme --from lines -q " + input.string());
  ASSERT_EQ(ingest.exit_code, 1) << "a record was quarantined: " << ingest.err;
  core::Json runs = ParseOut(Run("db runs --json"));
  ASSERT_EQ(runs.as_array().size(), 1u);
  int64_t run_id = Int(runs.as_array()[0], "id");
  EXPECT_EQ(Int(runs.as_array()[0], "quarantined"), 1);

  core::Json list = ParseOut(Run("quarantine list --json --run " + std::to_string(run_id)));
  ASSERT_EQ(At(list, "entries").as_array().size(), 1u);
  const core::Json& entry = At(list, "entries").as_array()[0];
  EXPECT_EQ(Str(entry, "file"), input.string());
  EXPECT_TRUE(Str(entry, "position").ends_with(":2")) << Str(entry, "position");
  std::string id = std::to_string(Int(entry, "id"));
  EXPECT_EQ(Run("quarantine show --raw " + id).out, "example.py");

  EXPECT_EQ(Run("query --count --domain evil-login.com").out, "2\n");
  CommandResult retry = Run("quarantine retry -o kind=filename " + id);
  EXPECT_EQ(retry.exit_code, 0) << retry.out << retry.err;
  CommandResult file = Run("query --json --type file");
  ASSERT_EQ(file.exit_code, 0) << file.err;
  EXPECT_EQ(Int(ParseOut(file), "count"), 1);
  EXPECT_TRUE(At(ParseOut(Run("quarantine list --json")), "entries").as_array().empty());
  EXPECT_EQ(Run("db check").exit_code, 0);
}

}  // namespace
}  // namespace tessera
