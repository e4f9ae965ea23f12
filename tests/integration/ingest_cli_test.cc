// Runs the real `tessera ingest` on a temporary SQLite database with small
// fixtures written by each test: the JSON and text summaries, deduplication on
// re-ingest and across partners, quarantine, exit codes, stdin, the sharing
// request, warninglists, progress lines and commit logging. Results are read
// back with `tessera db`, `query`, `show` and `quarantine`, as a user would.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "integration/run_tessera.h"

namespace tessera {
namespace {

namespace fs = std::filesystem;

// STIX 2.1 §2.9: the deterministic id of domain-name "evil-login.com", the id
// every reader gives that domain.
constexpr const char* kEvilLoginDomain = "domain-name--c015f462-9e84-5815-bba0-a47b4a4c49c1";

// An indicator, the domain it is about, a malware and the relationship between
// indicator and malware: 4 records, 4 objects.
constexpr const char* kBundle =
    R"({"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"Evil login page","pattern":"[domain-name:value = 'evil-login.com']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"},
{"type":"domain-name","spec_version":"2.1","id":"domain-name--c015f462-9e84-5815-bba0-a47b4a4c49c1","value":"evil-login.com"},
{"type":"malware","spec_version":"2.1","id":"malware--6b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","name":"BadRAT","is_family":true},
{"type":"relationship","spec_version":"2.1","id":"relationship--7c2d3e4f-5a6b-4c7d-8e8f-9a0b1c2d3e4f","created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","relationship_type":"indicates","source_ref":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","target_ref":"malware--6b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e"}
]}
)";

// Two rows; with the column mapping below each becomes a url, an indicator for
// it and the indicator's based-on relationship: 2 records, 6 objects.
constexpr const char* kCsv =
    "url,first_seen,malware\n"
    "http://malicious-downloads.net/a.exe,2024-03-01 10:00:00,emotet\n"
    "http://phish-bank-login.net/login,2024-03-02 11:00:00,\n";
constexpr const char* kCsvColumns = "-o columns=url,time:first_seen,malware:label";

core::Json Parse(const std::string& text) {
  auto json = core::ParseJson(text);
  EXPECT_TRUE(json.ok()) << "not JSON: " << text;
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
  EXPECT_TRUE(At(object, key).GetInt64(&n)) << key << " in " << core::WriteJson(object);
  return n;
}

std::string Str(const core::Json& object, std::string_view key) {
  const core::Json& value = At(object, key);
  return value.is_string() ? value.as_string() : std::string("<not a string>");
}

// A copy, so that `Arr(Show(id), "provenance")` outlives the temporary.
core::Json::Array Arr(const core::Json& object, std::string_view key) {
  const core::Json& value = At(object, key);
  EXPECT_TRUE(value.is_array()) << key << " in " << core::WriteJson(object);
  return value.is_array() ? value.as_array() : core::Json::Array();
}

