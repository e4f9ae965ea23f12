#include "stix/upgrade.h"

#include <gtest/gtest.h>

#include <string>

#include "stix/bundle.h"
#include "stix/ids.h"
#include "testing/shared_data.h"

namespace tessera::stix {
namespace {

ReadOptions NoUpgrade() {
  ReadOptions options;
  options.upgrade_20 = false;
  return options;
}

using core::Json;

Json Parse(const std::string& text) {
  auto json = core::ParseJson(text);
  EXPECT_TRUE(json.ok()) << text;
  return json.ok() ? *json : Json();
}

Json Upgrade(const std::string& text, std::vector<Problem>* notes = nullptr) {
  Json doc = Parse(text);
  std::vector<Problem> local;
  EXPECT_TRUE(UpgradeToV21(&doc, notes != nullptr ? notes : &local).ok());
  return doc;
}

// The upgraded document must be valid STIX 2.1 without any error.
void ExpectValid21(const Json& doc) {
  auto read = ReadStix(core::WriteJson(doc), NoUpgrade());
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  for (const Problem& p : read->problems) {
    EXPECT_NE(p.severity, Severity::kError) << p.ToString();
  }
}

const Json& Object(const Json& bundle, size_t i) { return bundle.Find("objects")->as_array()[i]; }

constexpr const char* kIndicator20 = R"({
  "type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "spec_version": "2.0",
  "objects": [{
    "type": "indicator", "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
    "created": "2016-04-06T20:03:48Z", "modified": "2016-04-06T20:03:48.123Z",
    "labels": ["malicious-activity"], "name": "Poison Ivy C2",
    "pattern": "[ipv4-addr:value = '198.51.100.3']", "valid_from": "2016-01-01T00:00:00Z"
  }, {
    "type": "malware", "id": "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b",
    "created": "2016-04-06T20:07:09.000Z", "modified": "2016-04-06T20:07:09.000Z",
    "name": "Poison Ivy", "labels": ["remote-access-trojan"]
  }]})";

TEST(UpgradeTest, BundleLosesSpecVersionObjectsGainIt) {
  Json doc = Upgrade(kIndicator20);
  EXPECT_EQ(doc.Find("spec_version"), nullptr);
  for (size_t i = 0; i < 2; ++i) {
    const Json& o = Object(doc, i);
    ASSERT_NE(o.Find("spec_version"), nullptr);
    EXPECT_EQ(o.Find("spec_version")->as_string(), "2.1");
    // Placed right after `type`, as producers write it.
    EXPECT_EQ(o.as_object()[1].first, "spec_version");
  }
  ExpectValid21(doc);
}

TEST(UpgradeTest, LabelsBecomeTypesAndRequiredPropertiesAreAdded) {
  std::vector<Problem> notes;
  Json doc = Upgrade(kIndicator20, &notes);
  const Json& indicator = Object(doc, 0);
  EXPECT_EQ(indicator.Find("labels"), nullptr);
  EXPECT_EQ(indicator.Find("indicator_types")->as_array()[0].as_string(), "malicious-activity");
  EXPECT_EQ(indicator.Find("pattern_type")->as_string(), "stix");
  const Json& malware = Object(doc, 1);
  EXPECT_EQ(malware.Find("malware_types")->as_array()[0].as_string(), "remote-access-trojan");
  EXPECT_TRUE(malware.Find("is_family")->as_bool());
  // Every change is reported, naming the object.
  bool saw_labels_note = false;
  for (const Problem& p : notes) {
    if (p.message.find("indicator_types") != std::string::npos) {
      saw_labels_note = true;
      EXPECT_EQ(p.object_index, 0);
      EXPECT_EQ(p.object_id, "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f");
      EXPECT_EQ(p.path, "/objects/0");
    }
  }
  EXPECT_TRUE(saw_labels_note);
}

TEST(UpgradeTest, TimestampsGainMillisecondsWithoutChangingTheInstant) {
  Json doc = Upgrade(kIndicator20);
  const Json& indicator = Object(doc, 0);
  EXPECT_EQ(indicator.Find("created")->as_string(), "2016-04-06T20:03:48.000Z");
  EXPECT_EQ(indicator.Find("modified")->as_string(), "2016-04-06T20:03:48.123Z");
  // valid_from has no precision rule and stays as written.
  EXPECT_EQ(indicator.Find("valid_from")->as_string(), "2016-01-01T00:00:00Z");
}

constexpr const char* kObservedData20 = R"({
  "type": "bundle", "id": "bundle--2a25c3c8-5d88-4ae9-862a-cc3396442317", "spec_version": "2.0",
  "objects": [{
    "type": "observed-data", "id": "observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf",
    "created": "2016-04-06T19:58:16.000Z", "modified": "2016-04-06T19:58:16.000Z",
    "first_observed": "2015-12-21T19:00:00Z", "last_observed": "2015-12-21T19:00:00Z",
    "number_observed": 50,
    "objects": {
      "0": {"type": "ipv4-addr", "value": "198.51.100.7"},
      "1": {"type": "network-traffic", "src_ref": "0", "dst_ref": "2", "protocols": ["tcp"]},
      "2": {"type": "ipv4-addr", "value": "203.0.113.9"},
      "3": {"type": "file", "name": "a.exe", "created": "2015-12-21T19:00:00Z", "parent_directory_ref": "4"},
      "4": {"type": "directory", "path": "C:\\tmp"}
    }
  }]})";

