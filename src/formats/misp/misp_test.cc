// The misp reader on events of our own: attribute types, objects, tags and TLP,
// galaxies, sightings, sharing, rejects with positions, streaming of events lists,
// detection. Every object emitted must be valid STIX 2.1.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/json.h"
#include "formats/registry.h"
#include "formats/stix_build.h"
#include "stix/tlp.h"
#include "testing/format_golden.h"

namespace tessera::formats {
namespace {

using core::Json;
using testing::InvalidObjects;
using testing::Objects;
using testing::ObjectsOfType;
using testing::ReadBytes;

std::string Attribute(const std::string& uuid, const std::string& type, const std::string& value,
                      bool to_ids, const std::string& extra = "") {
  std::string out = R"({"uuid": ")" + uuid + R"(", "type": ")" + type +
                    R"(", "category": "Network activity", "value": )";
  out += core::WriteJson(Json::String(value));
  out += std::string(R"(, "to_ids": )") + (to_ids ? "true" : "false") +
         R"(, "timestamp": "1603642920")" + extra + "}";
  return out;
}

std::string Event(const std::string& attributes, const std::string& extra = "",
                  const std::string& uuid = "5b646415-7b48-40d5-86b4-c0070acd0835") {
  return R"({"Event": {"uuid": ")" + uuid + R"(", "info": "Test event", "date": "2020-10-25",
    "timestamp": "1603642920", "published": true, "publish_timestamp": "1603650000",
    "distribution": "3", "threat_level_id": "2",
    "Orgc": {"name": "CIRCL", "uuid": "55f6ea5e-2c60-40e5-964f-47a8950d210f"},
    "Attribute": [)" +
         attributes + "]" + extra + "}}";
}

const Json* Field(const Json& object, std::string_view key) {
  const Json* ext = object.Find("extensions");
  if (ext == nullptr) return nullptr;
  const Json* source = ext->Find(kSourceFieldsExtensionId);
  if (source == nullptr) return nullptr;
  return source->Find("fields")->Find(key);
}

const Json* FindById(const std::vector<Json>& objects, std::string_view id) {
  for (const Json& o : objects) {
    if (o.Find("id")->as_string() == id) return &o;
  }
  return nullptr;
}

std::string Str(const Json* j) { return j != nullptr && j->is_string() ? j->as_string() : ""; }

void ExpectAllValid(const testing::ReadOutcome& outcome) {
  std::vector<std::string> invalid = InvalidObjects(outcome);
  EXPECT_TRUE(invalid.empty()) << invalid.size()
                               << " invalid; first: " << (invalid.empty() ? "" : invalid.front());
}

