#include "formats/iodef/iodef.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/openioc/stix_pattern_check.h"
#include "formats/stix_build.h"
#include "stix/tlp.h"
#include "testing/format_golden.h"
#include "testing/stix_fields.h"

namespace tessera::formats {
namespace {

using core::Json;
using testing::SourceFields;

std::filesystem::path Fixture(const std::string& name) {
  return testing::SourceDir() / "tests" / "data" / "formats" / "iodef" / name;
}

std::string Str(const Json* j) { return j != nullptr && j->is_string() ? j->as_string() : ""; }

std::vector<Json> RecordObjects(const Record& record, std::string_view type) {
  std::vector<Json> out;
  for (const stix::StixObject& o : record.objects) {
    if (o.type != type) continue;
    auto tree = core::ParseJson(o.json);
    if (tree.ok()) out.push_back(std::move(*tree));
  }
  return out;
}

std::string Marking(const Json& object) {
  const Json* refs = object.Find("object_marking_refs");
  if (refs == nullptr) return "";
  auto level = stix::TlpLevelFromMarkingId(refs->as_array().at(0).as_string());
  return level ? std::string(stix::TlpName(*level)) : "?";
}

std::string Minimal(std::string_view incident_body, std::string_view attributes = "") {
  return "<IODEF-Document version=\"2.00\" xmlns=\"urn:ietf:params:xml:ns:iodef-2.0\">"
         "<Incident purpose=\"reporting\" " +
         std::string(attributes) + ">" + std::string(incident_body) +
         "</Incident></IODEF-Document>";
}

// ---- detection ----------------------------------------------------------------------

TEST(IodefDetectTest, ScoresByRootAndNamespace) {
  const Format* f = FindFormat("iodef");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->detect("<?xml version=\"1.0\"?>\n<!-- x -->\n<IODEF-Document version=\"1.00\" "
                      "xmlns=\"urn:ietf:params:xml:ns:iodef-1.0\">")
                .score,
            100);
  EXPECT_EQ(f->detect("<iodef:IODEF-Document xmlns:iodef=\"urn:ietf:params:xml:ns:iodef-2.0\">")
                .score,
            100);
  EXPECT_NE(f->detect(Minimal("")).reason.find("RFC 7970"), std::string::npos);
  EXPECT_EQ(f->detect("<IODEF-Document><Incident/>").score, 70);
  EXPECT_EQ(f->detect("<ioc xmlns=\"http://schemas.mandiant.com/2010/ioc\">").score, 0);
  EXPECT_EQ(f->detect("{\"IODEF-Document\": {}}").score, 0);
  EXPECT_EQ(f->detect("").score, 0);
}

// ---- an IODEF 1.0 document ----------------------------------------------------------

TEST(IodefReadTest, Version10IncidentContactsFlowsAndRecords) {
  auto outcome = testing::ReadPath("iodef", Fixture("reports-1.0.xml"));
  ASSERT_TRUE(outcome.status.ok());
  EXPECT_EQ(testing::InvalidObjects(outcome), std::vector<std::string>());
  ASSERT_EQ(outcome.sink.records.size(), 2u);
  const Record& first = outcome.sink.records[0];
  EXPECT_EQ(first.format, "iodef");
  EXPECT_EQ(first.position.record, 0u);
  EXPECT_GT(first.position.byte_offset, 0u);

  // The incident: name from IncidentID, descriptions joined, impact as a label,
  // IncidentID as an external reference, need-to-know as TLP:AMBER.
  std::vector<Json> incidents = RecordObjects(first, "incident");
  ASSERT_EQ(incidents.size(), 1u);
  const Json& inc = incidents[0];
  EXPECT_EQ(Str(inc.Find("name")), "4711 (cert.example.org)");
  EXPECT_EQ(Str(inc.Find("description")), "Brute force against SSH\n\nSecond description");
  EXPECT_EQ(Str(inc.Find("created")), "2024-02-02T10:00:00.000Z");
  EXPECT_EQ(WriteJson(*inc.Find("labels")), R"(["impact:admin"])");
  EXPECT_EQ(WriteJson(*inc.Find("external_references")),
            R"([{"source_name":"cert.example.org","external_id":"4711"}])");
  EXPECT_EQ(Marking(inc), "TLP:AMBER");
  const Json* fields = SourceFields(inc);
  ASSERT_NE(fields, nullptr);
  EXPECT_EQ(Str(fields->Find("IncidentID/@instance")), "2");
  EXPECT_EQ(Str(fields->Find("DetectTime")), "2024-02-01T08:00:00+01:00");
  EXPECT_EQ(Str(fields->Find("@purpose")), "reporting");
  ASSERT_NE(fields->Find("History"), nullptr);
  ASSERT_NE(fields->Find("Assessment"), nullptr);

  // The creator is the reporter (created_by_ref, where_sighted_refs); the nested
  // contact is another identity related to the incident, with its own marking.
  std::vector<Json> identities = RecordObjects(first, "identity");
  ASSERT_EQ(identities.size(), 2u);
  const Json& reporter = identities[0];
  EXPECT_EQ(Str(reporter.Find("name")), "Example CERT");
  EXPECT_EQ(Str(reporter.Find("identity_class")), "organization");
  EXPECT_EQ(Str(reporter.Find("contact_information")),
            "e-mail: cert@example.org; telephone: +49 30 1234567");
  EXPECT_EQ(Marking(reporter), "");  // identities are shared: only their own restriction
  EXPECT_EQ(Str(inc.Find("created_by_ref")), Str(reporter.Find("id")));
  EXPECT_EQ(Str(identities[1].Find("name")), "Erika Mustermann");
  EXPECT_EQ(Str(identities[1].Find("identity_class")), "individual");
  EXPECT_EQ(Marking(identities[1]), "TLP:RED");

  // SCOs: the sources, the spoofed source, the target name and address, the
  // sensor's MAC, the net-mask network, the record URL, the nested e-mail.
  std::vector<std::string> scos;
  for (const Json& o : testing::Objects(outcome)) {
    std::string type = Str(o.Find("type"));
    if (type == "ipv4-addr" || type == "domain-name" || type == "mac-addr" || type == "url" ||
        type == "email-addr") {
      scos.push_back(type + " " + Str(o.Find("value")));
      if (o.Find("object_marking_refs") == nullptr) ADD_FAILURE() << "unmarked " << scos.back();
    }
  }
  EXPECT_EQ(scos, (std::vector<std::string>{
                      "ipv4-addr 198.51.100.7", "ipv4-addr 198.51.100.0/24",
                      "ipv4-addr 203.0.113.99", "domain-name ssh.victim.example",
                      "ipv4-addr 192.0.2.22", "mac-addr 00:1a:2b:3c:4d:5e",
                      "url http://logs.example.org/ssh/4711", "email-addr Relay@example.net"}));

  // Traffic from each (unspoofed or not) source address to each target address,
  // with the ports and the protocol of the services.
  std::vector<Json> traffic = RecordObjects(first, "network-traffic");
  ASSERT_EQ(traffic.size(), 6u);  // 3 source addresses x 2 target addresses
  EXPECT_EQ(traffic[0].Find("src_port")->as_double(), 50123);
  EXPECT_EQ(traffic[0].Find("dst_port")->as_double(), 22);
  EXPECT_EQ(WriteJson(*traffic[0].Find("protocols")), R"(["ipv4","tcp"])");

  // One observed-data per EventData with observables, related to the incident;
  // indicators and sightings for attacking addresses only (not spoofed, not
  // targets or sensors), seen from StartTime to EndTime.
  std::vector<Json> observed = RecordObjects(first, "observed-data");
  ASSERT_EQ(observed.size(), 2u);
  EXPECT_EQ(Str(observed[0].Find("first_observed")), "2024-02-01T07:00:00.000Z");
  EXPECT_EQ(Str(observed[0].Find("last_observed")), "2024-02-01T07:30:00.000Z");
  EXPECT_EQ(Str(observed[1].Find("first_observed")), "2024-02-01T07:00:00.000Z");  // inherited
  std::vector<std::string> patterns;
  for (const Json& i : RecordObjects(first, "indicator")) patterns.push_back(Str(i.Find("pattern")));
  EXPECT_EQ(patterns, (std::vector<std::string>{"[ipv4-addr:value = '198.51.100.7']",
                                                "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
                                                "[email-addr:value = 'Relay@example.net']"}));
  std::vector<Json> sightings = RecordObjects(first, "sighting");
  ASSERT_EQ(sightings.size(), 3u);
  EXPECT_EQ(Str(sightings[0].Find("first_seen")), "2024-02-01T07:00:00.000Z");
  EXPECT_EQ(Str(sightings[0].Find("last_seen")), "2024-02-01T07:30:00.000Z");
  EXPECT_EQ(WriteJson(*sightings[0].Find("where_sighted_refs")),
            "[\"" + Str(reporter.Find("id")) + "\"]");
  EXPECT_EQ(WriteJson(*sightings[0].Find("observed_data_refs")),
            "[\"" + Str(observed[0].Find("id")) + "\"]");
  int related_to_incident = 0;
  for (const Json& r : RecordObjects(first, "relationship")) {
    if (Str(r.Find("target_ref")) == Str(inc.Find("id"))) ++related_to_incident;
  }
  EXPECT_EQ(related_to_incident, 2 + 3);  // observed-data, indicators

  // What could not be mapped is said.
  std::string notes;
  for (const std::string& n : first.notes) notes += n + "\n";
  EXPECT_NE(notes.find("Address category 'atm' has no STIX object"), std::string::npos) << notes;
  EXPECT_NE(notes.find("'not-an-address' is not a valid ipv4-addr"), std::string::npos) << notes;

  // The incident without IncidentID and the stray element are rejected with their
  // element path; the last incident still comes through.
  ASSERT_EQ(outcome.sink.rejects.size(), 2u);
  EXPECT_EQ(outcome.sink.rejects[0].position.record, 1u);
  EXPECT_NE(outcome.sink.rejects[0].reason.find(
                "/IODEF-Document/Incident[2] (line 75): Incident has no IncidentID"),
            std::string::npos)
      << outcome.sink.rejects[0].reason;
  EXPECT_NE(outcome.sink.rejects[0].raw.find("<ReportTime>2024-02-03T00:00:00Z</ReportTime>"),
            std::string::npos);
  EXPECT_NE(outcome.sink.rejects[1].reason.find("/IODEF-Document/Note (line 79): unexpected "
                                                "element <Note>"),
            std::string::npos)
      << outcome.sink.rejects[1].reason;

  // The last incident: TLP:CLEAR, its only contact is the reporter, its EventData
  // has no observables and stays on the incident.
  const Record& last = outcome.sink.records[1];
  EXPECT_EQ(last.position.record, 3u);
  std::vector<Json> last_incident = RecordObjects(last, "incident");
  ASSERT_EQ(last_incident.size(), 1u);
  EXPECT_EQ(Marking(last_incident[0]), "TLP:CLEAR");
  EXPECT_TRUE(RecordObjects(last, "observed-data").empty());
  ASSERT_NE(SourceFields(last_incident[0])->Find("EventData"), nullptr);
  EXPECT_EQ(Str(RecordObjects(last, "identity")[0].Find("name")), "irt@example.org");
  // Marking definitions come once per read, in the first record that uses them.
  EXPECT_EQ(RecordObjects(first, "marking-definition").size(), 2u);  // AMBER, RED
  EXPECT_EQ(RecordObjects(last, "marking-definition").size(), 1u);   // CLEAR
  EXPECT_EQ(RecordObjects(last, "extension-definition").size(), 0u);
}

// ---- an IODEF 2.0 document with indicators --------------------------------------------

TEST(IodefReadTest, Version20IndicatorsAndRelatedActivity) {
  auto outcome = testing::ReadPath("iodef", Fixture("indicators-2.0.xml"));
  ASSERT_TRUE(outcome.status.ok());
  EXPECT_EQ(testing::InvalidObjects(outcome), std::vector<std::string>());
  ASSERT_EQ(outcome.sink.records.size(), 1u);
  EXPECT_TRUE(outcome.sink.rejects.empty());
  const Record& record = outcome.sink.records[0];
  std::vector<Json> incidents = RecordObjects(record, "incident");
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(Marking(incidents[0]), "TLP:AMBER+STRICT");  // ext-restriction
  EXPECT_EQ(Str(incidents[0].Find("created")), "2024-06-01T12:00:00.000Z");  // GenerationTime

  std::vector<Json> actors = RecordObjects(record, "threat-actor");
  std::vector<Json> campaigns = RecordObjects(record, "campaign");
  ASSERT_EQ(actors.size(), 1u);
  ASSERT_EQ(campaigns.size(), 1u);
  EXPECT_EQ(Str(actors[0].Find("name")), "Example Spider");
  EXPECT_EQ(Str(campaigns[0].Find("name")), "CAMP-9");  // no Description: the id

  // The reporter's own restriction (green) marks it.
  std::vector<Json> identities = RecordObjects(record, "identity");
  ASSERT_EQ(identities.size(), 1u);
  EXPECT_EQ(Marking(identities[0]), "TLP:GREEN");

  // IND-1: the and/or expression with references resolved; IND-2 (not) has no
  // STIX form and stays in the incident's source fields; IND-3 is one domain.
  std::vector<Json> indicators = RecordObjects(record, "indicator");
  const Json* ind1 = nullptr;
  const Json* ind3 = nullptr;
  for (const Json& i : indicators) {
    const Json* refs = i.Find("external_references");
    std::string ext = refs != nullptr ? Str(refs->as_array()[0].Find("external_id")) : "";
    if (ext == "IND-1") ind1 = &i;
    if (ext == "IND-3") ind3 = &i;
    EXPECT_NE(ext, "IND-2");
  }
  ASSERT_NE(ind1, nullptr);
  ASSERT_NE(ind3, nullptr);
  EXPECT_EQ(Str(ind1->Find("pattern")),
            "[file:hashes.'SHA-256' = "
            "'a934d8d273e44f15ccddbcd7180cf99d0fff719acff064f0b080299f9cd83e41' AND "
            "file:name = 'dropper.exe'] AND ([ipv6-addr:value = '2001:db8::1'] OR "
            "[ipv4-addr:value = '198.51.100.1' OR ipv4-addr:value = '198.51.100.2'])");
  EXPECT_EQ(Str(ind1->Find("name")), "Dropper talking to its C2");
  EXPECT_EQ(Str(ind1->Find("valid_from")), "2024-05-01T00:00:00.000Z");
  EXPECT_EQ(Str(ind1->Find("valid_until")), "2024-12-31T00:00:00.000Z");
  EXPECT_EQ(Marking(*ind1), "TLP:RED");  // its own restriction
  EXPECT_EQ(Str(ind3->Find("pattern")), "[domain-name:value = 'phish.example.com']");
  EXPECT_EQ(Marking(*ind3), "TLP:AMBER+STRICT");  // inherited
  ASSERT_NE(SourceFields(incidents[0])->Find("Indicator"), nullptr);

  // Indicators indicate the related campaign and threat actor; the campaign is
  // attributed to the actor.
  std::vector<std::string> rels;
  for (const Json& r : RecordObjects(record, "relationship")) {
    std::string source = Str(r.Find("source_ref"));
    std::string target = Str(r.Find("target_ref"));
    std::string type = Str(r.Find("relationship_type"));
    if (source == Str(ind1->Find("id")) && type != "based-on") {
      rels.push_back(type + " " + target.substr(0, target.find("--")));
    }
    if (source == Str(campaigns[0].Find("id"))) rels.push_back("campaign " + type);
  }
  EXPECT_EQ(rels, (std::vector<std::string>{"campaign attributed-to", "related-to incident",
                                            "indicates campaign", "indicates threat-actor"}));
  std::string notes;
  for (const std::string& n : record.notes) notes += n + "\n";
  EXPECT_NE(notes.find("operator 'not' has no STIX pattern form"), std::string::npos) << notes;
  EXPECT_NE(notes.find("Indicator IND-2: no STIX pattern"), std::string::npos) << notes;
}

TEST(IodefReadTest, FixturesMatchTheirGoldens) {
  for (const char* name : {"reports-1.0.xml", "indicators-2.0.xml"}) {
    SCOPED_TRACE(name);
    auto outcome = testing::ReadPath("iodef", Fixture(name));
    EXPECT_EQ(testing::InvalidObjects(outcome), std::vector<std::string>());
    for (const Json& ind : testing::ObjectsOfType(outcome, "indicator")) {
      EXPECT_EQ(testing_pattern::CheckPattern(Str(ind.Find("pattern"))), "");
    }
    testing::ExpectGolden(testing::Render(outcome, name),
                          std::string("iodef/fixtures/") + name + ".json");
  }
}

TEST(IodefReadTest, IdsAreDeterministic) {
  std::string xml = Minimal(
      "<IncidentID name=\"a.example\">1</IncidentID>"
      "<GenerationTime>2024-01-01T00:00:00Z</GenerationTime>"
      "<EventData><Flow><System category=\"source\"><Node>"
      "<Address category=\"ipv4-addr\">192.0.2.1</Address></Node></System></Flow></EventData>");
  auto a = testing::ReadBytes("iodef", xml);
  auto b = testing::ReadBytes("iodef", xml);
  ASSERT_EQ(a.sink.records.size(), 1u);
  EXPECT_EQ(testing::Render(a, "input"), testing::Render(b, "input"));
  std::vector<Json> inc = testing::ObjectsOfType(a, "incident");
  ASSERT_EQ(inc.size(), 1u);
  EXPECT_EQ(Str(inc[0].Find("id")),
            DeterministicId("incident", "iodef|a.example|1||2024-01-01T00:00:00.000Z"));
  // No contact: no reporter, sightings without where_sighted_refs.
  std::vector<Json> sightings = testing::ObjectsOfType(a, "sighting");
  ASSERT_EQ(sightings.size(), 1u);
  EXPECT_EQ(sightings[0].Find("where_sighted_refs"), nullptr);
  EXPECT_EQ(testing::InvalidObjects(a), std::vector<std::string>());
}

TEST(IodefReadTest, ReferencesCannotLoopOrExplode) {
  // An expression that refers to itself.
  std::string loop = Minimal(
      "<IncidentID>1</IncidentID><IndicatorData><Indicator><IndicatorID>L</IndicatorID>"
      "<IndicatorExpression operator=\"or\" observable-id=\"loop\">"
      "<ObservableReference uid-ref=\"loop\"/></IndicatorExpression></Indicator>"
      "</IndicatorData>");
  auto a = testing::ReadBytes("iodef", loop);
  ASSERT_EQ(a.sink.records.size(), 1u);
  EXPECT_TRUE(testing::ObjectsOfType(a, "indicator").empty());
  std::string notes;
  for (const std::string& n : a.sink.records[0].notes) notes += n + "\n";
  EXPECT_NE(notes.find("ObservableReference 'loop' refers to itself"), std::string::npos) << notes;

  // Twenty levels, each referring twice to the next: 2^20 expansions, cut off.
  std::string chain;
  for (int i = 0; i < 20; ++i) {
    chain += "<IndicatorExpression operator=\"or\" observable-id=\"e" + std::to_string(i) +
             "\"><ObservableReference uid-ref=\"e" + std::to_string(i + 1) +
             "\"/><ObservableReference uid-ref=\"e" + std::to_string(i + 1) + "\"/>" +
             "</IndicatorExpression>";
  }
  chain += "<Address observable-id=\"e20\" category=\"ipv4-addr\">192.0.2.1</Address>";
  auto b = testing::ReadBytes(
      "iodef", Minimal("<IncidentID>2</IncidentID><AdditionalData>" + chain +
                       "</AdditionalData><IndicatorData><Indicator><IndicatorID>X</IndicatorID>"
                       "<ObservableReference uid-ref=\"e0\"/></Indicator></IndicatorData>"));
  ASSERT_EQ(b.sink.records.size(), 1u);
  EXPECT_TRUE(testing::ObjectsOfType(b, "indicator").empty());
  notes.clear();
  for (const std::string& n : b.sink.records[0].notes) notes += n + "\n";
  EXPECT_NE(notes.find("expands to more than 4096 observables"), std::string::npos) << notes;
}

// ---- bad input ------------------------------------------------------------------------

TEST(IodefRejectTest, BadIncidentsAreRejectedWithTheElementPath) {
  std::string deep = "<IncidentID>1</IncidentID><AdditionalData>";
  for (int i = 0; i < 70; ++i) deep += "<x>";
  for (int i = 0; i < 70; ++i) deep += "</x>";
  deep += "</AdditionalData>";
  struct Case {
    std::string xml;
    std::string reason;
  };
  const Case cases[] = {
      {Minimal("<ReportTime>2024-01-01T00:00:00Z</ReportTime>"),
       "/IODEF-Document/Incident (line 1): Incident has no IncidentID"},
      {Minimal("<IncidentID name=\"x\">  \n  </IncidentID>"),
       "/IODEF-Document/Incident/IncidentID (line 1): IncidentID is empty"},
      {Minimal(deep), "elements nest deeper than 64 levels"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.reason);
    auto outcome = testing::ReadBytes("iodef", c.xml);
    ASSERT_TRUE(outcome.status.ok());
    EXPECT_TRUE(outcome.sink.records.empty());
    ASSERT_EQ(outcome.sink.rejects.size(), 1u);
    EXPECT_NE(outcome.sink.rejects[0].reason.find(c.reason), std::string::npos)
        << outcome.sink.rejects[0].reason;
    EXPECT_FALSE(outcome.sink.rejects[0].raw.empty());
    EXPECT_EQ(outcome.sink.rejects[0].format, "iodef");
  }
}

TEST(IodefRejectTest, UnusableInputIsAnError) {
  auto not_xml = testing::ReadBytes("iodef", "<IODEF-Document><Incident>");
  ASSERT_FALSE(not_xml.status.ok());
  EXPECT_EQ(not_xml.status.error().code, core::ErrorCode::kParse);
  auto other = testing::ReadBytes("iodef", "<ioc/>");
  ASSERT_FALSE(other.status.ok());
  EXPECT_NE(other.status.error().message.find("root element is <ioc>"), std::string::npos);
  auto empty = testing::ReadBytes("iodef", "<IODEF-Document version=\"2.00\"/>");
  ASSERT_FALSE(empty.status.ok());
  EXPECT_NE(empty.status.error().message.find("no Incident"), std::string::npos);
  formats::ReadContext context = testing::TestContext();
  context.options.emplace_back("nope", "1");
  auto bad_option = testing::ReadBytes("iodef", Minimal(""), context);
  ASSERT_FALSE(bad_option.status.ok());
  EXPECT_EQ(bad_option.status.error().code, core::ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace tessera::formats