std::vector<std::string> Strings(const core::Json::Array& array) {
  std::vector<std::string> out;
  for (const core::Json& v : array) out.push_back(v.is_string() ? v.as_string() : "<not a string>");
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// Lines on stderr that are neither the closing summary nor its quarantine hint:
// progress lines and commit lines.
std::vector<std::string> ProgressLines(const std::string& err) {
  std::vector<std::string> out;
  for (const std::string& line : Lines(err)) {
    if (line.starts_with("tessera ingest: ") && !line.starts_with("tessera ingest: run ") &&
        !line.starts_with("tessera ingest: committed batch ") &&
        !line.starts_with("tessera ingest: note: ") &&
        !line.starts_with("tessera ingest: see them")) {
      out.push_back(line);
    }
  }
  return out;
}

class IngestCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tessera-ingest-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "tessera.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // `tessera ARGS --db DB`, `input` on stdin.
  CommandResult Run(const std::string& args, const std::string& input = "") {
    return Tessera(args + " --db " + db_, input);
  }

  // Registers the partners and communities the sharing tests name.
  void RegisterPartners() {
    for (const char* args : {"partner add globex", "partner add initech",
                             "community add finance-isac", "community add energy-isac"}) {
      CommandResult run = Run(args);
      ASSERT_EQ(run.exit_code, 0) << args << ": " << run.err;
    }
  }

  // Writes a fixture into the test's folder; returns its path.
  std::string Write(const std::string& name, const std::string& content) {
    fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }

  // `ingest ... --json`: the summary object, after checking that stdout is
  // exactly one JSON line.
  core::Json Summary(const CommandResult& run) {
    EXPECT_EQ(Lines(run.out).size(), 1u) << "one JSON object on stdout:\n" << run.out;
    EXPECT_TRUE(run.out.ends_with("\n")) << run.out;
    core::Json j = Parse(run.out);
    EXPECT_TRUE(j.is_object()) << run.out;
    return j;
  }

  // The id of the one object of `type` with observable `value`.
  std::string IdOf(const std::string& type, const std::string& value) {
    CommandResult run = Run("query --ids --type " + type + " --value " + value);
    EXPECT_EQ(run.exit_code, 0) << type << " " << value << ": " << run.err;
    std::vector<std::string> ids = Lines(run.out);
    EXPECT_EQ(ids.size(), 1u) << type << " " << value << ":\n" << run.out;
    return ids.empty() ? std::string() : ids[0];
  }

  core::Json Show(const std::string& id) {
    CommandResult run = Run("show --json " + id);
    EXPECT_EQ(run.exit_code, 0) << id << ": " << run.err;
    return Parse(run.out);
  }

  core::Json Stats() {
    CommandResult run = Run("db stats --json");
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return Parse(run.out);
  }

  core::Json Runs() {
    CommandResult run = Run("db runs --json");
    EXPECT_EQ(run.exit_code, 0) << run.err;
    core::Json j = Parse(run.out);
    EXPECT_TRUE(j.is_array()) << run.out;
    return j;
  }

  // `count` generated domains, one a line.
  std::string GeneratedLines(int count) {
    std::string text;
    for (int i = 0; i < count; ++i) {
      text.append("host").append(std::to_string(i)).append(".malicious-c2.net\n");
    }
    return Write("generated.txt", text);
  }

  fs::path dir_;
  std::string db_;
};

// ---- summaries ------------------------------------------------------------------------

TEST_F(IngestCliTest, StixBundleIsStoredWithJsonSummaryOnStdoutAndTextOnStderr) {
  std::string bundle = Write("bundle.json", kBundle);
  CommandResult run = Run("ingest --partner acme --json " + bundle);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  core::Json j = Summary(run);
  EXPECT_EQ(Int(j, "run"), 1);
  EXPECT_EQ(Str(j, "partner"), "acme");
  EXPECT_EQ(Str(j, "status"), "done");
  EXPECT_EQ(Int(j, "records"), 4);
  EXPECT_EQ(Int(j, "objects"), 4);
  EXPECT_EQ(Int(j, "new"), 4);
  EXPECT_EQ(Int(j, "updated"), 0);
  EXPECT_EQ(Int(j, "duplicates"), 0);
  EXPECT_EQ(Int(j, "merged"), 0);
  EXPECT_EQ(Int(j, "quarantined"), 0);
  EXPECT_EQ(Int(j, "bytes"), static_cast<int64_t>(fs::file_size(bundle)));
  ASSERT_TRUE(At(j, "seconds").is_number());
  EXPECT_GE(At(j, "seconds").as_double(), 0);
  EXPECT_EQ(j.Find("error"), nullptr) << "no error on success";
  EXPECT_TRUE(Contains(run.err,
                       "tessera ingest: run 1 done: 4 records, 4 objects: 4 new, "
                       "0 updated, 0 duplicates (0 merged), 0 quarantined; "))
      << run.err;

  core::Json stats = Stats();
  EXPECT_EQ(Int(stats, "objects"), 4);
  for (const char* type : {"indicator", "domain-name", "malware", "relationship"}) {
    EXPECT_EQ(Int(At(stats, "objects_by_type"), type), 1) << type;
  }
  core::Json shown = Show(kEvilLoginDomain);
  const auto& provenance = Arr(shown, "provenance");
  ASSERT_EQ(provenance.size(), 1u);
  EXPECT_EQ(Str(provenance[0], "partner"), "acme");
  EXPECT_EQ(Str(provenance[0], "format"), "stix");
  EXPECT_EQ(Str(provenance[0], "file"), bundle);
  EXPECT_EQ(Int(provenance[0], "run"), 1);

  // -q with --json: the JSON only.
  CommandResult quiet = Run("ingest --partner acme --json -q " + bundle);
  EXPECT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(Int(Summary(quiet), "run"), 2);
  EXPECT_EQ(quiet.err, "");
  // Without --json: nothing on stdout.
  CommandResult text = Run("ingest --partner acme " + bundle);
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out, "");
  EXPECT_TRUE(Contains(text.err, "tessera ingest: run 3 done: ")) << text.err;
}