TEST(MispReader, NetworkAttributesBecomeObservedDataAndIndicators) {
  std::string attrs =
      Attribute("2972c3a2-dda3-4de7-aca1-e96cf7ce5544", "ip-dst|port", "198.51.100.7|8080", true) +
      "," +
      Attribute("4bb235a7-7d25-4aef-802f-2c6b45c5eceb", "domain|ip", "Example.COM.|192.0.2.1",
                false);
  auto outcome = ReadBytes("misp", Event(attrs));
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.error().ToString();
  ASSERT_EQ(outcome.sink.records.size(), 1u);
  EXPECT_TRUE(outcome.sink.rejects.empty());
  ExpectAllValid(outcome);
  std::vector<Json> objects = Objects(outcome);

  // ip-dst|port with to_ids: indicator--<uuid> with the network-traffic pattern.
  const Json* indicator = FindById(objects, "indicator--2972c3a2-dda3-4de7-aca1-e96cf7ce5544");
  ASSERT_NE(indicator, nullptr);
  EXPECT_EQ(Str(indicator->Find("pattern")),
            "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = "
            "'198.51.100.7' AND network-traffic:dst_port = 8080]");
  EXPECT_EQ(Str(indicator->Find("valid_from")), "2020-10-25T16:22:00.000Z");
  EXPECT_EQ(Str(indicator->Find("created_by_ref")),
            "identity--55f6ea5e-2c60-40e5-964f-47a8950d210f");
  std::vector<Json> traffic = ObjectsOfType(outcome, "network-traffic");
  ASSERT_EQ(traffic.size(), 1u);
  EXPECT_EQ(traffic[0].Find("dst_port")->as_double(), 8080);
  const Json* ip = FindById(objects, Str(traffic[0].Find("dst_ref")));
  ASSERT_NE(ip, nullptr);
  EXPECT_EQ(Str(ip->Find("value")), "198.51.100.7");
  // For detection: the indicator is based on the network-traffic; no observed-data.
  const Json* based_on = FindById(objects, "relationship--2972c3a2-dda3-4de7-aca1-e96cf7ce5544");
  ASSERT_NE(based_on, nullptr);
  EXPECT_EQ(Str(based_on->Find("relationship_type")), "based-on");
  EXPECT_EQ(Str(based_on->Find("source_ref")), "indicator--2972c3a2-dda3-4de7-aca1-e96cf7ce5544");
  EXPECT_EQ(Str(based_on->Find("target_ref")), Str(traffic[0].Find("id")));
  EXPECT_EQ(FindById(objects, "observed-data--2972c3a2-dda3-4de7-aca1-e96cf7ce5544"), nullptr);

  // domain|ip without to_ids: observed-data only, canonical domain resolving to the IP.
  EXPECT_EQ(FindById(objects, "indicator--4bb235a7-7d25-4aef-802f-2c6b45c5eceb"), nullptr);
  const Json* observed = FindById(objects, "observed-data--4bb235a7-7d25-4aef-802f-2c6b45c5eceb");
  ASSERT_NE(observed, nullptr);
  std::vector<Json> domains = ObjectsOfType(outcome, "domain-name");
  ASSERT_EQ(domains.size(), 1u);
  EXPECT_EQ(Str(domains[0].Find("value")), "example.com");
  ASSERT_NE(domains[0].Find("resolves_to_refs"), nullptr);
  // The value as written is kept where the canonical form differs.
  EXPECT_EQ(Str(Field(*observed, "value")), "Example.COM.|192.0.2.1");
  EXPECT_EQ(Str(Field(*observed, "category")), "Network activity");
  EXPECT_FALSE(outcome.sink.records[0].notes.empty());

  // The report holds everything; sharing request from the distribution.
  std::vector<Json> reports = ObjectsOfType(outcome, "report");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(Str(reports[0].Find("id")), "report--5b646415-7b48-40d5-86b4-c0070acd0835");
  EXPECT_EQ(Str(reports[0].Find("name")), "Test event");
  EXPECT_EQ(Str(reports[0].Find("published")), "2020-10-25T18:20:00.000Z");
  EXPECT_EQ(reports[0].Find("object_refs")->as_array().size(),
            objects.size() - 2);  // not identity, report
  EXPECT_EQ(outcome.sink.records[0].sharing.distribution, "all");
}

