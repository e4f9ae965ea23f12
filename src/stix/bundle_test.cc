#include "stix/bundle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "testing/shared_data.h"

namespace tessera::stix {
namespace {

ReadOptions NoUpgrade() {
  ReadOptions options;
  options.upgrade_20 = false;
  return options;
}

namespace fs = std::filesystem;
using core::Json;

constexpr const char* kBundle = R"({"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d",
 "objects":[
  {"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
   "created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z",
   "indicator_types":["malicious-activity"],"pattern":"[ipv4-addr:value = '198.51.100.3']",
   "pattern_type":"stix","valid_from":"2016-01-01T00:00:00Z",
   "object_marking_refs":["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"],
   "x_partner_score":97.5,"x_nested":{"z":[1,2,{"deep":null}],"a":"\u00e9\ud83d\ude00"}},
  {"type":"x-custom-thing","spec_version":"2.1","id":"x-custom-thing--31b940d4-6f7f-459a-80ea-9c1f17b5891b",
   "created":"2016-04-06T20:07:09.000Z","modified":"2016-04-06T20:07:09.000Z","x_big":12345678901234567890}
 ]})";

TEST(ReadStixTest, ExtractsTheFieldsEveryPathNeeds) {
  auto doc = ReadStix(kBundle);
  ASSERT_TRUE(doc.ok()) << doc.error().ToString();
  EXPECT_EQ(doc->shape, StixDocument::Shape::kBundle);
  EXPECT_EQ(doc->bundle_id, "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d");
  ASSERT_EQ(doc->objects.size(), 2u);
  const StixObject& indicator = doc->objects[0];
  EXPECT_EQ(indicator.type, "indicator");
  EXPECT_EQ(indicator.id, "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f");
  EXPECT_EQ(indicator.spec_version, "2.1");
  EXPECT_EQ(indicator.created, "2016-04-06T20:03:48.000Z");
  EXPECT_EQ(indicator.object_marking_refs,
            std::vector<std::string>{"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"});
}

TEST(ReadStixTest, NothingIsLostOnTheWayThrough) {
  auto doc = ReadStix(kBundle);
  ASSERT_TRUE(doc.ok());
  auto original = core::ParseJson(kBundle);
  auto written = core::ParseJson(WriteBundle(*doc));
  ASSERT_TRUE(original.ok() && written.ok());
  EXPECT_TRUE(*original == *written);
  // The object JSON keeps big integers and custom members exactly.
  EXPECT_NE(doc->objects[1].json.find("12345678901234567890"), std::string::npos);
  auto pretty = core::ParseJson(WriteBundle(*doc, core::JsonStyle::kPretty));
  ASSERT_TRUE(pretty.ok());
  EXPECT_TRUE(*original == *pretty);
}

TEST(ReadStixTest, AcceptsSingleObjectsAndLists) {
  auto single = ReadStix(
      R"({"type":"domain-name","id":"domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5","value":"example.com"})");
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(single->shape, StixDocument::Shape::kObject);
  EXPECT_TRUE(single->valid());
  auto list = ReadStix(R"([{"type":"domain-name","value":"example.com"}])");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->shape, StixDocument::Shape::kArray);
  ASSERT_FALSE(list->valid());
  EXPECT_EQ(list->problems[0].path, "/0/id");
}

TEST(ReadStixTest, RejectsWhatIsNotStix) {
  auto not_json = ReadStix("{\"type\": ");
  ASSERT_FALSE(not_json.ok());
  EXPECT_EQ(not_json.error().code, core::ErrorCode::kParse);
  EXPECT_FALSE(ReadStix("42").ok());
  EXPECT_FALSE(ReadStix(R"({"title":"a TAXII discovery document"})").ok());
}

TEST(ReadStixTest, DepthIsLimited) {
  std::string deep = R"({"type":"x-deep","id":"x-deep--31b940d4-6f7f-459a-80ea-9c1f17b5891b","x_d":)";
  for (int i = 0; i < 500; ++i) deep += "[";
  for (int i = 0; i < 500; ++i) deep += "]";
  deep += "}";
  EXPECT_FALSE(ReadStix(deep).ok());
}

