// The STIX 1.x reader: unit cases on small fixtures (tests/data/formats/stix1/),
// golden outputs for every corpus file, and agreement with the OASIS
// stix2-elevator on every observable.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/time.h"
#include "formats/registry.h"
#include "formats/stix_build.h"
#include "normalize/classify.h"
#include "normalize/stix_mapping.h"
#include "stix/spec.h"
#include "stix/tlp.h"
#include "testing/corpus_files.h"
#include "testing/format_golden.h"
#include "testing/stix_fields.h"

namespace tessera::formats {
namespace {

namespace fs = std::filesystem;
using core::Json;
using testing::StringField;

fs::path CorpusDir() { return testing::SharedDir() / "corpora" / "stix1"; }

std::vector<fs::path> CorpusFiles() { return testing::CorpusFiles(CorpusDir(), {".xml"}); }

fs::path Fixture(const std::string& name) {
  return testing::SourceDir() / "tests" / "data" / "formats" / "stix1" / name;
}

std::vector<Json> OfType(const testing::ReadOutcome& out, std::string_view type) {
  return testing::ObjectsOfType(out, type);
}

// The objects of one record.
std::vector<Json> RecordObjects(const testing::ReadOutcome& out, size_t i) {
  std::vector<Json> objects;
  for (const stix::StixObject& o : out.sink.records.at(i).objects) {
    objects.push_back(*core::ParseJson(o.json));
  }
  return objects;
}

bool HasRelationship(const testing::ReadOutcome& out, const std::string& src,
                     const std::string& type, const std::string& tgt) {
  for (const Json& r : OfType(out, "relationship")) {
    if (StringField(r, "source_ref") == src && StringField(r, "relationship_type") == type &&
        StringField(r, "target_ref") == tgt) {
      return true;
    }
  }
  return false;
}

std::string Package(const std::string& body, const std::string& attributes = "") {
  return "<stix:STIX_Package xmlns:stix=\"http://stix.mitre.org/stix-1\" "
         "xmlns:indicator=\"http://stix.mitre.org/Indicator-2\" "
         "xmlns:cybox=\"http://cybox.mitre.org/cybox-2\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
         "xmlns:A=\"http://cybox.mitre.org/objects#AddressObject-2\" "
         "id=\"t:Package-1\" " +
         attributes + ">" + body + "</stix:STIX_Package>";
}

std::string AddressIndicator(const std::string& id, const std::string& value,
                             const std::string& attributes = "") {
  return "<stix:Indicator id=\"" + id + "\" " + attributes +
         "><indicator:Observable><cybox:Object>"
         "<cybox:Properties xsi:type=\"A:AddressObjectType\" category=\"ipv4-addr\">"
         "<A:Address_Value>" +
         value +
         "</A:Address_Value></cybox:Properties></cybox:Object>"
         "</indicator:Observable></stix:Indicator>";
}

TEST(Stix1Detect, StixPackageInTheStix1Namespace) {
  const Format* f = FindFormat("stix1");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->detect(Package("")).score, 100);
  EXPECT_EQ(f->detect("<?xml version=\"1.0\"?>\n<!-- a comment -->\n" + Package("")).score, 100);
  EXPECT_EQ(f->detect("<!DOCTYPE x>\n<!-- a STIX_Package below -->" + Package("")).score, 100);
  EXPECT_EQ(f->detect("<!-- <stix:STIX_Package> -->\n<other/>").score, 0);
  EXPECT_EQ(f->detect("<STIX_Package id=\"x\"></STIX_Package>").score, 40);
  EXPECT_EQ(f->detect("<ioc xmlns=\"http://schemas.mandiant.com/2010/ioc\"/>").score, 0);
  EXPECT_EQ(f->detect("{\"type\": \"bundle\", \"STIX_Package\": 1}").score, 0);
  EXPECT_EQ(f->detect("<Wrapper><stix:STIX_Package xmlns:stix=\"http://stix.mitre.org/stix-1\"/>"
                      "</Wrapper>")
                .score,
            0);
}

TEST(Stix1Reader, WholeInputErrors) {
  auto bad = testing::ReadBytes("stix1", "<stix:STIX_Package><unclosed>");
  ASSERT_FALSE(bad.status.ok());
  EXPECT_EQ(bad.status.error().code, core::ErrorCode::kParse);
  auto other = testing::ReadBytes("stix1", "<ioc/>");
  ASSERT_FALSE(other.status.ok());
  EXPECT_NE(other.status.error().message.find("not a STIX 1 STIX_Package"), std::string::npos);
  std::string nest;
  for (int i = 0; i < 300; ++i) nest += "<a>";
  for (int i = 0; i < 300; ++i) nest += "</a>";
  auto too_deep = testing::ReadBytes("stix1", Package(nest));
  ASSERT_FALSE(too_deep.status.ok());
  EXPECT_EQ(too_deep.status.error().code, core::ErrorCode::kLimit);
  formats::ReadContext context = testing::TestContext();
  context.options.emplace_back("strict", "1");
  auto option = testing::ReadBytes("stix1", Package(""), context);
  ASSERT_FALSE(option.status.ok());
  EXPECT_EQ(option.status.error().code, core::ErrorCode::kInvalidArgument);
}

TEST(Stix1Reader, AddressIndicatorThroughNormalize) {
  auto out = testing::ReadPath("stix1", Fixture("observables.xml"));
  ASSERT_TRUE(out.status.ok());
  std::vector<Json> first = RecordObjects(out, 0);
  EXPECT_EQ(StringField(first[0], "id"), "indicator--0a6b3f3e-5b2c-4d1e-8f7a-1c2d3e4f5a61");
  EXPECT_EQ(StringField(first[0], "pattern"), "[ipv4-addr:value = '198.51.100.7']");  // refanged
  EXPECT_EQ(StringField(first[0], "created"), "2024-01-01T00:00:00.000Z");
  auto ip = normalize::NormalizeAs(normalize::Kind::kIpv4, "198.51.100.7");
  ASSERT_TRUE(ip.ok());
  EXPECT_EQ(StringField(first[1], "id"), normalize::StixId(*ip));
  EXPECT_TRUE(
      HasRelationship(out, StringField(first[0], "id"), "based-on", StringField(first[1], "id")));
  EXPECT_EQ(out.sink.records[0].position.line, 26u);
  EXPECT_EQ(out.sink.records[0].format, "stix1");
}

TEST(Stix1Reader, CompositionLogicBecomesThePattern) {
  auto out = testing::ReadPath("stix1", Fixture("observables.xml"));
  ASSERT_TRUE(out.status.ok());
  std::vector<Json> second = RecordObjects(out, 1);
  // An id without a UUID: a deterministic one from it; no timestamp: the package's.
  EXPECT_EQ(StringField(second[0], "id"), DeterministicId("indicator", "test:indicator-2"));
  EXPECT_EQ(StringField(second[0], "valid_from"), "2024-02-03T04:05:06.000Z");
  EXPECT_EQ(StringField(second[0], "pattern"),
            "(([domain-name:value = 'evil.example.com'] OR [url:value MATCHES '/gate\\\\.php']) "
            "AND [(ipv4-addr:value ISSUBSET '192.0.2.0/26' OR ipv4-addr:value ISSUBSET "
            "'192.0.2.64/27')])");
  // Concrete values become SCOs; the Contains test does not.
  std::set<std::string> values;
  for (const Json& o : second) {
    if (!StringField(o, "value").empty())
      values.insert(StringField(o, "type") + " " + StringField(o, "value"));
  }
  EXPECT_EQ(values, (std::set<std::string>{"domain-name evil.example.com", "ipv4-addr 192.0.2.0/26",
                                           "ipv4-addr 192.0.2.64/27"}));
  ASSERT_EQ(out.sink.records[1].notes.size(), 1u);
  EXPECT_NE(out.sink.records[1].notes[0].find("trailing dot"), std::string::npos);
}

TEST(Stix1Reader, EmailMessageWithRecipientsAndAttachment) {
  auto out = testing::ReadPath("stix1", Fixture("observables.xml"));
  ASSERT_TRUE(out.status.ok());
  std::vector<Json> email = OfType(out, "email-message");
  ASSERT_EQ(email.size(), 1u);
  EXPECT_EQ(StringField(email[0], "subject"), "Invoice 42");
  EXPECT_TRUE(email[0].Find("is_multipart")->as_bool());
  EXPECT_EQ(email[0].Find("to_refs")->as_array().size(), 2u);
  EXPECT_EQ(StringField(*email[0].Find("additional_header_fields"), "X-Mailer"), "Mailer 1.0");
  std::vector<Json> files = OfType(out, "file");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(StringField(*files[0].Find("hashes"), "MD5"), "9e107d9d372bb6826bd81d3542a419d6");
  EXPECT_EQ(email[0].Find("body_multipart")->as_array()[0].Find("body_raw_ref")->as_string(),
            StringField(files[0], "id"));
  std::vector<Json> third = RecordObjects(out, 2);
  EXPECT_NE(
      StringField(third[0], "pattern").find("email-message:from_ref.value = 'Sender@example.org'"),
      std::string::npos);
  EXPECT_NE(StringField(third[0], "pattern")
                .find("body_multipart[*].body_raw_ref.hashes.'MD5' = "
                      "'9e107d9d372bb6826bd81d3542a419d6'"),
            std::string::npos);
}

TEST(Stix1Reader, NetworkConnectionAndConditions) {
  auto out = testing::ReadPath("stix1", Fixture("observables.xml"));
  ASSERT_TRUE(out.status.ok());
  std::vector<Json> traffic = OfType(out, "network-traffic");
  ASSERT_EQ(traffic.size(), 1u);
  EXPECT_EQ(traffic[0].Find("dst_port")->as_number().literal, "8443");
  EXPECT_EQ(StringField(RecordObjects(out, 3)[0], "pattern"),
            "[network-traffic:protocols[*] = 'tcp' AND network-traffic:dst_port = 8443 AND "
            "network-traffic:src_ref.value = '10.1.2.3' AND network-traffic:dst_ref.value = "
            "'203.0.113.9']");
  EXPECT_EQ(StringField(RecordObjects(out, 4)[0], "pattern"),
            "([mutex:name MATCHES '^Global\\\\\\\\evil'] OR "
            "[windows-registry-key:key = "
            "'HKEY_LOCAL_MACHINE\\\\Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Run' AND "
            "windows-registry-key:values[*].name = 'updater'] OR [network-traffic:dst_port > 1024] "
            "OR [network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = "
            "'EvilBot/1.0'] OR [domain-name:value NOT IN ('good.example', 'also-good.example')] "
            "OR [file:name = 'drop.exe' AND (file:size >= 100 AND file:size <= 200) AND "
            "file:parent_directory_ref.path = 'C:\\\\Windows\\\\Temp'])");
}

TEST(Stix1Reader, UnmappableComponentsAreRejectedWithTheirLocation) {
  auto out = testing::ReadPath("stix1", Fixture("observables.xml"));
  ASSERT_TRUE(out.status.ok());
  ASSERT_EQ(out.sink.rejects.size(), 2u);
  const Rejected& whois = out.sink.rejects[0];
  EXPECT_EQ(whois.reason,
            "/STIX_Package/Indicators/Indicator[6]/Observable/Object/Properties: CybOX object "
            "type WhoisObjectType is not supported");
  EXPECT_EQ(whois.position.line, 169u);
  EXPECT_EQ(whois.position.record, 5u);
  EXPECT_EQ(whois.raw.rfind("<stix:Indicator id=\"test:indicator-6\"", 0), 0u);
  EXPECT_NE(out.sink.rejects[1].reason.find("condition 'BitwiseAnd' on Port_Value"),
            std::string::npos);
  // The read goes on after them: the top-level observable is the last record.
  EXPECT_EQ(out.sink.records.back().position.record, 7u);
}

TEST(Stix1Reader, TopLevelObservableBecomesObservedData) {
  auto out = testing::ReadPath("stix1", Fixture("observables.xml"));
  ASSERT_TRUE(out.status.ok());
  std::vector<Json> od = OfType(out, "observed-data");
  ASSERT_EQ(od.size(), 1u);
  EXPECT_EQ(StringField(od[0], "id"), "observed-data--0c1f7a2e-8b3d-4e5f-9a6b-7c8d9e0f1a2b");
  EXPECT_EQ(StringField(od[0], "first_observed"), "2024-02-03T04:05:06.000Z");
  std::vector<Json> v6 = OfType(out, "ipv6-addr");
  ASSERT_EQ(v6.size(), 1u);
  EXPECT_EQ(StringField(v6[0], "value"), "2001:db8::1");
  // What has no STIX property is kept in the source-fields extension.
  const Json* fields = od[0].Find("extensions")->Find(kSourceFieldsExtensionId)->Find("fields");
  EXPECT_EQ(StringField(*fields, "Object/Properties/VLAN_Name"), "lab");
}

TEST(Stix1Reader, ComponentsAndTheirRelationships) {
  auto out = testing::ReadPath("stix1", Fixture("components.xml"));
  ASSERT_TRUE(out.status.ok()) << out.status.error().ToString();
  EXPECT_TRUE(out.sink.rejects.empty());
  const std::string indicator = "indicator--9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d";
  const std::string ap = "attack-pattern--1e8b7f4a-2c3d-4e5f-a6b7-c8d9e0f1a2b3";
  const std::string actor = "threat-actor--c56a4180-65aa-42ec-a945-5fd21dec0538";
  const std::string vuln = "vulnerability--16fd2706-8baf-433b-82eb-8c7fada847da";
  std::vector<Json> malware = OfType(out, "malware");
  ASSERT_EQ(malware.size(), 1u);
  std::string tiny = StringField(malware[0], "id");
  EXPECT_TRUE(HasRelationship(out, indicator, "indicates", ap));
  EXPECT_TRUE(HasRelationship(out, indicator, "indicates", tiny));
  EXPECT_TRUE(HasRelationship(out, "course-of-action--6f9619ff-8b86-4011-b42d-00c04fc964ff",
                              "mitigates", indicator));
  EXPECT_TRUE(HasRelationship(out, ap, "uses", tiny));
  EXPECT_TRUE(HasRelationship(out, ap, "targets", vuln));
  EXPECT_TRUE(HasRelationship(out, actor, "uses", ap));
  EXPECT_TRUE(HasRelationship(out, "incident--3f2504e0-4f89-41d3-9a0c-0305e82c3301",
                              "attributed-to", actor));
  std::vector<Json> campaigns = OfType(out, "campaign");
  ASSERT_EQ(campaigns.size(), 1u);
  EXPECT_TRUE(HasRelationship(out, StringField(campaigns[0], "id"), "attributed-to", actor));
  // The composite expression: OR of the referenced indicator's and the inline one's.
  std::vector<Json> first = RecordObjects(out, 0);
  EXPECT_EQ(StringField(first[0], "pattern"),
            "([domain-name:value = 'c2.example.com'] OR [ipv4-addr:value = '198.51.100.20'])");
  EXPECT_EQ(first[0].Find("confidence")->as_number().literal, "50");
  EXPECT_EQ(StringField(first[0].Find("kill_chain_phases")->as_array()[0], "kill_chain_name"),
            "lockheed-martin-cyber-kill-chain");
  const Json* fields = first[0].Find("extensions")->Find(kSourceFieldsExtensionId)->Find("fields");
  EXPECT_NE(StringField(*fields, "Likely_Impact").find("High"), std::string::npos);
  std::vector<Json> sightings = OfType(out, "sighting");
  ASSERT_EQ(sightings.size(), 1u);
  EXPECT_EQ(sightings[0].Find("count")->as_number().literal, "3");
  std::vector<Json> vulns = OfType(out, "vulnerability");
  ASSERT_EQ(vulns.size(), 1u);
  EXPECT_EQ(StringField(vulns[0], "name"), "CVE-2021-44228");  // canonical
  std::vector<Json> actors = OfType(out, "threat-actor");
  EXPECT_EQ(StringField(actors[0], "created"), "2023-12-31T23:59:59.000Z");
  EXPECT_EQ(StringField(actors[0], "primary_motivation"), "financial-or-economic");
}

TEST(Stix1Reader, TlpAndStatementMarkings) {
  auto out = testing::ReadPath("stix1", Fixture("components.xml"));
  ASSERT_TRUE(out.status.ok());
  const std::string amber(stix::Tlp2MarkingId(stix::TlpLevel::kAmber));
  const std::string red(stix::Tlp2MarkingId(stix::TlpLevel::kRed));
  const std::string terms = "marking-definition--0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a";
  // The package's markings are on every object; the actor's own RED on its objects.
  for (const Json& o : testing::Objects(out)) {
    std::string type = StringField(o, "type");
    if (type == "marking-definition" || type == "extension-definition" || type == "identity") {
      continue;
    }
    std::vector<std::string> refs;
    for (const Json& r : o.Find("object_marking_refs")->as_array()) refs.push_back(r.as_string());
    EXPECT_NE(std::find(refs.begin(), refs.end(), amber), refs.end()) << StringField(o, "id");
    EXPECT_NE(std::find(refs.begin(), refs.end(), terms), refs.end()) << StringField(o, "id");
    if (StringField(o, "id") == "threat-actor--c56a4180-65aa-42ec-a945-5fd21dec0538") {
      EXPECT_NE(std::find(refs.begin(), refs.end(), red), refs.end());
    }
  }
  // Each marking definition is in the record that first uses it, once.
  std::map<std::string, int> definitions;
  for (const Json& o : OfType(out, "marking-definition")) ++definitions[StringField(o, "id")];
  EXPECT_EQ(definitions, (std::map<std::string, int>{{amber, 1}, {red, 1}, {terms, 1}}));
  EXPECT_EQ(StringField(*OfType(out, "marking-definition")[0].Find("definition"), "statement"),
            "Fixture terms");
}

TEST(Stix1Reader, PackageHeaderBecomesAReportOfEverything) {
  auto out = testing::ReadPath("stix1", Fixture("components.xml"));
  ASSERT_TRUE(out.status.ok());
  std::vector<Json> reports = OfType(out, "report");
  ASSERT_EQ(reports.size(), 2u);
  const Json& package = reports[1];
  EXPECT_EQ(StringField(package, "id"), "report--7c9e6679-7425-40de-944b-e07fc1f90ae7");
  EXPECT_EQ(StringField(package, "name"), "Fixture package");
  EXPECT_EQ(StringField(package, "created_by_ref"), StringField(OfType(out, "identity")[1], "id"));
  std::set<std::string> refs;
  for (const Json& r : package.Find("object_refs")->as_array()) refs.insert(r.as_string());
  for (const Json& o : testing::Objects(out)) {
    std::string type = StringField(o, "type");
    if (type == "marking-definition" || type == "extension-definition") continue;
    if (StringField(o, "id") == StringField(package, "id")) continue;
    EXPECT_EQ(refs.count(StringField(o, "id")), 1u) << StringField(o, "id");
  }
}

TEST(Stix1Reader, TimestampsFromComponentElsePackageElseNow) {
  auto with_package = testing::ReadBytes(
      "stix1", Package("<stix:Indicators>" +
                           AddressIndicator("t:indicator-1", "192.0.2.1",
                                            "timestamp=\"2020-05-06T07:08:09+02:00\"") +
                           AddressIndicator("t:indicator-2", "192.0.2.2") + "</stix:Indicators>",
                       "timestamp=\"2019-01-01T00:00:00\""));
  ASSERT_TRUE(with_package.status.ok());
  std::vector<Json> ind = OfType(with_package, "indicator");
  ASSERT_EQ(ind.size(), 2u);
  EXPECT_EQ(StringField(ind[0], "created"), "2020-05-06T05:08:09.000Z");  // UTC
  EXPECT_EQ(StringField(ind[1], "created"), "2019-01-01T00:00:00.000Z");  // no offset: UTC
  auto bare = testing::ReadBytes(
      "stix1", Package("<stix:Indicators>" + AddressIndicator("t:indicator-3", "192.0.2.3") +
                       "</stix:Indicators>"));
  ASSERT_TRUE(bare.status.ok());
  EXPECT_EQ(StringField(OfType(bare, "indicator")[0], "created"), testing::kTestNow);
}

TEST(Stix1Reader, IdsFollowTheStix1Ids) {
  auto out = testing::ReadBytes(
      "stix1",
      Package("<stix:Indicators>" +
              AddressIndicator("t:indicator-7D9C4B2A-1E3F-4A5B-8C6D-0E1F2A3B4C5D", "192.0.2.1") +
              // not an RFC 4122 UUID (variant bits): a deterministic id
              AddressIndicator("t:indicator-a932fcc6-e032-176c-126f-cb970a5a1ade", "192.0.2.2") +
              "</stix:Indicators>"));
  ASSERT_TRUE(out.status.ok());
  std::vector<Json> ind = OfType(out, "indicator");
  ASSERT_EQ(ind.size(), 2u);
  EXPECT_EQ(StringField(ind[0], "id"), "indicator--7d9c4b2a-1e3f-4a5b-8c6d-0e1f2a3b4c5d");
  EXPECT_EQ(StringField(ind[1], "id"),
            DeterministicId("indicator", "t:indicator-a932fcc6-e032-176c-126f-cb970a5a1ade"));
  // Reading again gives the same objects.
  auto again = testing::ReadBytes(
      "stix1",
      Package("<stix:Indicators>" +
              AddressIndicator("t:indicator-7D9C4B2A-1E3F-4A5B-8C6D-0E1F2A3B4C5D", "192.0.2.1") +
              AddressIndicator("t:indicator-a932fcc6-e032-176c-126f-cb970a5a1ade", "192.0.2.2") +
              "</stix:Indicators>"));
  EXPECT_EQ(testing::Render(out, "x"), testing::Render(again, "x"));
}

TEST(Stix1Reader, ReferenceCyclesEndInARejection) {
  auto out = testing::ReadBytes(
      "stix1", Package("<stix:Indicators><stix:Indicator id=\"t:indicator-1\">"
                       "<indicator:Observable idref=\"t:obs-1\"/></stix:Indicator>"
                       "<stix:Indicator id=\"t:indicator-2\"><indicator:Observable id=\"t:obs-1\">"
                       "<cybox:Object idref=\"t:obj-1\"/></indicator:Observable></stix:Indicator>"
                       "<stix:Indicator id=\"t:indicator-3\"><indicator:Observable>"
                       "<cybox:Object id=\"t:obj-1\" idref=\"t:obj-1\"/></indicator:Observable>"
                       "</stix:Indicator></stix:Indicators>"));
  ASSERT_TRUE(out.status.ok());
  EXPECT_TRUE(out.sink.records.empty());
  ASSERT_EQ(out.sink.rejects.size(), 3u);
  EXPECT_NE(out.sink.rejects[0].reason.find("nest deeper"), std::string::npos)
      << out.sink.rejects[0].reason;
}

TEST(Stix1Reader, RelatedPackagesAreReadAsPackages) {
  // MISP exports: a wrapper package with one package per event.
  std::string inner =
      "<stix:Related_Packages><stix:Related_Package>"
      "<stix:Package id=\"t:Package-2\" timestamp=\"2021-02-03T04:05:06Z\">"
      "<stix:STIX_Header><stix:Title>Event 1</stix:Title></stix:STIX_Header>"
      "<stix:Indicators>" +
      AddressIndicator("t:indicator-1", "192.0.2.1") +
      "</stix:Indicators>"
      "<stix:Observables><cybox:Observable id=\"t:obs-1\"><cybox:Object>"
      "<cybox:Properties xsi:type=\"AS:ASObjectType\" xmlns:AS=\"http://cybox.mitre.org/objects#"
      "ASObject-1\"><AS:Handle condition=\"Equals\">AS174</AS:Handle></cybox:Properties>"
      "</cybox:Object></cybox:Observable></stix:Observables>"
      "</stix:Package></stix:Related_Package></stix:Related_Packages>";
  auto out = testing::ReadBytes("stix1", Package(inner));
  ASSERT_TRUE(out.status.ok());
  EXPECT_TRUE(out.sink.rejects.empty());
  std::vector<Json> ind = OfType(out, "indicator");
  ASSERT_EQ(ind.size(), 1u);
  EXPECT_EQ(StringField(ind[0], "created"), "2021-02-03T04:05:06.000Z");  // the inner package's
  std::vector<Json> as = OfType(out, "autonomous-system");
  ASSERT_EQ(as.size(), 1u);
  EXPECT_EQ(as[0].Find("number")->as_number().literal, "174");
  std::vector<Json> reports = OfType(out, "report");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(StringField(reports[0], "name"), "Event 1");
  EXPECT_TRUE(testing::InvalidObjects(out).empty());
}

TEST(Stix1Reader, SnortAndYaraTestMechanisms) {
  auto out = testing::ReadBytes(
      "stix1",
      Package("<stix:Indicators><stix:Indicator id=\"t:indicator-1\">"
              "<indicator:Title>Rules</indicator:Title><indicator:Test_Mechanisms>"
              "<indicator:Test_Mechanism xmlns:snortTM=\"http://stix.mitre.org/extensions/"
              "TestMechanism#Snort-1\" xsi:type=\"snortTM:SnortTestMechanismType\">"
              "<snortTM:Rule><![CDATA[alert tcp any any -> any 80 (sid:1;)]]></snortTM:Rule>"
              "<snortTM:Rule><![CDATA[alert udp any any -> any 53 (sid:2;)]]></snortTM:Rule>"
              "</indicator:Test_Mechanism>"
              "<indicator:Test_Mechanism xmlns:yaraTM=\"http://stix.mitre.org/extensions/"
              "TestMechanism#YARA-1\" xsi:type=\"yaraTM:YaraTestMechanismType\">"
              "<yaraTM:Rule>rule x { condition: true }</yaraTM:Rule></indicator:Test_Mechanism>"
              "</indicator:Test_Mechanisms></stix:Indicator></stix:Indicators>"));
  ASSERT_TRUE(out.status.ok());
  std::vector<Json> ind = OfType(out, "indicator");
  ASSERT_EQ(ind.size(), 2u);
  EXPECT_EQ(StringField(ind[0], "pattern_type"), "snort");
  EXPECT_EQ(StringField(ind[0], "pattern"),
            "alert tcp any any -> any 80 (sid:1;)\nalert udp any any -> any 53 (sid:2;)");
  EXPECT_EQ(StringField(ind[0], "id"), DeterministicId("indicator", "t:indicator-1"));
  EXPECT_EQ(StringField(ind[1], "pattern_type"), "yara");
  EXPECT_EQ(StringField(ind[1], "name"), "Rules");
  EXPECT_TRUE(testing::InvalidObjects(out).empty());
}

// The fixtures' whole output, reviewed like the corpus goldens.
TEST(Stix1Fixtures, MatchTheirGoldens) {
  for (const char* name : {"observables.xml", "components.xml"}) {
    SCOPED_TRACE(name);
    auto out = testing::ReadPath("stix1", Fixture(name));
    ASSERT_TRUE(out.status.ok()) << out.status.error().ToString();
    EXPECT_TRUE(testing::InvalidObjects(out).empty())
        << ::testing::PrintToString(testing::InvalidObjects(out));
    testing::ExpectGolden(
        testing::Render(out, name),
        fs::path("stix1") / "fixtures" / (fs::path(name).stem().string() + ".stix.json"));
  }
}

TEST(Stix1Corpus, EveryFileMatchesItsGolden) {
  TESSERA_REQUIRE_SHARED();
  std::vector<fs::path> files = CorpusFiles();
  ASSERT_EQ(files.size(), 31u);
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    auto out = testing::ReadPath("stix1", file);
    ASSERT_TRUE(out.status.ok()) << out.status.error().ToString();
    EXPECT_TRUE(testing::InvalidObjects(out).empty())
        << ::testing::PrintToString(testing::InvalidObjects(out));
    fs::path relative = fs::relative(file, CorpusDir());
    std::string name = relative.parent_path().string() + "__" + relative.stem().string();
    testing::ExpectGolden(testing::Render(out, file.filename().string()),
                          fs::path("stix1") / (name + ".stix.json"));
  }
}