TEST(MispReader, FileHashesRulesAndOtherTypes) {
  std::string attrs =
      Attribute("00000000-0000-4000-8000-000000000001", "filename|sha256",
                "C:\\Users\\x\\AppData\\evil.exe|"
                "7FA3ABC229FD3CB9A0A6F07D9DA15E35528C630D0AD5902D5422B305CAE7EAA4",
                true) +
      "," +
      Attribute("00000000-0000-4000-8000-000000000002", "regkey|value",
                "HKLM\\Software\\Run|%APPDATA%\\evil.exe", false) +
      "," +
      Attribute("00000000-0000-4000-8000-000000000003", "yara",
                "rule x { strings: $a = \"x\" condition: $a }", false) +
      "," +
      Attribute("00000000-0000-4000-8000-000000000004", "vulnerability", "cve-2021-44228", true) +
      "," + Attribute("00000000-0000-4000-8000-000000000005", "text", "Some analyst text", false) +
      "," +
      Attribute("00000000-0000-4000-8000-000000000006", "user-agent", "Mozilla/5.0 Evil", false) +
      "," + Attribute("00000000-0000-4000-8000-000000000007", "AS", "AS64500", true) + "," +
      Attribute("00000000-0000-4000-8000-000000000008", "email-src", "Bad@Example.com", true) +
      "," + Attribute("00000000-0000-4000-8000-000000000009", "mutex", "Global\\evil", true);
  auto outcome = ReadBytes("misp", Event(attrs));
  ASSERT_TRUE(outcome.status.ok());
  EXPECT_TRUE(outcome.sink.rejects.empty()) << outcome.sink.rejects.front().reason;
  ExpectAllValid(outcome);
  std::vector<Json> objects = Objects(outcome);

  const Json* file_ind = FindById(objects, "indicator--00000000-0000-4000-8000-000000000001");
  ASSERT_NE(file_ind, nullptr);
  EXPECT_EQ(Str(file_ind->Find("pattern")),
            "[file:parent_directory_ref.path = 'C:\\\\Users\\\\x\\\\AppData' AND file:name = "
            "'evil.exe' AND file:hashes.'SHA-256' = "
            "'7fa3abc229fd3cb9a0a6f07d9da15e35528c630d0ad5902d5422b305cae7eaa4']");
  std::vector<Json> dirs = ObjectsOfType(outcome, "directory");
  ASSERT_EQ(dirs.size(), 1u);
  EXPECT_EQ(Str(dirs[0].Find("path")), "C:\\Users\\x\\AppData");

  std::vector<Json> keys = ObjectsOfType(outcome, "windows-registry-key");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(Str(keys[0].Find("key")), "HKLM\\Software\\Run");
  EXPECT_EQ(Str(keys[0].Find("values")->as_array()[0].Find("data")), "%APPDATA%\\evil.exe");

  // A YARA rule is an indicator whatever to_ids says (kept as a source field).
  const Json* yara = FindById(objects, "indicator--00000000-0000-4000-8000-000000000003");
  ASSERT_NE(yara, nullptr);
  EXPECT_EQ(Str(yara->Find("pattern_type")), "yara");
  EXPECT_EQ(Str(yara->Find("pattern")), "rule x { strings: $a = \"x\" condition: $a }");
  ASSERT_NE(Field(*yara, "to_ids"), nullptr);
  EXPECT_FALSE(Field(*yara, "to_ids")->as_bool());

  // A CVE: the vulnerability every partner's report of it shares.
  std::vector<Json> vulns = ObjectsOfType(outcome, "vulnerability");
  ASSERT_EQ(vulns.size(), 1u);
  EXPECT_EQ(Str(vulns[0].Find("name")), "CVE-2021-44228");
  EXPECT_EQ(Str(vulns[0].Find("created")), "2020-10-25T16:22:00.000Z");
  EXPECT_EQ(Str(Field(vulns[0], "uuid")), "00000000-0000-4000-8000-000000000004");

  // text, and a user-agent not meant for detection: notes on the report.
  const Json* text = FindById(objects, "note--00000000-0000-4000-8000-000000000005");
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(Str(text->Find("content")), "Some analyst text");
  const Json* ua = FindById(objects, "note--00000000-0000-4000-8000-000000000006");
  ASSERT_NE(ua, nullptr);
  EXPECT_EQ(Str(ua->Find("abstract")), "user-agent");

  const Json* as = FindById(objects, "indicator--00000000-0000-4000-8000-000000000007");
  ASSERT_NE(as, nullptr);
  EXPECT_EQ(Str(as->Find("pattern")), "[autonomous-system:number = 64500]");

  const Json* email = FindById(objects, "indicator--00000000-0000-4000-8000-000000000008");
  ASSERT_NE(email, nullptr);
  EXPECT_EQ(Str(email->Find("pattern")), "[email-message:from_ref.value = 'Bad@example.com']");
  EXPECT_EQ(ObjectsOfType(outcome, "email-message").size(), 1u);

  const Json* mutex = FindById(objects, "indicator--00000000-0000-4000-8000-000000000009");
  ASSERT_NE(mutex, nullptr);
  EXPECT_EQ(Str(mutex->Find("pattern")), "[mutex:name = 'Global\\\\evil']");
}

TEST(MispReader, MalformedAttributeIsRejectedWithItsPathAndTheRestMaps) {
  std::string attrs =
      Attribute("00000000-0000-4000-8000-000000000001", "domain", "example.org", true) + "," +
      Attribute("00000000-0000-4000-8000-000000000002", "ip-dst", "999.1.1.1", true) + "," +
      R"({"uuid": "00000000-0000-4000-8000-000000000003", "value": "x"})" + "," +
      Attribute("00000000-0000-4000-8000-000000000004", "md5", "not-a-hash", false);
  auto outcome = ReadBytes("misp", Event(attrs));
  ASSERT_TRUE(outcome.status.ok());
  ASSERT_EQ(outcome.sink.records.size(), 1u);
  ExpectAllValid(outcome);
  ASSERT_EQ(outcome.sink.rejects.size(), 3u);
  EXPECT_EQ(outcome.sink.rejects[0].reason.rfind("/Attribute/1: ip-dst: '999.1.1.1'", 0), 0u)
      << outcome.sink.rejects[0].reason;
  EXPECT_NE(outcome.sink.rejects[0].raw.find("999.1.1.1"), std::string::npos);
  EXPECT_EQ(outcome.sink.rejects[1].reason, "/Attribute/2: attribute without a type");
  EXPECT_EQ(outcome.sink.rejects[2].reason.rfind("/Attribute/3: md5:", 0), 0u);
  EXPECT_EQ(outcome.sink.rejects[0].position.record, 0u);
  EXPECT_EQ(ObjectsOfType(outcome, "domain-name").size(), 1u);
}