TEST_F(IngestCliTest, CsvFeedIsStoredWithTheReaderOptions) {
  std::string csv = Write("feed.csv", kCsv);
  CommandResult run = Run("ingest --partner acme --json " + std::string(kCsvColumns) + " " + csv);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  core::Json j = Summary(run);
  EXPECT_EQ(Str(j, "status"), "done");
  EXPECT_EQ(Int(j, "records"), 2);
  EXPECT_EQ(Int(j, "objects"), 6);
  EXPECT_EQ(Int(j, "new"), 6);
  EXPECT_EQ(Int(j, "duplicates"), 0);
  EXPECT_EQ(Int(j, "quarantined"), 0);
  EXPECT_EQ(Int(j, "bytes"), static_cast<int64_t>(fs::file_size(csv)));
  EXPECT_TRUE(Contains(run.err, "2 records, 6 objects: 6 new")) << run.err;

  core::Json stats = Stats();
  EXPECT_EQ(Int(At(stats, "objects_by_type"), "url"), 2);
  EXPECT_EQ(Int(At(stats, "objects_by_type"), "indicator"), 2);
  EXPECT_EQ(Int(At(stats, "objects_by_type"), "relationship"), 2);
  // The -o column mapping reached the reader: the malware column became a label.
  CommandResult labelled = Run("query --ids --label emotet");
  EXPECT_EQ(labelled.exit_code, 0) << labelled.err;
  EXPECT_EQ(Lines(labelled.out).size(), 1u) << labelled.out;
  EXPECT_EQ(IdOf("url", "http://phish-bank-login.net/login").rfind("url--", 0), 0u);
}

// ---- deduplication --------------------------------------------------------------------

