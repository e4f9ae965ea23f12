// The STIX 2.x readers: shapes (bundle, object, array, JSON lines), streaming
// positions, 2.0 upgrade, rejects with reasons, and every corpus bundle.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "formats/registry.h"
#include "testing/format_golden.h"

namespace tessera::formats {
namespace {

using testing::ReadBytes;

const char* kIndicator =
    R"({"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",)"
    R"("created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z",)"
    R"("pattern":"[domain-name:value = 'example.com']","pattern_type":"stix","valid_from":"2016-01-01T00:00:00Z"})";
const char* kDomain =
    R"({"type":"domain-name","spec_version":"2.1","id":"domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7","value":"example.com"})";
// Missing pattern: an error the validator reports.
const char* kBadIndicator =
    R"({"type":"indicator","spec_version":"2.1","id":"indicator--1e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",)"
    R"("created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","pattern_type":"stix","valid_from":"2016-01-01T00:00:00Z"})";

std::string Bundle(const std::string& objects) {
  return R"({"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[)" +
         objects + "]}";
}

TEST(Stix2Reader, BundleGivesOneRecordPerObjectWithOffsets) {
  std::string text = Bundle(std::string(kIndicator) + ",\n" + kDomain);
  auto out = ReadBytes("stix", text);
  ASSERT_TRUE(out.status.ok()) << out.status.error().ToString();
  ASSERT_EQ(out.sink.records.size(), 2u);
  EXPECT_TRUE(out.sink.rejects.empty());
  EXPECT_EQ(out.sink.records[0].objects[0].type, "indicator");
  EXPECT_EQ(out.sink.records[0].position.byte_offset, text.find(kIndicator));
  EXPECT_EQ(out.sink.records[0].position.line, 1u);
  EXPECT_EQ(out.sink.records[1].position.byte_offset, text.find(kDomain));
  EXPECT_EQ(out.sink.records[1].position.line, 2u);
  EXPECT_EQ(out.sink.records[1].position.record, 1u);
  EXPECT_EQ(out.sink.records[1].objects[0].id, "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7");
  EXPECT_EQ(out.sink.records[1].format, "stix");
}

TEST(Stix2Reader, ObjectsBeforeTypeStillReadAsBundle) {
  std::string text = R"({"objects":[)" + std::string(kDomain) +
                     R"(],"id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","type":"bundle"})";
  auto out = ReadBytes("stix", text);
  ASSERT_TRUE(out.status.ok()) << out.status.error().ToString();
  ASSERT_EQ(out.sink.records.size(), 1u);
}

TEST(Stix2Reader, SingleObjectAndArray) {
  auto one = ReadBytes("stix", kIndicator);
  ASSERT_TRUE(one.status.ok()) << one.status.error().ToString();
  ASSERT_EQ(one.sink.records.size(), 1u);
  auto list = ReadBytes("stix", "[" + std::string(kIndicator) + "," + kDomain + "]");
  ASSERT_TRUE(list.status.ok());
  EXPECT_EQ(list.sink.records.size(), 2u);
}

TEST(Stix2Reader, InvalidObjectIsRejectedOthersKept) {
  auto out = ReadBytes("stix", Bundle(std::string(kIndicator) + "," + kBadIndicator + "," + kDomain));
  ASSERT_TRUE(out.status.ok());
  EXPECT_EQ(out.sink.records.size(), 2u);
  ASSERT_EQ(out.sink.rejects.size(), 1u);
  EXPECT_NE(out.sink.rejects[0].reason.find("pattern"), std::string::npos) << out.sink.rejects[0].reason;
  EXPECT_EQ(out.sink.rejects[0].position.record, 1u);
  EXPECT_NE(out.sink.rejects[0].raw.find("indicator--1e2e"), std::string::npos);
}

TEST(Stix2Reader, ElementThatIsNotJsonIsRejectedAlone) {
  auto out = ReadBytes("stix", Bundle(std::string(kIndicator) + ", {\"type\": tru}, " + kDomain));
  ASSERT_TRUE(out.status.ok()) << out.status.error().ToString();
  EXPECT_EQ(out.sink.records.size(), 2u);
  ASSERT_EQ(out.sink.rejects.size(), 1u);
  EXPECT_NE(out.sink.rejects[0].reason.find("JSON"), std::string::npos) << out.sink.rejects[0].reason;
}

TEST(Stix2Reader, TruncatedDocumentIsAnErrorAfterTheCompleteObjects) {
  std::string text = Bundle(std::string(kIndicator) + "," + kDomain);
  text.resize(text.size() - 10);
  auto out = ReadBytes("stix", text);
  EXPECT_FALSE(out.status.ok());
  EXPECT_EQ(out.sink.records.size(), 1u);
}

TEST(Stix2Reader, NotJsonIsAnError) {
  EXPECT_FALSE(ReadBytes("stix", "hello").status.ok());
  EXPECT_FALSE(ReadBytes("stix", "").status.ok());
  EXPECT_FALSE(ReadBytes("stix", "{\"type\": \"bundle\"").status.ok());
}

TEST(Stix2Reader, Stix20BundleIsUpgraded) {
  std::string text =
      R"({"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","spec_version":"2.0","objects":[)"
      R"({"type":"indicator","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:48.000Z",)"
      R"("modified":"2016-04-06T20:03:48.000Z","labels":["malicious-activity"],"pattern":"[file:name = 'x.exe']",)"
      R"("valid_from":"2016-01-01T00:00:00Z"}]})";
  auto out = ReadBytes("stix", text);
  ASSERT_TRUE(out.status.ok()) << out.status.error().ToString();
  ASSERT_EQ(out.sink.records.size(), 1u);
  EXPECT_EQ(out.sink.records[0].objects[0].spec_version, "2.1");
  EXPECT_NE(out.sink.records[0].objects[0].json.find("\"pattern_type\":\"stix\""), std::string::npos);
}

TEST(Stix2Reader, JsonLinesWithLineNumbers) {
  std::string text = std::string(kIndicator) + "\n\n" + kBadIndicator + "\n" + kDomain + "\n";
  auto out = ReadBytes("stix-jsonl", text);
  ASSERT_TRUE(out.status.ok());
  ASSERT_EQ(out.sink.records.size(), 2u);
  ASSERT_EQ(out.sink.rejects.size(), 1u);
  EXPECT_EQ(out.sink.records[0].position.line, 1u);
  EXPECT_EQ(out.sink.rejects[0].position.line, 3u);
  EXPECT_EQ(out.sink.records[1].position.line, 4u);
  EXPECT_EQ(out.sink.records[1].position.byte_offset, text.find(kDomain));
}

TEST(Stix2Reader, JsonLinesMayHoldBundles) {
  auto out = ReadBytes("stix-jsonl", Bundle(std::string(kIndicator) + "," + kDomain) + "\n" + kDomain + "\n");
  ASSERT_TRUE(out.status.ok());
  EXPECT_EQ(out.sink.records.size(), 3u);
  EXPECT_EQ(out.sink.records[1].position.line, 1u);
}

TEST(Stix2Reader, RefusesOptions) {
  formats::ReadContext context = testing::TestContext();
  context.options = {{"kind", "ipv4"}};
  auto out = ReadBytes("stix", kDomain, context);
  ASSERT_FALSE(out.status.ok());
  EXPECT_EQ(out.status.error().code, core::ErrorCode::kInvalidArgument);
}

TEST(Stix2Reader, Detection) {
  auto detect = [](std::string text) {
    auto in = Input::FromString(std::move(text), "x");
    auto got = DetectFormat(in);
    return got.ok() ? got->format->name : std::string("none");
  };
  EXPECT_EQ(detect(Bundle(kDomain)), "stix");
  EXPECT_EQ(detect(kIndicator), "stix");
  EXPECT_EQ(detect("[" + std::string(kIndicator) + "]"), "stix");
  EXPECT_EQ(detect(std::string(kIndicator) + "\n" + kDomain + "\n"), "stix-jsonl");
}

// A large bundle streams: many objects, read in batches, all come out in order.
TEST(Stix2Reader, ManyObjectsAcrossBatches) {
  std::string objects;
  for (int i = 0; i < 30000; ++i) {
    if (i > 0) objects += ",\n";
    objects += kIndicator;
  }
  auto out = ReadBytes("stix", Bundle(objects));
  ASSERT_TRUE(out.status.ok());
  ASSERT_EQ(out.sink.records.size(), 30000u);
  EXPECT_EQ(out.sink.records.back().position.line, 30000u);
  EXPECT_EQ(out.sink.records.back().position.record, 29999u);
}

// Every STIX 2.x file of the corpus: what each object became (kept, or rejected
// and why). The golden lists positions, types and ids only: the objects are the
// input's own, unchanged (and the corpus may not be copied into the repository).
TEST(Stix2Reader, CorpusGoldens) {
  TESSERA_REQUIRE_SHARED();
  std::filesystem::path root = testing::SharedDir() / "corpora" / "stix2";
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 30u);
  std::string summary;
  for (const auto& path : files) {
    std::string name = std::filesystem::relative(path, root).string();
    auto out = testing::ReadPath("stix", path);
    summary += "== " + name + ": " + (out.status.ok() ? "ok" : out.status.error().message) + ", " +
               std::to_string(out.sink.records.size()) + " records, " +
               std::to_string(out.sink.rejects.size()) + " rejected\n";
    EXPECT_TRUE(testing::InvalidObjects(out).empty()) << name;
    size_t shown = 0;
    for (const Record& r : out.sink.records) {
      // Big bundles: the first 20 records, then counts.
      if (++shown > 20) break;
      for (const auto& o : r.objects) {
        summary += "  " + std::to_string(r.position.line) + "@" +
                   std::to_string(r.position.byte_offset) + " " + o.id + "\n";
      }
    }
    for (const Rejected& r : out.sink.rejects) {
      summary += "  rejected " + std::to_string(r.position.line) + "@" +
                 std::to_string(r.position.byte_offset) + ": " + r.reason + "\n";
    }
  }
  testing::ExpectGolden(summary, "stix2/corpus.txt");
}

}  // namespace
}  // namespace tessera::formats