TEST(MispReader, TagsBecomeTlpMarkingsAndLabels) {
  std::string attrs =
      Attribute("00000000-0000-4000-8000-000000000001", "url", "hxxp://evil[.]example/a", true,
                R"(, "Tag": [{"name": "tlp:red"}, {"name": "kill-chain:Delivery"}])");
  std::string tags =
      R"(, "Tag": [{"name": "tlp:amber"}, {"name": "osint:source-type=\"blog-post\""}])";
  std::string list = "[" + Event(attrs, tags, "00000000-0000-4000-8000-0000000000aa") + "," +
                     Event(attrs, tags, "00000000-0000-4000-8000-0000000000bb") + "]";
  auto outcome = ReadBytes("misp", list);
  ASSERT_TRUE(outcome.status.ok());
  ASSERT_EQ(outcome.sink.records.size(), 2u);
  ExpectAllValid(outcome);
  std::string amber(stix::Tlp2MarkingId(stix::TlpLevel::kAmber));
  std::string red(stix::Tlp2MarkingId(stix::TlpLevel::kRed));
  // Marking definitions ship once, in the first record that uses them.
  int definitions_first = 0;
  int definitions_second = 0;
  for (const auto& o : outcome.sink.records[0].objects)
    definitions_first += o.type == "marking-definition";
  for (const auto& o : outcome.sink.records[1].objects)
    definitions_second += o.type == "marking-definition";
  EXPECT_EQ(definitions_first, 2);
  EXPECT_EQ(definitions_second, 0);
  for (const auto& record : outcome.sink.records) {
    for (const auto& o : record.objects) {
      if (o.type == "marking-definition") continue;
      EXPECT_NE(std::find(o.object_marking_refs.begin(), o.object_marking_refs.end(), amber),
                o.object_marking_refs.end())
          << o.id;
    }
  }
  std::vector<Json> indicators = ObjectsOfType(outcome, "indicator");
  ASSERT_EQ(indicators.size(), 2u);
  const Json* marks = indicators[0].Find("object_marking_refs");
  ASSERT_NE(marks, nullptr);
  EXPECT_EQ(marks->as_array().size(), 2u);  // the event's amber and the attribute's red
  EXPECT_EQ(Str(&marks->as_array()[1]), red);
  EXPECT_EQ(Str(&indicators[0].Find("labels")->as_array()[0]), "kill-chain:Delivery");
  EXPECT_EQ(Str(indicators[0].Find("pattern")), "[url:value = 'http://evil.example/a']");
  std::vector<Json> reports = ObjectsOfType(outcome, "report");
  EXPECT_EQ(Str(&reports[0].Find("labels")->as_array()[0]), "osint:source-type=\"blog-post\"");
}

TEST(MispReader, SharingGroupAndPerAttributeDistribution) {
  std::string attrs = Attribute("00000000-0000-4000-8000-000000000001", "sha1",
                                "2920d5e6c579fce772e5506caf03af65579088bd", false,
                                R"(, "distribution": "0", "sharing_group_id": "0")") +
                      "," +
                      Attribute("00000000-0000-4000-8000-000000000002", "sha1",
                                "3920d5e6c579fce772e5506caf03af65579088bd", false,
                                R"(, "distribution": "5", "sharing_group_id": "0")");
  std::string event = Event(
      attrs,
      R"(, "SharingGroup": {"name": "FIRST CTI", "uuid": "5c5a3e8f-0000-4000-8000-000000000000"})");
  // Distribution 4 (sharing group) for the whole event.
  size_t at = event.find(R"("distribution": "3")");
  event.replace(at, 19, R"("distribution": "4")");
  auto outcome = ReadBytes("misp", event);
  ASSERT_TRUE(outcome.status.ok());
  ASSERT_EQ(outcome.sink.records.size(), 1u);
  EXPECT_EQ(outcome.sink.records[0].sharing.distribution, "sharing-group");
  EXPECT_EQ(outcome.sink.records[0].sharing.sharing_group, "FIRST CTI");
  std::vector<Json> observed = ObjectsOfType(outcome, "observed-data");
  ASSERT_EQ(observed.size(), 2u);
  EXPECT_EQ(Str(Field(observed[0], "distribution")), "0");  // differs: kept
  EXPECT_EQ(Field(observed[1], "distribution"), nullptr);   // inherits: not repeated
}