TEST(UpgradeTest, ObservedDataObjectsBecomeScosWithDeterministicIds) {
  Json doc = Upgrade(kObservedData20);
  const Json::Array& objects = doc.Find("objects")->as_array();
  ASSERT_EQ(objects.size(), 6u);  // the observed-data and its five observables
  const Json& observed = objects[0];
  EXPECT_EQ(observed.Find("objects"), nullptr);
  const Json::Array& refs = observed.Find("object_refs")->as_array();
  ASSERT_EQ(refs.size(), 5u);
  for (size_t i = 1; i < objects.size(); ++i) {
    const Json& sco = objects[i];
    EXPECT_EQ(sco.Find("id")->as_string(), refs[i - 1].as_string());
    // The id is the deterministic one for the SCO as it now stands.
    auto expected = ComputeScoId(sco);
    ASSERT_TRUE(expected.ok());
    EXPECT_EQ(sco.Find("id")->as_string(), expected->id);
  }
  // References between observables now carry the new ids.
  const Json& traffic = objects[2];
  EXPECT_EQ(traffic.Find("src_ref")->as_string(), objects[1].Find("id")->as_string());
  EXPECT_EQ(traffic.Find("dst_ref")->as_string(), objects[3].Find("id")->as_string());
  const Json& file = objects[4];
  EXPECT_EQ(file.Find("parent_directory_ref")->as_string(), objects[5].Find("id")->as_string());
  // 2.0's file.created is 2.1's ctime.
  EXPECT_EQ(file.Find("created"), nullptr);
  EXPECT_EQ(file.Find("ctime")->as_string(), "2015-12-21T19:00:00Z");
  ExpectValid21(doc);
}

TEST(UpgradeTest, SharedObservablesAreEmittedOnce) {
  std::string two = R"({"type":"bundle","id":"bundle--2a25c3c8-5d88-4ae9-862a-cc3396442317",
    "spec_version":"2.0","objects":[)";
  for (int i = 0; i < 2; ++i) {
    if (i > 0) two += ",";
    two += R"({"type":"observed-data","id":"observed-data--b67d30ff-02ac-498a-92f9-32f845f448c)" +
           std::to_string(i) + R"(","created":"2016-04-06T19:58:16.000Z",
      "modified":"2016-04-06T19:58:16.000Z","first_observed":"2015-12-21T19:00:00Z",
      "last_observed":"2015-12-21T19:00:00Z","number_observed":1,
      "objects":{"0":{"type":"domain-name","value":"example.com"}}})";
  }
  two += "]}";
  Json doc = Upgrade(two);
  EXPECT_EQ(doc.Find("objects")->as_array().size(), 3u);
  ExpectValid21(doc);
}

TEST(UpgradeTest, SingleObservedDataBecomesABundle) {
  Json doc = Upgrade(R"({"type":"observed-data","id":"observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf",
    "created":"2016-04-06T19:58:16.000Z","modified":"2016-04-06T19:58:16.000Z",
    "first_observed":"2015-12-21T19:00:00Z","last_observed":"2015-12-21T19:00:00Z",
    "number_observed":1,"objects":{"0":{"type":"url","value":"http://example.com/"}}})");
  ASSERT_NE(doc.Find("type"), nullptr);
  EXPECT_EQ(doc.Find("type")->as_string(), "bundle");
  EXPECT_EQ(doc.Find("objects")->as_array().size(), 2u);
  ExpectValid21(doc);
}

TEST(UpgradeTest, CustomPropertiesAndObjectsAreKept) {
  Json doc = Upgrade(R"({"type":"bundle","id":"bundle--2a25c3c8-5d88-4ae9-862a-cc3396442317",
    "spec_version":"2.0","objects":[{"type":"x-mitre-tactic",
    "id":"x-mitre-tactic--2558fd61-8c75-4730-94c4-11926db2a263","created":"2018-10-17T00:14:20.652Z",
    "modified":"2018-10-17T00:14:20.652Z","name":"Collection","x_mitre_shortname":"collection"}]})");
  const Json& tactic = Object(doc, 0);
  EXPECT_EQ(tactic.Find("x_mitre_shortname")->as_string(), "collection");
  EXPECT_EQ(tactic.Find("spec_version")->as_string(), "2.1");
}

TEST(UpgradeTest, ReadStixUpgradesTransparently) {
  auto doc = ReadStix(kObservedData20);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->source_version, "2.0");
  EXPECT_EQ(doc->objects.size(), 6u);
  EXPECT_TRUE(doc->valid());
  auto refused = ReadStix(kObservedData20, NoUpgrade());
  ASSERT_TRUE(refused.ok());
  EXPECT_FALSE(refused->valid());
}

// MITRE publishes CAPEC in both versions: our upgrade of the 2.0 object must
// equal MITRE's own 2.1 object.
TEST(UpgradeTest, CapecUpgradeEqualsMitresOwn21) {
  TESSERA_REQUIRE_SHARED();
  auto dir = testing::SharedDir() / "corpora/stix2/capec";
  const char* name = "attack-pattern--d845a25b-b140-438c-91d7-30b709bb6e18.json";
  Json upgraded = Upgrade(testing::ReadFileOrEmpty(dir / "stix2.0" / name));
  Json theirs = Parse(testing::ReadFileOrEmpty(dir / "stix2.1" / name));
  // Bundles are not versioned: MITRE wrapped the 2.1 object in a new bundle.
  upgraded.Set("id", *theirs.Find("id"));
  EXPECT_TRUE(upgraded == theirs) << core::WriteJson(upgraded, core::JsonStyle::kPretty);
}

}  // namespace
}  // namespace tessera::stix