// ---- Agreement with the OASIS stix2-elevator ---------------------------------------

// Facts about observables, "<type>:<property path> <op> <value>", from SCOs
// (every property but ids and references, op "=") and from STIX patterns
// (every comparison; IN lists as one "=" fact per value; regular expressions
// without their backslash escapes). Ids and timestamps of SDOs play no part.
void FlattenSco(const Json& v, const std::string& type, const std::string& path,
                std::set<std::string>* out) {
  if (v.is_object()) {
    for (const auto& [k, child] : v.as_object()) {
      if (path.empty() && (k == "id" || k == "type" || k == "spec_version" ||
                           k == "object_marking_refs" || k == "defanged")) {
        continue;
      }
      if (k.size() > 4 && (k.substr(k.size() - 4) == "_ref" || k.substr(k.size() - 5) == "_refs")) {
        continue;
      }
      if (k.rfind("extension-definition--", 0) == 0) continue;
      FlattenSco(child, type, path.empty() ? k : path + "." + k, out);
    }
  } else if (v.is_array()) {
    for (const Json& e : v.as_array()) FlattenSco(e, type, path + "[*]", out);
  } else if (v.is_string()) {
    out->insert(type + ":" + path + " = " + v.as_string());
  } else if (v.is_bool()) {
    out->insert(type + ":" + path + " = " + (v.as_bool() ? "true" : "false"));
  } else if (v.is_number()) {
    out->insert(type + ":" + path + " = " + v.as_number().literal);
  }
}

