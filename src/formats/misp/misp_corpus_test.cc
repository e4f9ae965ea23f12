// Real data: every MISP event file and feed in ../shared/corpora/misp/ read
// against its reviewed golden output (tests/golden/formats/misp/), every object
// valid STIX 2.1, and detection choosing the MISP readers for all of them.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "formats/input.h"
#include "formats/registry.h"
#include "stix/ids.h"
#include "testing/format_golden.h"
#include "testing/shared_data.h"

namespace tessera::formats {
namespace {

using testing::ExpectGolden;
using testing::InvalidObjects;
using testing::ReadPath;
using testing::Render;

std::filesystem::path MispCorpus() { return testing::SharedDir() / "corpora" / "misp"; }

// The event files (relative to corpora/misp/) the misp reader reads.
const std::vector<std::string>& EventFiles() {
  static const std::vector<std::string> kFiles = {
      "events/eset/badiis__misp-badiis.json",
      "events/eset/cloudmensis__cloudmensis.misp.json",
      "events/eset/dukes__misp-dukes-operation-ghost-event.json",
      "events/eset/oceanlotus__oceanlotus-macOS.misp.event.json",
      "events/eset/sednit__2018-11-20_Zebrocy.json",
      "events/eset/telebots__misp-telebots.json",
      "events/eset/turla__misp-turla-outlook-event.json",
      "events/pymisp/57c4445b-c548-4654-af0b-4be3950d210f.json",
      "events/pymisp/event_obj_attr_tag.json",
      "events/pymisp/existing_event.json",
      "events/pymisp/galaxy_1.json",
      "events/pymisp/mainly_objects_1.json",
      "events/pymisp/misp_custom_obj.json",
      "events/pymisp/misp_event.json",
      "events/pymisp/sighting_1.json",
      "misp-stix-roundtrip/test_events_collection_1.json",
      "misp-stix-roundtrip/test_events_collection_2.json",
      // Feed event files, read on their own as single events.
      "feed/eset-sshdoor-feed/5bad1b96-53bc-4148-87eb-50d50a016219.json",
      "feed/misp-core-testfeed/56bf399d-c46c-4fdb-a9cf-d9bb02de0b81.json",
  };
  return kFiles;
}

const std::vector<std::string>& FeedFolders() {
  static const std::vector<std::string> kFolders = {"feed/eset-sshdoor-feed",
                                                    "feed/misp-core-testfeed"};
  return kFolders;
}

// "events/eset/x.json" -> "events/eset/x.out.json"
std::string GoldenName(const std::string& relative) {
  std::string out = relative;
  if (out.ends_with(".json")) out.resize(out.size() - 5);
  return "misp/" + out + ".out.json";
}

class MispCorpusTest : public ::testing::TestWithParam<std::string> {};

TEST_P(MispCorpusTest, MatchesGoldenAndIsValidStix) {
  TESSERA_REQUIRE_SHARED();
  std::filesystem::path path = MispCorpus() / GetParam();
  ASSERT_TRUE(std::filesystem::exists(path)) << path;
  auto outcome = ReadPath("misp", path);
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.error().ToString();
  EXPECT_FALSE(outcome.sink.records.empty());
  std::vector<std::string> invalid = InvalidObjects(outcome);
  EXPECT_TRUE(invalid.empty()) << invalid.size() << " invalid objects, first: " << invalid.front();
  ExpectGolden(Render(outcome, path.filename().string()), GoldenName(GetParam()));
  // Every SCO's id is the one STIX 2.1 §2.9 gives it (the reader writes ids
  // without building trees; this checks it against stix::ComputeScoId).
  for (const core::Json& o : testing::Objects(outcome)) {
    auto computed = stix::ComputeScoId(o);
    if (!computed.ok() || !computed->deterministic) continue;
    EXPECT_EQ(o.Find("id")->as_string(), computed->id) << core::WriteJson(o);
  }
}

TEST_P(MispCorpusTest, DetectedAsMisp) {
  TESSERA_REQUIRE_SHARED();
  auto input = Input::Open((MispCorpus() / GetParam()).string());
  ASSERT_TRUE(input.ok());
  auto chosen = DetectFormat(*input);
  ASSERT_TRUE(chosen.ok()) << chosen.error().ToString();
  EXPECT_EQ(chosen->format->name, "misp") << chosen->detection.reason;
}

INSTANTIATE_TEST_SUITE_P(Corpus, MispCorpusTest, ::testing::ValuesIn(EventFiles()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string name;
                           for (char c : std::filesystem::path(param_info.param).stem().string()) {
                             bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                          (c >= '0' && c <= '9');
                             name += alnum ? c : '_';
                           }
                           return name + "_" + std::to_string(param_info.index);
                         });

class MispFeedCorpusTest : public ::testing::TestWithParam<std::string> {};

TEST_P(MispFeedCorpusTest, MatchesGoldenAndIsValidStix) {
  TESSERA_REQUIRE_SHARED();
  std::filesystem::path path = MispCorpus() / GetParam();
  auto outcome = ReadPath("misp-feed", path);
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.error().ToString();
  EXPECT_FALSE(outcome.sink.records.empty());
  std::vector<std::string> invalid = InvalidObjects(outcome);
  EXPECT_TRUE(invalid.empty()) << invalid.size() << " invalid objects, first: " << invalid.front();
  ExpectGolden(Render(outcome, path.filename().string()), "misp/" + GetParam() + ".out.json");
}

TEST_P(MispFeedCorpusTest, FolderAndManifestDetectedAsMispFeed) {
  TESSERA_REQUIRE_SHARED();
  std::filesystem::path path = MispCorpus() / GetParam();
  auto folder = Input::Open(path.string());
  ASSERT_TRUE(folder.ok());
  auto chosen = DetectFormat(*folder);
  ASSERT_TRUE(chosen.ok()) << chosen.error().ToString();
  EXPECT_EQ(chosen->format->name, "misp-feed") << chosen->detection.reason;

  auto manifest = Input::Open((path / "manifest.json").string());
  ASSERT_TRUE(manifest.ok());
  chosen = DetectFormat(*manifest);
  ASSERT_TRUE(chosen.ok()) << chosen.error().ToString();
  EXPECT_EQ(chosen->format->name, "misp-feed") << chosen->detection.reason;
}

TEST_P(MispFeedCorpusTest, ManifestAsInputReadsTheSameEvents) {
  TESSERA_REQUIRE_SHARED();
  std::filesystem::path path = MispCorpus() / GetParam();
  auto folder = ReadPath("misp-feed", path);
  auto manifest = ReadPath("misp-feed", path / "manifest.json");
  ASSERT_TRUE(manifest.status.ok()) << manifest.status.error().ToString();
  ASSERT_EQ(folder.sink.records.size(), manifest.sink.records.size());
  for (size_t i = 0; i < folder.sink.records.size(); ++i) {
    ASSERT_EQ(folder.sink.records[i].objects.size(), manifest.sink.records[i].objects.size());
    for (size_t k = 0; k < folder.sink.records[i].objects.size(); ++k) {
      EXPECT_EQ(folder.sink.records[i].objects[k].json, manifest.sink.records[i].objects[k].json);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, MispFeedCorpusTest, ::testing::ValuesIn(FeedFolders()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           std::string name;
                           for (char c :
                                std::filesystem::path(param_info.param).filename().string()) {
                             bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                          (c >= '0' && c <= '9');
                             name += alnum ? c : '_';
                           }
                           return name;
                         });

// The example in docs/formats/misp.md: our own fixture and its reviewed output.
TEST(MispDocsExample, MatchesGolden) {
  std::filesystem::path path =
      testing::SourceDir() / "tests" / "data" / "formats" / "misp" / "example_event.json";
  auto outcome = ReadPath("misp", path);
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.error().ToString();
  std::vector<std::string> invalid = InvalidObjects(outcome);
  EXPECT_TRUE(invalid.empty()) << invalid.size() << " invalid objects, first: " << invalid.front();
  ASSERT_EQ(outcome.sink.rejects.size(), 1u);  // the ip-dst that is no address
  ExpectGolden(Render(outcome, path.filename().string()), "misp/example_event.out.json");
}

}  // namespace
}  // namespace tessera::formats