TEST_F(IngestCliTest, IngestingTheSameInputAgainChangesNothing) {
  std::string bundle = Write("bundle.json", kBundle);
  std::string csv = Write("feed.csv", kCsv);
  // Reader options go to every input, so the two files are two runs.
  std::string stix_args = "ingest --partner acme --json -q " + bundle;
  std::string csv_args = "ingest --partner acme --json -q " + std::string(kCsvColumns) + " " + csv;
  for (const std::string& args : {stix_args, csv_args}) {
    CommandResult first = Run(args);
    ASSERT_EQ(first.exit_code, 0) << args << ": " << first.err;
    EXPECT_EQ(Int(Summary(first), "duplicates"), 0) << args;
  }
  core::Json before = Stats();
  EXPECT_EQ(Int(before, "objects"), 10);

  for (const std::string& args : {stix_args, csv_args}) {
    CommandResult again = Run(args);
    ASSERT_EQ(again.exit_code, 0) << args << ": " << again.err;
    core::Json j = Summary(again);
    int64_t objects = args == stix_args ? 4 : 6;
    EXPECT_EQ(Str(j, "status"), "done");
    EXPECT_EQ(Int(j, "objects"), objects) << args;
    EXPECT_EQ(Int(j, "duplicates"), objects) << args << ": every object is a duplicate";
    EXPECT_EQ(Int(j, "new"), 0) << args;
    EXPECT_EQ(Int(j, "updated"), 0) << args;
    EXPECT_EQ(Int(j, "merged"), 0) << args;
  }

  core::Json after = Stats();
  for (const char* key : {"objects", "versions", "provenance", "partners", "merged"}) {
    EXPECT_EQ(Int(after, key), Int(before, key)) << key;
  }
  EXPECT_EQ(core::WriteJson(At(after, "objects_by_type")),
            core::WriteJson(At(before, "objects_by_type")));
  EXPECT_EQ(Int(after, "runs"), 4);
  // Only the report counts move.
  const auto& provenance = Arr(Show(kEvilLoginDomain), "provenance");
  ASSERT_EQ(provenance.size(), 1u);
  EXPECT_EQ(Int(provenance[0], "reports"), 2);
}

TEST_F(IngestCliTest, TheSameObservableFromTwoPartnersIsOneObject) {
  std::string bundle = Write("bundle.json", kBundle);
  std::string list = Write("globex.txt", "evil-login.com\n");
  ASSERT_EQ(Run("ingest --partner acme -q " + bundle).exit_code, 0);
  CommandResult globex = Run("ingest --partner globex --from lines --json -q " + list);
  ASSERT_EQ(globex.exit_code, 0) << globex.err;
  core::Json j = Summary(globex);
  EXPECT_EQ(Int(j, "new"), 0);
  EXPECT_EQ(Int(j, "duplicates"), 1);

  EXPECT_EQ(IdOf("domain-name", "evil-login.com"), kEvilLoginDomain);
  core::Json shown = Show(kEvilLoginDomain);
  std::set<std::string> partners;
  std::set<std::string> formats;
  for (const core::Json& p : Arr(shown, "provenance")) {
    partners.insert(Str(p, "partner"));
    formats.insert(Str(p, "format"));
  }
  EXPECT_EQ(partners, (std::set<std::string>{"acme", "globex"}));
  EXPECT_EQ(formats, (std::set<std::string>{"stix", "lines"}));
  EXPECT_EQ(Int(At(shown, "aggregates"), "partners"), 2);
  EXPECT_EQ(Int(Stats(), "partners"), 2);
}

// ---- quarantine and exit codes --------------------------------------------------------

TEST_F(IngestCliTest, BadRecordsAreQuarantinedWithPositionAndReason) {
  std::string list = Write("acme.txt", "evil-login.com\nnot an observable at all\n198.51.100.7\n");
  CommandResult run = Run("ingest --partner acme --from lines --json " + list);
  EXPECT_EQ(run.exit_code, 1) << "a record was quarantined: " << run.err;
  core::Json j = Summary(run);
  EXPECT_EQ(Int(j, "records"), 3);
  EXPECT_EQ(Int(j, "new"), 2) << "the good lines are stored";
  EXPECT_EQ(Int(j, "quarantined"), 1);
  EXPECT_TRUE(Contains(run.err, "tessera quarantine list --run " + std::to_string(Int(j, "run"))))
      << run.err;

  CommandResult listed = Run("quarantine list --json");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto& entries = Arr(Parse(listed.out), "entries");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(Str(entries[0], "partner"), "acme");
  EXPECT_EQ(Str(entries[0], "format"), "lines");
  EXPECT_EQ(Str(entries[0], "file"), list);
  EXPECT_EQ(Str(entries[0], "position"), ":2");
  EXPECT_FALSE(Str(entries[0], "reason").empty());
  EXPECT_EQ(Int(entries[0], "run"), Int(j, "run"));
  CommandResult raw = Run("quarantine show --raw " + std::to_string(Int(entries[0], "id")));
  EXPECT_EQ(raw.out, "not an observable at all");
  EXPECT_EQ(IdOf("ipv4-addr", "198.51.100.7").rfind("ipv4-addr--", 0), 0u);
}

