// `tessera formats`, `tessera formats detect` and `tessera normalize --from FORMAT`
// as a user runs them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/json.h"
#include "integration/run_tessera.h"

namespace tessera::testing {
namespace {

const char* kBundle =
    R"({"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[)"
    R"({"type":"domain-name","spec_version":"2.1","id":"domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7","value":"example.com"},)"
    R"({"type":"indicator","spec_version":"2.1","id":"indicator--1e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",)"
    R"("created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","pattern_type":"stix","valid_from":"2016-01-01T00:00:00Z"}]})";

TEST(FormatsCliTest, ListsEveryFormatAsTextAndJson) {
  CommandResult text = Tessera("formats");
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("stix "), std::string::npos);
  EXPECT_NE(text.out.find("lines "), std::string::npos);
  CommandResult json = Tessera("formats --json");
  ASSERT_EQ(json.exit_code, 0);
  auto parsed = core::ParseJson(json.out);
  ASSERT_TRUE(parsed.ok()) << json.out;
  ASSERT_TRUE(parsed->is_array());
  bool lines_has_kind = false;
  for (const core::Json& f : parsed->as_array()) {
    ASSERT_NE(f.Find("name"), nullptr);
    ASSERT_NE(f.Find("description"), nullptr);
    if (f.Find("name")->as_string() == "lines") {
      for (const core::Json& o : f.Find("options")->as_array()) {
        lines_has_kind = lines_has_kind || o.Find("key")->as_string() == "kind";
      }
    }
  }
  EXPECT_TRUE(lines_has_kind);
}

TEST(FormatsCliTest, DetectNamesTheFormatOrSaysUnknown) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "tessera-formats-cli";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "bundle.txt") << kBundle;
  std::ofstream(dir / "list.json") << "evil.com\n198.51.100.7\n";
  std::ofstream(dir / "odd.dat") << "{\"hello\": 1}";
  CommandResult run = Tessera("formats detect " + (dir / "bundle.txt").string() + " " +
                              (dir / "list.json").string());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, (dir / "bundle.txt").string() + ": stix\n" + (dir / "list.json").string() +
                         ": lines\n");
  CommandResult unknown = Tessera("formats detect --json " + (dir / "odd.dat").string());
  EXPECT_EQ(unknown.exit_code, 1);
  auto parsed = core::ParseJson(unknown.out);
  ASSERT_TRUE(parsed.ok()) << unknown.out;
  EXPECT_EQ(parsed->as_array()[0].Find("format")->as_string(), "unknown");
  EXPECT_FALSE(parsed->as_array()[0].Find("reason")->as_string().empty());
  EXPECT_EQ(Tessera("formats detect " + (dir / "missing").string()).exit_code, 3);
  CommandResult stdin_run = Tessera("formats detect -", kBundle);
  EXPECT_EQ(stdin_run.out, "<stdin>: stix\n");
  std::filesystem::remove_all(dir);
}

TEST(FormatsCliTest, NormalizeFromStixStreamsObjectsAndReportsRejects) {
  CommandResult run = Tessera("normalize --from stix --to stix", kBundle);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("<stdin>:1: "), std::string::npos) << run.err;  // the bad indicator
  EXPECT_NE(run.err.find("pattern"), std::string::npos) << run.err;
  auto bundle = core::ParseJson(run.out);
  ASSERT_TRUE(bundle.ok()) << run.out;
  EXPECT_EQ(bundle->Find("objects")->as_array().size(), 1u);
  CommandResult strict = Tessera("normalize --strict --from stix", kBundle);
  EXPECT_EQ(strict.exit_code, 1);
}

TEST(FormatsCliTest, ReaderOptionsAreCheckedAndPassed) {
  CommandResult bad = Tessera("normalize --from lines -o planet=mars", "evil.com\n");
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("planet"), std::string::npos);
  EXPECT_EQ(Tessera("normalize --from lines -o nokey", "x\n").exit_code, 2);
  CommandResult kind = Tessera("normalize --from lines -o kind=domain --to lines", "example.py\n");
  EXPECT_EQ(kind.exit_code, 0) << kind.err;
  EXPECT_EQ(kind.out, "example.py\n");
  EXPECT_EQ(Tessera("normalize --from no-such-format", "x").exit_code, 2);
}

}  // namespace
}  // namespace tessera::testing