TEST(MispReader, FirstAndLastSeenSightingsGalaxiesAndDeleted) {
  std::string attrs = Attribute(
      "00000000-0000-4000-8000-000000000001", "domain", "c2.example.net", true,
      R"(, "first_seen": "2021-03-01T10:00:00.000000+00:00", "last_seen": "2021-03-05T12:00:00.000000+00:00",
      "Sighting": [{"uuid": "00000000-0000-4000-8000-00000000000f", "date_sighting": "1614600000", "type": "0",
        "source": "honeypot", "Organisation": {"name": "SOC", "uuid": "00000000-0000-4000-8000-0000000000cc"}},
        {"uuid": "00000000-0000-4000-8000-00000000000e", "date_sighting": "1614600001", "type": "1"}],
      "Galaxy": [{"type": "mitre-attack-pattern", "name": "Attack Pattern", "GalaxyCluster": [
        {"type": "mitre-attack-pattern", "value": "Application Layer Protocol - T1071", "uuid": "355be19c-ffc9-46d5-8d50-d6a036c675b6",
         "collection_uuid": "dcb864dc-775f-11e7-9fbb-1f41b4996683",
         "description": "C2 over app protocols", "meta": {"external_id": ["T1071"], "refs": ["https://attack.mitre.org/techniques/T1071"], "kill_chain": ["mitre-attack:command-and-control"]}}]}])");
  attrs += "," + Attribute("00000000-0000-4000-8000-000000000002", "domain", "old.example.net",
                           true, R"(, "deleted": true)");
  attrs +=
      "," +
      Attribute(
          "00000000-0000-4000-8000-000000000003", "domain", "seen.example.net", false,
          R"(, "first_seen": "2021-03-02T00:00:00.000000Z", "last_seen": "2021-03-04T00:00:00.000000Z")");
  std::string galaxy =
      R"(, "Galaxy": [{"type": "threat-actor", "name": "Threat Actor", "GalaxyCluster": [
      {"type": "threat-actor", "value": "Sofacy", "uuid": "", "tag_name": "misp-galaxy:threat-actor=\"Sofacy\"",
       "meta": {"synonyms": ["APT28", "Fancy Bear"], "country": ["RU"]}}]}])";
  auto outcome = ReadBytes("misp", Event(attrs, galaxy));
  ASSERT_TRUE(outcome.status.ok());
  ExpectAllValid(outcome);
  std::vector<Json> objects = Objects(outcome);
  const Json* indicator = FindById(objects, "indicator--00000000-0000-4000-8000-000000000001");
  ASSERT_NE(indicator, nullptr);
  EXPECT_EQ(Str(indicator->Find("valid_from")), "2021-03-01T10:00:00.000000Z");
  EXPECT_EQ(Str(indicator->Find("valid_until")), "2021-03-05T12:00:00.000000Z");
  // Not for detection: first_seen/last_seen are the observation's window.
  const Json* observed = FindById(objects, "observed-data--00000000-0000-4000-8000-000000000003");
  ASSERT_NE(observed, nullptr);
  EXPECT_EQ(Str(observed->Find("first_observed")), "2021-03-02T00:00:00.000000Z");
  EXPECT_EQ(Str(observed->Find("last_observed")), "2021-03-04T00:00:00.000000Z");

  const Json* sighting = FindById(objects, "sighting--00000000-0000-4000-8000-00000000000f");
  ASSERT_NE(sighting, nullptr);
  EXPECT_EQ(Str(sighting->Find("sighting_of_ref")),
            "indicator--00000000-0000-4000-8000-000000000001");
  EXPECT_EQ(Str(&sighting->Find("where_sighted_refs")->as_array()[0]),
            "identity--00000000-0000-4000-8000-0000000000cc");
  EXPECT_EQ(Str(sighting->Find("first_seen")), "2021-03-01T12:00:00.000Z");
  EXPECT_EQ(Str(Field(*sighting, "source")), "honeypot");
  ASSERT_NE(FindById(objects, "identity--00000000-0000-4000-8000-0000000000cc"), nullptr);
  // A false-positive sighting is an opinion disagreeing with the indicator.
  const Json* opinion = FindById(objects, "opinion--00000000-0000-4000-8000-00000000000e");
  ASSERT_NE(opinion, nullptr);
  EXPECT_EQ(Str(opinion->Find("opinion")), "strongly-disagree");

  const Json* pattern = FindById(objects, "attack-pattern--355be19c-ffc9-46d5-8d50-d6a036c675b6");
  ASSERT_NE(pattern, nullptr);
  EXPECT_EQ(Str(pattern->Find("name")), "Application Layer Protocol");
  const Json& ref = pattern->Find("external_references")->as_array()[0];
  EXPECT_EQ(Str(ref.Find("source_name")), "mitre-attack");
  EXPECT_EQ(Str(ref.Find("external_id")), "T1071");
  EXPECT_EQ(Str(ref.Find("url")), "https://attack.mitre.org/techniques/T1071");
  bool indicates = false;
  for (const Json& r : ObjectsOfType(outcome, "relationship")) {
    indicates = indicates || (Str(r.Find("relationship_type")) == "indicates" &&
                              Str(r.Find("target_ref")) == Str(pattern->Find("id")));
  }
  EXPECT_TRUE(indicates);

  // A cluster without a uuid: an id from its tag name, the same on every read.
  std::vector<Json> actors = ObjectsOfType(outcome, "threat-actor");
  ASSERT_EQ(actors.size(), 1u);
  EXPECT_EQ(Str(actors[0].Find("id")),
            DeterministicId("threat-actor", "misp-galaxy:threat-actor=\"Sofacy\""));
  EXPECT_EQ(actors[0].Find("aliases")->as_array().size(), 2u);
  ASSERT_NE(Field(actors[0], "meta"), nullptr);
  EXPECT_EQ(Str(&Field(actors[0], "meta")->Find("country")->as_array()[0]), "RU");
  std::vector<Json> reports = ObjectsOfType(outcome, "report");
  bool in_report = false;
  for (const Json& id : reports[0].Find("object_refs")->as_array()) {
    in_report = in_report || id.as_string() == Str(actors[0].Find("id"));
  }
  EXPECT_TRUE(in_report);

  const Json* deleted = FindById(objects, "indicator--00000000-0000-4000-8000-000000000002");
  ASSERT_NE(deleted, nullptr);
  EXPECT_TRUE(deleted->Find("revoked")->as_bool());
}