// Every STIX 2.1 type but the cyber-observables: SDOs, SROs and meta objects.
bool IsSdoOrMeta(std::string_view type) {
  const stix::TypeSpec* spec = stix::FindType(type);
  return spec != nullptr && spec->category != stix::Category::kSco;
}

// Reads one literal at `i` (after `prefix` letters t/h/b); returns its text.
std::string ReadLiteral(const std::string& p, size_t* i) {
  size_t k = *i;
  if (k < p.size() && (p[k] == 't' || p[k] == 'h' || p[k] == 'b') && k + 1 < p.size() &&
      p[k + 1] == '\'') {
    ++k;
  }
  std::string out;
  if (k < p.size() && p[k] == '\'') {
    for (++k; k < p.size() && p[k] != '\''; ++k) {
      if (p[k] == '\\' && k + 1 < p.size()) ++k;
      out += p[k];
    }
    ++k;
  } else {
    while (k < p.size() && p[k] != ' ' && p[k] != ']' && p[k] != ')' && p[k] != ',') out += p[k++];
  }
  *i = k;
  return out;
}

void PatternFacts(const std::string& p, std::set<std::string>* out) {
  size_t i = 0;
  auto skip = [&] {
    while (i < p.size() && p[i] == ' ') ++i;
  };
  while (i < p.size()) {
    char c = p[i];
    if (c == '\'') {  // a literal outside a comparison (a qualifier): skipped
      ReadLiteral(p, &i);
      continue;
    }
    if (!std::isalpha(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    // A word: an object path has a ':' before any space.
    std::string path;
    while (i < p.size() && p[i] != ' ' && p[i] != ']' && p[i] != ')') {
      if (p[i] == '[') {  // a list index: [*] or [n]
        while (i < p.size() && p[i] != ']') path += p[i++];
        path += p[i++];
        continue;
      }
      if (p[i] == '\'') {  // a quoted step
        for (++i; i < p.size() && p[i] != '\''; ++i) path += p[i];
        ++i;
        continue;
      }
      path += p[i++];
    }
    if (path.find(':') == std::string::npos) continue;
    skip();
    if (i < p.size() && p.compare(i, 4, "NOT ") == 0) {
      i += 4;
      skip();
    }
    std::string op;
    while (i < p.size() && p[i] != ' ') op += p[i++];
    skip();
    if (op == "IN") {
      ++i;  // (
      while (i < p.size() && p[i] != ')') {
        skip();
        out->insert(path + " = " + ReadLiteral(p, &i));
        skip();
        if (i < p.size() && p[i] == ',') ++i;
      }
      continue;
    }
    std::string value = ReadLiteral(p, &i);
    if (op == "MATCHES") {
      std::string plain;
      for (size_t k = 0; k < value.size(); ++k) {
        if (value[k] == '\\' && k + 1 < value.size()) ++k;
        plain += value[k];
      }
      value = plain;
    }
    out->insert(path + " " + op + " " + value);
  }
}

// Timestamps compare by instant: "...:55Z", "...:55.000Z" and "...:55.000000Z" agree.
std::string CanonicalValue(const std::string& fact) {
  size_t eq = fact.rfind(" = ");
  size_t at = eq == std::string::npos ? fact.rfind(' ') : eq + 2;
  if (at == std::string::npos) return fact;
  auto ts = core::ParseStixTimestamp(fact.substr(at + 1));
  if (!ts.ok()) return fact;
  core::Timestamp t = *ts;
  t.frac_digits = 9;
  std::string text = core::FormatTimestamp(t);
  return fact.substr(0, at + 1) + text;
}

std::set<std::string> RawFacts(const std::vector<Json>& objects);

// Snort rules: one fact per rule. We keep a rules text (one rule a line); the
// elevator joins the rules of one test mechanism with ", ".
void SnortFacts(const std::string& rules, std::set<std::string>* out) {
  size_t start = 0;
  for (size_t i = 0; i <= rules.size(); ++i) {
    bool end = i == rules.size() || rules[i] == '\n' || (rules.compare(i, 8, ", alert ") == 0);
    if (!end) continue;
    if (i > start) out->insert("snort rule = " + rules.substr(start, i - start));
    start = i + (i < rules.size() && rules[i] == ',' ? 2 : 1);
  }
}

std::set<std::string> Facts(const std::vector<Json>& objects) {
  std::set<std::string> raw = RawFacts(objects);
  std::set<std::string> out;
  for (const std::string& f : raw) out.insert(CanonicalValue(f));
  return out;
}

std::set<std::string> RawFacts(const std::vector<Json>& objects) {
  std::set<std::string> out;
  for (const Json& o : objects) {
    std::string type = o.Find("type")->as_string();
    if (type == "indicator") {
      const Json* pt = o.Find("pattern_type");
      const Json* p = o.Find("pattern");
      if (p == nullptr) continue;
      if (pt != nullptr && pt->as_string() == "snort") {
        SnortFacts(p->as_string(), &out);
      } else if (pt != nullptr && pt->as_string() != "stix") {
        out.insert(pt->as_string() + " rule = " + p->as_string());
      } else {
        PatternFacts(p->as_string(), &out);
      }
    } else if (!IsSdoOrMeta(type)) {
      FlattenSco(o, type, "", &out);
    }
  }
  return out;
}

// Where Tessera's mapping deliberately differs from the elevator's
// (docs/formats/stix1.md, "Differences from the OASIS stix2-elevator"): the
// elevator's fact and ours instead, each matched as a prefix ("" when only one
// side has a fact), and why.
struct Difference {
  const char* file;
  const char* elevator;
  const char* ours;
  const char* why;
};

const Difference kDifferences[] = {
    {"Mandiant_APT1_Report", "url:value = hugesoft.org", "domain-name:value = hugesoft.org",
     "URIObject type=\"Domain Name\" is a domain, not a URL"},
    {"account_indicator", "", "user-account:account_created = 2000-06-09T20:17:34",
     "the elevator drops Creation_Date; STIX 2.1 has account_created"},
    {"email-links-observable", "artifact:payload_bin = PCFET0NUWVBFIGh0bWw",
     "email-message:body = <!DOCTYPE html>Received:",
     "Raw_Body is the message body (email-message body), not a raw_email_ref artifact"},
    {"malicious-email-indicator-with-attachment", "email-message:subject = [IMPORTANT]", "",
     "a top-level Observable with StartsWith conditions is a pattern, not an observed "
     "value: rejected, not made observed-data"},
    {"malicious-email-indicator-with-attachment", "email-message:is_multipart = true", "",
     "(same Observable)"},
    {"malicious-email-indicator-with-attachment",
     "email-message:body_multipart[*].content_type = text/plain", "", "(same Observable)"},
    {"malicious-email-indicator-with-attachment", "file:name = Final Report.doc.exe", "",
     "(same Observable)"},
    {"malicious-email-indicator-with-attachment",
     "email-message:body_multipart[*].body_raw_ref.name MATCHES ^Final Report*.doc.exe$",
     "email-message:body_multipart[*].body_raw_ref.name MATCHES ^Final Report",
     "File_Name StartsWith and File_Extension Equals are two tests (the elevator's joined "
     "regular expression matches other names)"},
    {"malicious-email-indicator-with-attachment", "",
     "email-message:body_multipart[*].body_raw_ref.name MATCHES .doc.exe$", "(same)"},
    {"malicious-email-indicator-with-attachment", "file:name MATCHES ^Final Report*.doc.exe$", "",
     "the attachment is matched through the message, not as a second observation"},
    {"sighting", "url:value = http://cnn.com", "url:value = http://cnn.com/",
     "URLs in canonical form (RFC 3986 §6: an empty path is '/')"},
    {"sighting", "network-traffic:extensions.icmp-ext.icmp_type_code = 00",
     "network-traffic:extensions.icmp-ext.icmp_code_hex = 00",
     "the ICMP code property of icmp-ext is icmp_code_hex (STIX 2.1 §6.12.3)"},
};

bool ErasePrefix(std::set<std::string>* facts, const std::string& prefix) {
  for (auto it = facts->begin(); it != facts->end(); ++it) {
    if (it->rfind(prefix, 0) == 0) {
      facts->erase(it);
      return true;
    }
  }
  return false;
}

TEST(Stix1Corpus, AgreesWithTheElevatorOnEveryObservable) {
  TESSERA_REQUIRE_SHARED();
  int compared = 0;
  std::string problems;
  for (const fs::path& file : CorpusFiles()) {
    fs::path expected = file;
    expected.replace_extension(".expected-stix21.json");
    if (!fs::exists(expected)) continue;
    ++compared;
    auto bundle = core::ParseJson(testing::ReadFileOrEmpty(expected));
    ASSERT_TRUE(bundle.ok()) << expected;
    std::set<std::string> theirs = Facts(bundle->Find("objects")->as_array());
    auto out = testing::ReadPath("stix1", file);
    ASSERT_TRUE(out.status.ok());
    std::set<std::string> ours = Facts(testing::Objects(out));
    std::string name = file.stem().string();
    for (const Difference& d : kDifferences) {
      if (name != d.file) continue;
      if (*d.elevator != '\0') {
        EXPECT_TRUE(ErasePrefix(&theirs, d.elevator))
            << name << ": the elevator no longer says " << d.elevator;
      }
      if (*d.ours != '\0') {
        EXPECT_TRUE(ErasePrefix(&ours, d.ours)) << name << ": we no longer say " << d.ours;
      }
    }
    for (const std::string& f : theirs) {
      if (ours.count(f) == 0) problems += name + ": missing: " + f + "\n";
    }
    for (const std::string& f : ours) {
      if (theirs.count(f) == 0) problems += name + ": extra:   " + f + "\n";
    }
  }
  EXPECT_EQ(compared, 30);
  EXPECT_TRUE(problems.empty()) << problems;
}

}  // namespace
}  // namespace tessera::formats