TEST_F(IngestCliTest, UsageErrorsExitTwoAndStoreNothing) {
  std::string list = Write("acme.txt", "evil-login.com\n");
  struct Case {
    std::string args;
    std::string said;  // on stderr
  };
  for (const Case& c : std::vector<Case>{
           {"", "--partner"},
           {"--partner acme --tlp red", "--recipient"},
           {"--partner acme --tlp purple", "purple"},
           {"--partner acme --from no-such-format", "no-such-format"},
           {"--partner acme -o kind", "KEY=VALUE"},
           {"--partner acme --batch-size 0", "--batch-size"},
       }) {
    CommandResult run = Run("ingest " + c.args + " " + list);
    EXPECT_EQ(run.exit_code, 2) << c.args << ": " << run.err;
    EXPECT_TRUE(Contains(run.err, c.said)) << c.args << ": " << run.err;
    EXPECT_EQ(run.out, "") << c.args;
    EXPECT_FALSE(fs::exists(db_)) << c.args << ": a usage error must not touch the database";
  }
  CommandResult unknown = Run("ingest --partner acme --tlp red --recipient globex -q " + list);
  EXPECT_EQ(unknown.exit_code, 3) << "an unregistered recipient: " << unknown.err;
  EXPECT_TRUE(Contains(unknown.err, "no partner named 'globex'")) << unknown.err;
  RegisterPartners();
  CommandResult red = Run("ingest --partner acme --tlp red --recipient globex -q " + list);
  EXPECT_EQ(red.exit_code, 0) << red.err;
}

TEST_F(IngestCliTest, MissingInputExitsThreeNamesItAndRecordsAFailedRun) {
  std::string missing = (dir_ / "no-such-feed.csv").string();
  CommandResult run = Run("ingest --partner acme --json " + missing);
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_TRUE(Contains(run.err, missing)) << run.err;
  core::Json j = Summary(run);
  EXPECT_EQ(Str(j, "status"), "failed");
  EXPECT_TRUE(Contains(Str(j, "error"), missing)) << run.out;

  core::Json runs = Runs();
  ASSERT_EQ(runs.as_array().size(), 1u);
  EXPECT_EQ(Str(runs.as_array()[0], "status"), "failed");
  EXPECT_TRUE(Contains(Str(runs.as_array()[0], "message"), missing));

  // After a good file: that file is kept, the run still fails.
  std::string good = Write("good.txt", "evil-login.com\n");
  CommandResult second = Run("ingest --partner acme -q " + good + " " + missing);
  EXPECT_EQ(second.exit_code, 3) << second.err;
  EXPECT_TRUE(Contains(second.err, missing)) << second.err;
  EXPECT_EQ(IdOf("domain-name", "evil-login.com"), kEvilLoginDomain);
  runs = Runs();
  ASSERT_EQ(runs.as_array().size(), 2u);
  for (const core::Json& r : runs.as_array()) EXPECT_EQ(Str(r, "status"), "failed");
}

// ---- inputs ---------------------------------------------------------------------------

TEST_F(IngestCliTest, VerboseSaysWhichFormatWasDetected) {
  std::string bundle = Write("bundle.json", kBundle);
  std::string list = Write("acme.txt", "evil-login.com\n198.51.100.7\n");
  CommandResult run = Run("ingest --partner acme --from auto -v " + bundle + " " + list);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(Contains(run.err, bundle + ": reading as stix")) << run.err;
  EXPECT_TRUE(Contains(run.err, list + ": reading as lines")) << run.err;
  core::Json runs = Runs();
  ASSERT_EQ(runs.as_array().size(), 1u);
  EXPECT_EQ(Str(runs.as_array()[0], "format"), "stix,lines");

  CommandResult quiet = Run("ingest --partner acme --from auto " + bundle);
  EXPECT_FALSE(Contains(quiet.err, "reading as")) << "only with -v: " << quiet.err;
}