TEST(MispReader, ObjectsAreOneObservationWithReferences) {
  std::string objects_json = R"(, "Object": [
    {"name": "domain-ip", "uuid": "00000000-0000-4000-8000-000000000010", "meta-category": "network", "timestamp": "1603642920",
     "Attribute": [
       {"uuid": "00000000-0000-4000-8000-000000000011", "type": "domain", "object_relation": "domain", "value": "evil.example", "to_ids": true},
       {"uuid": "00000000-0000-4000-8000-000000000012", "type": "ip-dst", "object_relation": "ip", "value": "203.0.113.5", "to_ids": true},
       {"uuid": "00000000-0000-4000-8000-000000000013", "type": "text", "object_relation": "text", "value": "seen in March", "to_ids": false}],
     "ObjectReference": [{"uuid": "00000000-0000-4000-8000-000000000019", "referenced_uuid": "00000000-0000-4000-8000-000000000020", "relationship_type": "resolves-to"}]},
    {"name": "ip-port", "uuid": "00000000-0000-4000-8000-000000000020", "timestamp": "1603642920",
     "Attribute": [
       {"uuid": "00000000-0000-4000-8000-000000000021", "type": "ip-dst", "object_relation": "ip", "value": "203.0.113.9", "to_ids": false},
       {"uuid": "00000000-0000-4000-8000-000000000022", "type": "port", "object_relation": "dst-port", "value": "443", "to_ids": false},
       {"uuid": "00000000-0000-4000-8000-000000000023", "type": "ip-dst", "object_relation": "ip", "value": "not-an-ip", "to_ids": false}]},
    {"name": "email", "uuid": "00000000-0000-4000-8000-000000000030", "timestamp": "1603642920",
     "Attribute": [
       {"uuid": "00000000-0000-4000-8000-000000000031", "type": "email-src", "object_relation": "from", "value": "a@example.org", "to_ids": true},
       {"uuid": "00000000-0000-4000-8000-000000000032", "type": "email-dst", "object_relation": "to", "value": "b@example.org", "to_ids": false},
       {"uuid": "00000000-0000-4000-8000-000000000033", "type": "email-subject", "object_relation": "subject", "value": "Invoice", "to_ids": false},
       {"uuid": "00000000-0000-4000-8000-000000000034", "type": "email-attachment", "object_relation": "attachment", "value": "invoice.pdf.exe", "to_ids": false}]}])";
  auto outcome = ReadBytes("misp", Event("", objects_json));
  ASSERT_TRUE(outcome.status.ok());
  ExpectAllValid(outcome);
  std::vector<Json> objects = Objects(outcome);

  const Json* domain_ip = FindById(objects, "indicator--00000000-0000-4000-8000-000000000010");
  ASSERT_NE(domain_ip, nullptr);
  EXPECT_EQ(Str(domain_ip->Find("pattern")),
            "[domain-name:value = 'evil.example' AND domain-name:resolves_to_refs[*].value = "
            "'203.0.113.5']");
  // The text attribute has no STIX home: kept with its object.
  const Json* kept = Field(*domain_ip, "Attribute");
  ASSERT_NE(kept, nullptr);
  bool text_kept = false;
  for (const Json& a : kept->as_array())
    text_kept = text_kept || Str(a.Find("value")) == "seen in March";
  EXPECT_TRUE(text_kept);

  // ip-port without to_ids: observed-data with network-traffic; the bad address rejected.
  const Json* ip_port = FindById(objects, "observed-data--00000000-0000-4000-8000-000000000020");
  ASSERT_NE(ip_port, nullptr);
  EXPECT_EQ(FindById(objects, "indicator--00000000-0000-4000-8000-000000000020"), nullptr);
  std::vector<Json> traffic = ObjectsOfType(outcome, "network-traffic");
  ASSERT_EQ(traffic.size(), 1u);
  EXPECT_EQ(traffic[0].Find("dst_port")->as_double(), 443);
  ASSERT_EQ(outcome.sink.rejects.size(), 1u);
  EXPECT_NE(outcome.sink.rejects[0].reason.find("/Object/1 (ip-port) attribute ip"),
            std::string::npos)
      << outcome.sink.rejects[0].reason;

  // The reference: a relationship with the reference's own uuid.
  const Json* rel = FindById(objects, "relationship--00000000-0000-4000-8000-000000000019");
  ASSERT_NE(rel, nullptr);
  EXPECT_EQ(Str(rel->Find("source_ref")), "indicator--00000000-0000-4000-8000-000000000010");
  EXPECT_EQ(Str(rel->Find("target_ref")), "observed-data--00000000-0000-4000-8000-000000000020");
  EXPECT_EQ(Str(rel->Find("relationship_type")), "resolves-to");

  // email: one message with from, to, subject and the attachment as a part.
  std::vector<Json> messages = ObjectsOfType(outcome, "email-message");
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(Str(messages[0].Find("subject")), "Invoice");
  EXPECT_TRUE(messages[0].Find("is_multipart")->as_bool());
  EXPECT_EQ(messages[0].Find("to_refs")->as_array().size(), 1u);
  const Json* email_ind = FindById(objects, "indicator--00000000-0000-4000-8000-000000000030");
  ASSERT_NE(email_ind, nullptr);
  EXPECT_NE(Str(email_ind->Find("pattern")).find("email-message:from_ref.value = 'a@example.org'"),
            std::string::npos);
}

