// The fast path (compact JSON written directly) against the reference path
// (core::Json builders of stix_build.h): the same records, byte for byte, on
// every corpus sample, the every-column-type fixture and generated rows.
#include "formats/feeds/row.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "formats/feeds/feeds.h"
#include "testing/format_golden.h"

namespace tessera::formats::feeds {
namespace {

const FeedDefinition* Bundled(const std::string& name) {
  for (const FeedDefinition& def : BundledDefinitions()) {
    if (def.name == name) return &def;
  }
  return nullptr;
}

testing::ReadOutcome Read(const FeedDefinition& def, const std::string& bytes, bool fast,
                          const ReadContext& context = testing::TestContext()) {
  testing::ReadOutcome out;
  Input input = Input::FromString(bytes, "input");
  out.status = ReadWithDefinition(def, def.name, input, context, out.sink, fast);
  return out;
}

void ExpectSameRecords(const testing::ReadOutcome& fast, const testing::ReadOutcome& json) {
  ASSERT_EQ(fast.status.ok(), json.status.ok());
  ASSERT_EQ(fast.sink.records.size(), json.sink.records.size());
  ASSERT_EQ(fast.sink.rejects.size(), json.sink.rejects.size());
  for (size_t i = 0; i < fast.sink.records.size(); ++i) {
    const Record& a = fast.sink.records[i];
    const Record& b = json.sink.records[i];
    SCOPED_TRACE(a.position.ToString());
    EXPECT_EQ(a.position.ToString(), b.position.ToString());
    EXPECT_EQ(a.position.record, b.position.record);
    EXPECT_EQ(a.position.byte_offset, b.position.byte_offset);
    EXPECT_EQ(a.notes, b.notes);
    ASSERT_EQ(a.objects.size(), b.objects.size());
    for (size_t k = 0; k < a.objects.size(); ++k) {
      EXPECT_EQ(a.objects[k].json, b.objects[k].json);
      EXPECT_EQ(a.objects[k].type, b.objects[k].type);
      EXPECT_EQ(a.objects[k].id, b.objects[k].id);
      EXPECT_EQ(a.objects[k].spec_version, b.objects[k].spec_version);
      EXPECT_EQ(a.objects[k].created, b.objects[k].created);
      EXPECT_EQ(a.objects[k].modified, b.objects[k].modified);
      EXPECT_EQ(a.objects[k].object_marking_refs, b.objects[k].object_marking_refs);
    }
  }
}

TEST(FeedsFastPath, MatchesTheJsonPathOnTheFixture) {
  std::filesystem::path dir = testing::SourceDir() / "tests" / "data" / "formats" / "feeds";
  auto def = ParseDefinition(testing::ReadFileOrEmpty(dir / "everything.toml"), "everything.toml");
  ASSERT_TRUE(def.ok()) << def.error().ToString();
  std::string csv = testing::ReadFileOrEmpty(dir / "everything.csv");
  auto fast = Read(*def, csv, true);
  auto json = Read(*def, csv, false);
  ExpectSameRecords(fast, json);
  EXPECT_GE(fast.sink.records.size(), 6u);
  EXPECT_TRUE(testing::InvalidObjects(fast).empty()) << testing::InvalidObjects(fast).front();
  // And as observations.
  FeedDefinition observed = *def;
  observed.indicator = false;
  ExpectSameRecords(Read(observed, csv, true), Read(observed, csv, false));
}

TEST(FeedsFastPath, MatchesTheJsonPathOnTheCorpus) {
  TESSERA_REQUIRE_SHARED();
  std::filesystem::path dir = testing::SharedDir() / "corpora" / "feeds" / "intelmq";
  size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() == ".json") continue;
    std::string bytes = testing::ReadFileOrEmpty(entry.path());
    Input probe = Input::FromString(bytes, "probe");
    auto detected = DetectFormat(probe);
    if (!detected.ok()) continue;
    const FeedDefinition* def = Bundled(detected->format->name);
    if (def == nullptr) continue;
    SCOPED_TRACE(entry.path().string());
    ExpectSameRecords(Read(*def, bytes, true), Read(*def, bytes, false));
    ++files;
  }
  EXPECT_GE(files, 20u);
}

TEST(FeedsFastPath, MatchesTheJsonPathOnGeneratedRows) {
  const FeedDefinition* def = Bundled("urlhaus");
  ASSERT_NE(def, nullptr);
  std::string csv = "# id,dateadded,url,url_status,threat,tags,urlhaus_link,reporter\n";
  for (int i = 0; i < 500; ++i) {
    std::string n = std::to_string(i);
    csv += "\"" + n + "\",\"2024-01-0" + std::to_string(1 + i % 9) + " 12:00:0" +
           std::to_string(i % 10) + "\",\"http://h" + n + ".example.com/p/" + n +
           (i % 7 == 0 ? "?q='x'&y=\\\"\"z" : "") + "\",\"" + (i % 2 ? "online" : "offline") +
           "\",\"malware_download\",\"" + (i % 3 ? "elf,mozi" : "") +
           "\",\"https://urlhaus.abuse.ch/url/" + n + "/\",\"reporter_" + n + "\"\n";
  }
  auto fast = Read(*def, csv, true);
  ExpectSameRecords(fast, Read(*def, csv, false));
  EXPECT_EQ(fast.sink.records.size(), 500u);
  EXPECT_TRUE(testing::InvalidObjects(fast).empty());
}

}  // namespace
}  // namespace tessera::formats::feeds