TEST_F(IngestCliTest, ReadsStandardInput) {
  CommandResult dash = Run("ingest --partner acme --json -q -", "evil-login.com\n198.51.100.7\n");
  ASSERT_EQ(dash.exit_code, 0) << dash.err;
  core::Json j = Summary(dash);
  EXPECT_EQ(Int(j, "records"), 2);
  EXPECT_EQ(Int(j, "new"), 2);
  EXPECT_EQ(Int(j, "bytes"), 28);
  const auto& provenance = Arr(Show(kEvilLoginDomain), "provenance");
  ASSERT_EQ(provenance.size(), 1u);
  EXPECT_EQ(Str(provenance[0], "file"), "<stdin>");
  EXPECT_EQ(Str(Runs().as_array().at(0), "source"), "<stdin>");

  // No file at all reads standard input too; a STIX bundle is detected there.
  CommandResult none = Run("ingest --partner globex --json -q -v", kBundle);
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_TRUE(Contains(none.err, "<stdin>: reading as stix")) << none.err;
  core::Json k = Summary(none);
  EXPECT_EQ(Int(k, "records"), 4);
  EXPECT_EQ(Int(k, "new"), 3);
  EXPECT_EQ(Int(k, "duplicates"), 1) << "the domain came from acme already";
}

// Regression: list options (-o, --community, --recipient, --warninglist) once
// took the file names after them as more values.
TEST_F(IngestCliTest, ListOptionsDoNotSwallowTheFilesAfterThem) {
  RegisterPartners();
  std::string a = Write("a.txt", "evil-login.com\n");
  std::string b = Write("b.txt", "bad-domain.net\n");
  std::string wl =
      Write("partner-hosts.json",
            R"({"name":"Partner hosts","version":1,"description":"Known partner hosts",)"
            R"("type":"hostname","list":["bad-domain.net"]})");
  for (const std::string& option :
       {std::string("-o kind=domain"), std::string("--community finance-isac"),
        std::string("--recipient globex"), "--warninglist " + wl}) {
    CommandResult run = Run("ingest --partner acme --json -q " + option + " " + a + " " + b);
    EXPECT_EQ(run.exit_code, 0) << option << ": " << run.err;
    core::Json j = Summary(run);
    EXPECT_EQ(Int(j, "records"), 2) << option << ": both files are inputs";
    EXPECT_EQ(Int(j, "objects"), 2) << option;
  }
  IdOf("domain-name", "evil-login.com");
  std::string bad = IdOf("domain-name", "bad-domain.net");
  const auto& provenance = Arr(Show(bad), "provenance");
  ASSERT_EQ(provenance.size(), 1u);
  EXPECT_EQ(Str(provenance[0], "file"), b);
  // The custom warninglist was read as a list, not as an input.
  const auto& lists = Arr(At(Show(bad), "aggregates"), "warninglists");
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_TRUE(Contains(Str(lists[0], "reason"), "Partner hosts")) << Str(lists[0], "reason");
  EXPECT_EQ(Int(Stats(), "objects"), 2);
}

// ---- sharing and warninglists ---------------------------------------------------------