TEST(ReadStixTest, BundleRules) {
  auto doc = ReadStix(R"({"type":"bundle","id":"bundle-x","objects":[]})");
  ASSERT_TRUE(doc.ok());
  std::vector<std::string> paths;
  for (const Problem& p : doc->problems) paths.push_back(p.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/id", "/objects"}));
}

// ---- real data -------------------------------------------------------------------

std::vector<fs::path> CorpusStixFiles() {
  std::vector<fs::path> files;
  fs::path root = testing::SharedDir() / "corpora/stix2";
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Every corpus bundle survives parse -> write -> parse with equal JSON meaning, and
// the objects ReadStix extracts are exactly the objects of the input.
TEST(RealDataTest, CorpusRoundTripsWithoutLoss) {
  TESSERA_REQUIRE_SHARED();
  size_t checked = 0;
  for (const fs::path& file : CorpusStixFiles()) {
    std::string text = testing::ReadFileOrEmpty(file);
    auto tree = core::ParseJson(text);
    ASSERT_TRUE(tree.ok()) << file << ": " << tree.error().ToString();
    for (core::JsonStyle style : {core::JsonStyle::kCompact, core::JsonStyle::kPretty}) {
      auto again = core::ParseJson(core::WriteJson(*tree, style));
      ASSERT_TRUE(again.ok()) << file;
      EXPECT_TRUE(*tree == *again) << file;
    }
    std::string canonical = core::CanonicalJson(*tree);
    auto reparsed = core::ParseJson(canonical);
    ASSERT_TRUE(reparsed.ok());
    EXPECT_EQ(core::CanonicalJson(*reparsed), canonical) << file;

    auto doc = ReadStix(text, NoUpgrade());
    if (!doc.ok() || doc->source_version == "2.0") continue;
    const Json* objects = tree->Find("objects");
    if (objects == nullptr) continue;
    ASSERT_EQ(doc->objects.size(), objects->as_array().size()) << file;
    for (size_t i = 0; i < doc->objects.size(); ++i) {
      auto extracted = core::ParseJson(doc->objects[i].json);
      ASSERT_TRUE(extracted.ok());
      EXPECT_TRUE(*extracted == objects->as_array()[i]) << file << " object " << i;
    }
    ++checked;
  }
  EXPECT_GT(checked, 10u);
}

// The corpus must validate, or its real defects be reported exactly: the list of
// problems is compared with tests/golden/stix/corpus-problems.txt (reviewed by hand;
// regenerate with TESSERA_UPDATE_GOLDEN=1 and review the diff).
TEST(RealDataTest, CorpusValidatesOrItsDefectsAreKnown) {
  TESSERA_REQUIRE_SHARED();
  std::string actual;
  fs::path root = testing::SharedDir() / "corpora/stix2";
  for (const fs::path& file : CorpusStixFiles()) {
    std::string rel = fs::relative(file, root).string();
    auto doc = ReadStix(testing::ReadFileOrEmpty(file));
    if (!doc.ok()) {
      actual += rel + "\tunreadable\t\t" + doc.error().ToString() + "\n";
      continue;
    }
    for (const Problem& p : doc->problems) {
      if (p.severity == Severity::kInfo) continue;
      actual += rel + "\t" + SeverityName(p.severity) + "\t" + p.path + "\t" + p.message + "\n";
    }
  }
  fs::path golden = testing::SourceDir() / "tests/golden/stix/corpus-problems.txt";
  if (std::getenv("TESSERA_UPDATE_GOLDEN") != nullptr) {
    fs::create_directories(golden.parent_path());
    std::ofstream(golden) << actual;
    GTEST_SKIP() << "updated " << golden;
  }
  EXPECT_EQ(actual, testing::ReadFileOrEmpty(golden));
}

// The observed-data sets of the OASIS pattern vectors are valid STIX 2.1.
TEST(RealDataTest, PatternVectorObservationsValidate) {
  TESSERA_REQUIRE_SHARED();
  std::istringstream lines(testing::ReadFileOrEmpty(testing::SharedDir() / "vectors/patterns.jsonl"));
  std::string line;
  size_t count = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    ++count;
    auto vector = core::ParseJson(line);
    ASSERT_TRUE(vector.ok());
    const Json* observed = vector->Find("observed");
    ASSERT_NE(observed, nullptr);
    auto doc = ReadStix(core::WriteJson(*observed));
    ASSERT_TRUE(doc.ok()) << "line " << count;
    for (const Problem& p : doc->problems) {
      EXPECT_NE(p.severity, Severity::kError) << "line " << count << ": " << p.ToString();
    }
  }
  EXPECT_GT(count, 500u);
}

}  // namespace
}  // namespace tessera::stix