TEST(MispReader, EventsListStreamsWithPositions) {
  std::string e1 =
      Event(Attribute("00000000-0000-4000-8000-000000000001", "domain", "a.example", false), "",
            "00000000-0000-4000-8000-0000000000a1");
  std::string e2 =
      Event(Attribute("00000000-0000-4000-8000-000000000002", "domain", "b.example", false), "",
            "00000000-0000-4000-8000-0000000000a2");
  std::string list = "{\"response\": [" + e1 + ",\n 42, " + e2 + "]}";
  auto outcome = ReadBytes("misp", list);
  ASSERT_TRUE(outcome.status.ok());
  ASSERT_EQ(outcome.sink.records.size(), 2u);
  EXPECT_EQ(outcome.sink.records[0].position.record, 0u);
  EXPECT_EQ(outcome.sink.records[0].position.byte_offset, list.find(e1));
  EXPECT_EQ(outcome.sink.records[1].position.record, 2u);
  EXPECT_EQ(outcome.sink.records[1].position.byte_offset, list.find(e2));
  ASSERT_EQ(outcome.sink.rejects.size(), 1u);
  EXPECT_EQ(outcome.sink.rejects[0].position.record, 1u);
  EXPECT_EQ(outcome.sink.rejects[0].raw, "42");

  // A list cut inside its last event: the events before it are read.
  std::string cut = "[" + e1 + "," + e2.substr(0, e2.size() / 2);
  auto truncated = ReadBytes("misp", cut);
  ASSERT_TRUE(truncated.status.ok());
  EXPECT_EQ(truncated.sink.records.size(), 1u);
  ASSERT_EQ(truncated.sink.rejects.size(), 1u);
  EXPECT_EQ(truncated.sink.rejects[0].reason, "the input ends inside this event");
}