TEST_F(IngestCliTest, TheSharingRequestIsKeptInProvenance) {
  RegisterPartners();
  std::string a = Write("a.txt", "evil-login.com\n");
  std::string b = Write("b.txt", "bad-domain.net\n");
  CommandResult amber =
      Run("ingest --partner acme -q --tlp amber --community finance-isac --community energy-isac "
          "--recipient globex " +
          a);
  ASSERT_EQ(amber.exit_code, 0) << amber.err;
  CommandResult red =
      Run("ingest --partner acme -q --tlp red --recipient globex --recipient "
          "initech " +
          b);
  ASSERT_EQ(red.exit_code, 0) << red.err;

  const auto& pa = Arr(Show(kEvilLoginDomain), "provenance");
  ASSERT_EQ(pa.size(), 1u);
  const core::Json& sa = At(pa[0], "sharing");
  EXPECT_EQ(Str(sa, "tlp"), "amber");
  EXPECT_EQ(Strings(Arr(sa, "communities")),
            (std::vector<std::string>{"finance-isac", "energy-isac"}));
  EXPECT_EQ(Strings(Arr(sa, "recipients")), (std::vector<std::string>{"globex"}));

  const auto& pb = Arr(Show(IdOf("domain-name", "bad-domain.net")), "provenance");
  ASSERT_EQ(pb.size(), 1u);
  const core::Json& sb = At(pb[0], "sharing");
  EXPECT_EQ(Str(sb, "tlp"), "red");
  EXPECT_TRUE(Arr(sb, "communities").empty());
  EXPECT_EQ(Strings(Arr(sb, "recipients")), (std::vector<std::string>{"globex", "initech"}));

  // A conflicting request is noted in the JSON summary.
  std::string marked = Write(
      "marked.json",
      R"({"type":"domain-name","spec_version":"2.1","id":"domain-name--6a1c3b7e-0f4e-5c55-a1a4-)"
      R"(94b3f6f0c1d2","value":"noted.example","object_marking_refs":["marking-definition--)"
      R"(5e57c739-391a-4eb3-b6be-7d15ca92d5ed"]})");
  CommandResult noted = Run("ingest --partner acme --json -q --tlp clear " + marked);
  ASSERT_EQ(noted.exit_code, 0) << noted.err;
  const auto& notes = Arr(Summary(noted), "sharing_notes");
  ASSERT_EQ(notes.size(), 2u) << noted.out;  // sorted by text
  EXPECT_TRUE(Contains(Str(notes[0], "note"), "TLP:RED with no recipient")) << noted.out;
  EXPECT_TRUE(Contains(Str(notes[1], "note"), "asked for TLP:CLEAR but the object is marked "
                                              "TLP:RED: TLP:RED applies"))
      << noted.out;
  EXPECT_EQ(Int(notes[1], "objects"), 1);

  // And the decision governance made on each request.
  const core::Json& da = At(pa[0], "decision");
  EXPECT_EQ(Str(da, "tlp"), "amber");
  EXPECT_EQ(Strings(Arr(da, "audience")),
            (std::vector<std::string>{"c:energy-isac", "c:finance-isac", "p:acme", "p:globex"}));
  const core::Json& db = At(pb[0], "decision");
  EXPECT_EQ(Str(db, "tlp"), "red");
  EXPECT_EQ(Strings(Arr(db, "audience")),
            (std::vector<std::string>{"p:acme", "p:globex", "p:initech"}));
}