TEST(MispReader, BareEventsAndRereadsAreIdentical) {
  std::string bare =
      R"({"info": "bare", "Attribute": [)" +
      Attribute("00000000-0000-4000-8000-000000000001", "sha256",
                "7fa3abc229fd3cb9a0a6f07d9da15e35528c630d0ad5902d5422b305cae7eaa4", true) +
      R"(], "threat_level_id": "1", "analysis": "0"})";
  auto first = ReadBytes("misp", bare);
  auto second = ReadBytes("misp", bare);
  ASSERT_TRUE(first.status.ok());
  ASSERT_EQ(first.sink.records.size(), 1u);
  ExpectAllValid(first);
  EXPECT_EQ(testing::Render(first, "input"), testing::Render(second, "input"));
  // No uuid: the report id comes from the event's content.
  std::vector<Json> reports = ObjectsOfType(first, "report");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(Str(reports[0].Find("id")).rfind("report--", 0), 0u);
}

TEST(MispReader, OneEventInTheApiEnvelope) {
  auto outcome = ReadBytes("misp", "{\"response\": " + Event("") + "}");
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.error().ToString();
  ASSERT_EQ(outcome.sink.records.size(), 1u);
  EXPECT_EQ(ObjectsOfType(outcome, "report").size(), 1u);
}

TEST(MispReader, NotMispIsAnErrorAndOptionsAreChecked) {
  EXPECT_FALSE(ReadBytes("misp", "").status.ok());
  EXPECT_FALSE(ReadBytes("misp", "{\"type\": \"bundle\", \"objects\": []}").status.ok());
  EXPECT_FALSE(ReadBytes("misp", "{not json").status.ok());
  ReadContext context = testing::TestContext();
  context.options.emplace_back("colour", "blue");
  auto outcome = ReadBytes("misp", Event(""), context);
  ASSERT_FALSE(outcome.status.ok());
  EXPECT_EQ(outcome.status.error().code, core::ErrorCode::kInvalidArgument);
}

TEST(MispReader, Detection) {
  const Format* misp = FindFormat("misp");
  const Format* feed = FindFormat("misp-feed");
  ASSERT_NE(misp, nullptr);
  ASSERT_NE(feed, nullptr);
  EXPECT_EQ(misp->detect(Event("")).score, 95);
  EXPECT_EQ(misp->detect("{\"response\": [" + Event("") + "]}").score, 95);
  EXPECT_EQ(misp->detect("[" + Event("") + "]").score, 90);
  EXPECT_EQ(misp->detect("{\"response\": " + Event("") + "}").score, 90);
  EXPECT_EQ(
      misp->detect(
              R"({"Attribute": [{"type": "md5", "category": "Payload delivery", "to_ids": true}]})")
          .score,
      75);
  EXPECT_EQ(misp->detect(R"({"type": "bundle", "id": "bundle--x", "objects": []})").score, 0);
  EXPECT_EQ(
      misp->detect(
              R"({"5bad1b96-53bc-4148-87eb-50d50a016219": {"info": "x", "Orgc": {}, "timestamp": "1"}})")
          .score,
      0);
  EXPECT_EQ(
      feed->detect(
              R"({"5bad1b96-53bc-4148-87eb-50d50a016219": {"info": "x", "Orgc": {}, "timestamp": "1"}})")
          .score,
      85);
  EXPECT_EQ(feed->detect(Event("")).score, 0);
  // Through the registry: the misp reader wins on an event.
  Input input = Input::FromString(Event(""), "input");
  auto chosen = DetectFormat(input);
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(chosen->format->name, "misp");
}

}  // namespace
}  // namespace tessera::formats