TEST_F(IngestCliTest, WarninglistedObservablesAreFlaggedNotDropped) {
  std::string list = Write("acme.txt", "10.0.0.1\n8.8.8.8\nevil-login.com\n");
  CommandResult run = Run("ingest --partner acme --json -q " + list);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(Int(Summary(run), "new"), 3) << "flagged, not dropped";
  for (const char* ip : {"10.0.0.1", "8.8.8.8"}) {
    const auto& lists = Arr(At(Show(IdOf("ipv4-addr", ip)), "aggregates"), "warninglists");
    ASSERT_FALSE(lists.empty()) << ip;
    EXPECT_FALSE(Str(lists[0], "list").empty()) << ip;
    EXPECT_TRUE(Contains(Str(lists[0], "reason"), ip)) << Str(lists[0], "reason");
  }
  EXPECT_TRUE(Arr(At(Show(kEvilLoginDomain), "aggregates"), "warninglists").empty());
  CommandResult clean = Run("query --ids --no-warninglisted");
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_EQ(Lines(clean.out), (std::vector<std::string>{kEvilLoginDomain}));
  EXPECT_EQ(Int(Stats(), "warninglisted"), 2);

  // --no-warninglists: stored unflagged.
  db_ = (dir_ / "unflagged.db").string();
  run = Run("ingest --partner acme -q --no-warninglists " + list);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* ip : {"10.0.0.1", "8.8.8.8"}) {
    EXPECT_TRUE(Arr(At(Show(IdOf("ipv4-addr", ip)), "aggregates"), "warninglists").empty()) << ip;
  }
  clean = Run("query --ids --no-warninglisted");
  EXPECT_EQ(Lines(clean.out).size(), 3u) << clean.out;
  EXPECT_EQ(Int(Stats(), "warninglisted"), 0);
}

// ---- progress and commit lines --------------------------------------------------------

// stderr is a file here, not a terminal: plain lines, no bar redrawn in place.
TEST_F(IngestCliTest, ProgressIsPlainLinesWhenStderrIsNotATerminal) {
  std::string input = GeneratedLines(2000);
  // 20 batches; the interval is far shorter than the whole run, so the last
  // batch at the latest prints a line.
  CommandResult run =
      Run("ingest --partner acme --from lines --batch-size 100 --progress-interval 0.001 " + input);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> progress = ProgressLines(run.err);
  ASSERT_FALSE(progress.empty()) << run.err;
  for (const std::string& line : progress) {
    EXPECT_TRUE(Contains(line, " records  ")) << line;
    EXPECT_TRUE(Contains(line, " objects  ")) << line;
    EXPECT_TRUE(Contains(line, "obj/s")) << line;
  }
  EXPECT_FALSE(Contains(run.err, "\r")) << "no terminal control on a file";
  EXPECT_FALSE(Contains(run.err, "\033"));
  EXPECT_TRUE(Contains(run.err, "tessera ingest: run 1 done: 2,000 records")) << run.err;

  CommandResult quiet = Run(
      "ingest --partner acme --from lines --batch-size 100 --progress-interval 0.001 -q " + input);
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_TRUE(ProgressLines(quiet.err).empty()) << quiet.err;
  EXPECT_TRUE(Contains(quiet.err, "tessera ingest: run 2 done: ")) << "the summary stays";
}

TEST_F(IngestCliTest, LogCommitsPrintsOneLinePerCommittedBatch) {
  std::string input = GeneratedLines(1050);
  CommandResult run =
      Run("ingest --partner acme --from lines --batch-size 100 --log-commits -q --json " + input);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(Int(Summary(run), "new"), 1050);
  std::vector<std::string> commits;
  for (const std::string& line : Lines(run.err)) {
    if (line.starts_with("tessera ingest: committed batch ")) commits.push_back(line);
  }
  ASSERT_EQ(commits.size(), 11u) << run.err;
  for (size_t i = 0; i < commits.size(); ++i) {
    EXPECT_TRUE(
        commits[i].starts_with("tessera ingest: committed batch " + std::to_string(i + 1) + ": "))
        << commits[i];
  }
  EXPECT_TRUE(Contains(commits[0], "100 objects, 0 rejected, through " + input + ":100"))
      << commits[0];
  EXPECT_TRUE(Contains(commits[10], "50 objects, 0 rejected, through " + input + ":1050"))
      << commits[10];

  CommandResult without = Run("ingest --partner acme --from lines --batch-size 100 -q " + input);
  EXPECT_EQ(without.exit_code, 0);
  EXPECT_FALSE(Contains(without.err, "committed batch")) << "only with --log-commits";
}

}  // namespace
}  // namespace tessera
