// Tests of the X-ARF reader: a reviewed golden output for every X-ARF file in
// ../shared/corpora/xarf/ and for the fixtures in tests/data/formats/xarf/
// (e-mails and YAML written for these tests), every valid corpus sample
// accepted and every invalid one rejected with a reason naming the field, the
// STIX shape of a report (identity, indicator, observed-data, sighting), and
// detection.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "formats/registry.h"
#include "formats/stix_build.h"
#include "stix/tlp.h"
#include "testing/corpus_files.h"
#include "testing/format_golden.h"
#include "testing/stix_fields.h"

namespace tessera::formats {
namespace {

using core::Json;
using testing::InvalidObjects;
using testing::ObjectsOfType;
using testing::ReadBytes;
using testing::ReadOutcome;
using testing::ReadPath;
using testing::SourceField;
using testing::StringField;

std::filesystem::path CorpusDir() { return testing::SharedDir() / "corpora" / "xarf"; }

std::filesystem::path Fixture(const std::string& name) {
  return testing::SourceDir() / "tests" / "data" / "formats" / "xarf" / name;
}

std::vector<std::filesystem::path> CorpusFiles() {
  return testing::CorpusFiles(CorpusDir(), {".json"});
}

std::string Relative(const std::filesystem::path& file) {
  return std::filesystem::relative(file, CorpusDir()).generic_string();
}

std::string GoldenName(std::string relative) {
  size_t dot = relative.rfind('.');
  return relative.substr(0, dot) + ".stix.json";
}

// --- The corpus ---

TEST(XarfCorpus, EveryFileMatchesItsReviewedGolden) {
  TESSERA_REQUIRE_SHARED();
  std::vector<std::filesystem::path> files = CorpusFiles();
  ASSERT_EQ(files.size(), 78u);
  for (const auto& file : files) {
    SCOPED_TRACE(Relative(file));
    ReadOutcome outcome = ReadPath("xarf", file);
    ASSERT_TRUE(outcome.status.ok()) << outcome.status.error().ToString();
    EXPECT_TRUE(InvalidObjects(outcome).empty()) << ::testing::PrintToString(InvalidObjects(outcome));
    testing::ExpectGolden(testing::Render(outcome, file.filename().string()),
                          std::filesystem::path("xarf") / GoldenName(Relative(file)));
  }
}

TEST(XarfCorpus, ValidSamplesAreAcceptedAndInvalidOnesRejectedNamingTheField) {
  TESSERA_REQUIRE_SHARED();
  // SOURCES.md §2d: abusix-v3/invalid/ holds the negative samples; the file name
  // says what is wrong, the reason must name that field.
  const std::map<std::string, std::string> expected = {
      {"harassment_sample_no_description.json", "Report.ReportType 'Harassed' is not an X-ARF 3 type"},
      {"harassment_sample_no_harasser.json", "Report.ReportType 'Harassed' is not an X-ARF 3 type"},
      {"invalid_b64_flag.json", "Report.Samples[0].Base64Encoded must be true or false"},
      {"invalid_byte_count.json", "Report.ByteCount must be an integer"},
      {"invalid_destination.json", "Report.DestinationIp '198' is not an IPv4 or IPv6 address"},
      {"invalid_destination2.json", "Report.DestinationIp must be a string"},
      {"invalid_emails.json", "Report.SmtpMailFromAddress 'spamexample.com' is not an e-mail address"},
      {"invalid_empty.json", "ReporterInfo is missing"},
      {"invalid_exploit_wrong_cve.json", "Report.CVE 'CVE-NOW-23112' is not CVE-YYYY-NNNN"},
      {"invalid_exploit_wrong_vector.json", "Report.CVSS.Vector"},
      {"invalid_file_hash.json", "Report.FileHash.HashAlgorithm 'whirlpool' is not one of"},
      {"invalid_file_info.json", "Report.FileSize must be an integer of at least 0"},
      {"invalid_host_name.json", "Report.RpzDomain 'this is not a hostname' is not a host name"},
      {"invalid_infringed_props.json", "Report.InfringedMaterial must be a string"},
      {"invalid_ip.json", "Report.SourceIp 'not an IP' is not an IPv4 or IPv6 address"},
      {"invalid_ip2.json", "Report.SourceIp must be a string"},
      {"invalid_missing_report.json", "Report is missing"},
      {"invalid_missing_report_class_report_type.json", "Report.ReportClass is missing"},
      {"invalid_missing_reporter_props.json", "ReporterInfo.ReporterOrg is missing"},
      {"invalid_missing_reporter_props2.json", "ReporterInfo must be an object"},
      {"invalid_missing_reporter_props4.json", "ReporterInfo must be an object"},
      {"invalid_missing_reporter_props5.json", "ReporterInfo.ReporterOrgEmail is missing"},
      {"invalid_openservice.json", "Report.ServiceName must be a string"},
      {"invalid_openservice2.json", "Report.TransportProtocol 'thisisnoprotocol' is not one of"},
      {"invalid_openservice4.json", "Report.ServiceName is missing"},
      {"invalid_openservice_missing_service.json", "Report.ServiceName is missing"},
      {"invalid_report_class_report_type.json", "Report.ReportClass must be a string"},
      {"invalid_report_class_report_type2.json", "Report.ReportClass '' is not one of"},
      {"invalid_reporter_info.json", "ReporterInfo.ShouldNotBeHere is not a field of ReporterInfo"},
      {"invalid_reporter_metadata.json", "Report.ReporterCaseID must be a string"},
      {"invalid_sample.json", "Report.Samples must be a list"},
      {"invalid_sample_2.json", "Report.Samples[0].ContentType is missing"},
      {"invalid_used_ip_in_potentially_compromised_account.json",
       "Report.SourceIp is not allowed in a PotentiallyCompromisedAccount report"},
      {"invalid_used_url_in_potentially_compromised_account.json",
       "Report.SourceUrl is not allowed in a PotentiallyCompromisedAccount report"},
  };
  size_t valid = 0;
  size_t invalid = 0;
  for (const auto& file : CorpusFiles()) {
    SCOPED_TRACE(Relative(file));
    ReadOutcome outcome = ReadPath("xarf", file);
    ASSERT_TRUE(outcome.status.ok());
    bool negative = Relative(file).find("/invalid/") != std::string::npos;
    if (!negative) {
      ++valid;
      EXPECT_EQ(outcome.sink.records.size(), 1u);
      EXPECT_TRUE(outcome.sink.rejects.empty())
          << (outcome.sink.rejects.empty() ? "" : outcome.sink.rejects[0].reason);
      continue;
    }
    ++invalid;
    EXPECT_TRUE(outcome.sink.records.empty());
    ASSERT_EQ(outcome.sink.rejects.size(), 1u);
    auto it = expected.find(file.filename().string());
    ASSERT_NE(it, expected.end()) << "no expectation for this negative sample";
    EXPECT_NE(outcome.sink.rejects[0].reason.find(it->second), std::string::npos)
        << outcome.sink.rejects[0].reason;
    EXPECT_FALSE(outcome.sink.rejects[0].raw.empty());
  }
  EXPECT_EQ(valid, 44u);
  EXPECT_EQ(invalid, expected.size());
}

TEST(XarfCorpus, DetectionPicksXarfForEverySample) {
  TESSERA_REQUIRE_SHARED();
  for (const auto& file : CorpusFiles()) {
    auto input = Input::Open(file.string());
    ASSERT_TRUE(input.ok());
    auto detected = DetectFormat(*input);
    ASSERT_TRUE(detected.ok()) << Relative(file);
    EXPECT_EQ(detected->format->name, "xarf") << Relative(file) << ": " << detected->detection.reason;
  }
}

TEST(XarfV4, LoginAttackBecomesASightingOfTheSourceByTheReporter) {
  TESSERA_REQUIRE_SHARED();
  ReadOutcome outcome = ReadPath("xarf", CorpusDir() / "v4" / "connection-login-attack.json");
  ASSERT_EQ(outcome.sink.records.size(), 1u);
  std::vector<Json> sightings = ObjectsOfType(outcome, "sighting");
  ASSERT_EQ(sightings.size(), 1u);
  const Json& s = sightings[0];
  EXPECT_EQ(StringField(s, "id"), "sighting--dbf79f17-f4f4-4c22-ae58-19991f52a1e8");  // report_id
  EXPECT_EQ(StringField(s, "first_seen"), "2025-01-11T06:17:20.000Z");
  EXPECT_EQ(StringField(s, "last_seen"), "2025-01-11T12:17:20.000Z");
  EXPECT_EQ(*s.Find("count"), Json::Int(2847));
  std::vector<Json> identities = ObjectsOfType(outcome, "identity");
  ASSERT_EQ(identities.size(), 1u);  // reporter and sender are the same organization
  EXPECT_EQ(StringField(identities[0], "name"), "SSH Honeypot Network");
  EXPECT_EQ(StringField(identities[0], "contact_information"), "honeypot@ssh-monitor.example");
  EXPECT_EQ(s.Find("where_sighted_refs")->as_array()[0].as_string(),
            StringField(identities[0], "id"));
  std::vector<Json> indicators = ObjectsOfType(outcome, "indicator");
  ASSERT_EQ(indicators.size(), 1u);
  EXPECT_EQ(StringField(indicators[0], "pattern"), "[ipv4-addr:value = '198.51.100.77']");
  EXPECT_EQ(StringField(s, "sighting_of_ref"), StringField(indicators[0], "id"));
  std::vector<Json> observed = ObjectsOfType(outcome, "observed-data");
  ASSERT_EQ(observed.size(), 1u);
  EXPECT_EQ(s.Find("observed_data_refs")->as_array()[0].as_string(),
            StringField(observed[0], "id"));
  EXPECT_EQ(*observed[0].Find("number_observed"), Json::Int(2847));
  std::vector<std::string> labels;
  for (const Json& l : s.Find("labels")->as_array()) labels.push_back(l.as_string());
  EXPECT_EQ(labels, (std::vector<std::string>{"connection", "login_attack", "attack:brute_force",
                                              "service:ssh", "pattern:dictionary"}));
  // Type-specific fields and the evidence stay as written.
  EXPECT_EQ(*SourceField(s, "destination_port"), Json::Int(22));
  EXPECT_EQ(SourceField(s, "evidence")->as_array().size(), 1u);
  EXPECT_EQ(SourceField(s, "xarf_version")->as_string(), "4.2.0");
}

TEST(XarfV4, SameReporterSameIdentityAcrossReports) {
  TESSERA_REQUIRE_SHARED();
  ReadOutcome a = ReadPath("xarf", CorpusDir() / "v4" / "infrastructure-botnet.json");
  ReadOutcome b = ReadPath("xarf", CorpusDir() / "v3" / "botnet_v3_sample.json");
  std::vector<Json> ia = ObjectsOfType(a, "identity");
  std::vector<Json> ib = ObjectsOfType(b, "identity");
  ASSERT_EQ(ia.size(), 1u);
  ASSERT_EQ(ib.size(), 1u);
  // The same organization (domain and organization e-mail) in X-ARF 4 and 3.
  EXPECT_EQ(StringField(ia[0], "id"), StringField(ib[0], "id"));
  ReadOutcome other = ReadPath("xarf", CorpusDir() / "v4" / "content-malware.json");
  EXPECT_NE(StringField(ObjectsOfType(other, "identity")[0], "id"), StringField(ia[0], "id"));
  ReadOutcome c = ReadPath("xarf", CorpusDir() / "abusix-v3" / "valid" / "botnet_sample.json");
  ReadOutcome d = ReadPath("xarf", CorpusDir() / "abusix-v3" / "valid" / "ddos_sample.json");
  EXPECT_EQ(StringField(ObjectsOfType(c, "identity")[0], "id"),
            StringField(ObjectsOfType(d, "identity")[0], "id"));
}

TEST(XarfV3, PotentiallyCompromisedAccountWithoutAttackerSightsTheObservedData) {
  TESSERA_REQUIRE_SHARED();
  ReadOutcome outcome =
      ReadPath("xarf", CorpusDir() / "abusix-v3" / "valid" / "potentially_compromised_sample.json");
  ASSERT_EQ(outcome.sink.records.size(), 1u);
  EXPECT_TRUE(ObjectsOfType(outcome, "indicator").empty());
  std::vector<Json> observed = ObjectsOfType(outcome, "observed-data");
  std::vector<Json> sightings = ObjectsOfType(outcome, "sighting");
  ASSERT_EQ(observed.size(), 1u);
  ASSERT_EQ(sightings.size(), 1u);
  EXPECT_EQ(StringField(sightings[0], "sighting_of_ref"), StringField(observed[0], "id"));
  std::vector<Json> addresses = ObjectsOfType(outcome, "ipv4-addr");
  ASSERT_EQ(addresses.size(), 1u);
  EXPECT_EQ(StringField(addresses[0], "value"), "198.51.100.33");
}

TEST(XarfV3, ExploitCveIsAnExternalReference) {
  TESSERA_REQUIRE_SHARED();
  ReadOutcome outcome = ReadPath("xarf", CorpusDir() / "abusix-v3" / "valid" / "exploit_sample.json");
  std::vector<Json> sightings = ObjectsOfType(outcome, "sighting");
  ASSERT_EQ(sightings.size(), 1u);
  const Json* refs = sightings[0].Find("external_references");
  ASSERT_NE(refs, nullptr);
  EXPECT_EQ(StringField(refs->as_array()[0], "external_id"), "CVE-2021-44228");
  EXPECT_EQ(StringField(sightings[0], "first_seen"), "2022-08-22T15:17:10.000Z");
  EXPECT_EQ(StringField(sightings[0], "last_seen"), "2022-08-24T11:21:10.000Z");
}

// --- Fixtures: X-ARF 0.2 e-mails and YAML, v4 lists ---

class XarfFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(XarfFixture, MatchesReviewedOutput) {
  ReadOutcome outcome = ReadPath("xarf", Fixture(GetParam()));
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.error().ToString();
  EXPECT_TRUE(InvalidObjects(outcome).empty()) << ::testing::PrintToString(InvalidObjects(outcome));
  testing::ExpectGolden(testing::Render(outcome, GetParam()),
                        std::filesystem::path("xarf") / "fixtures" / GoldenName(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Files, XarfFixture,
                         ::testing::Values("login_attack_mail.eml", "phishing_report.yaml",
                                           "quoted_printable_mail.eml", "invalid_mail_report.eml",
                                           "v4_reports.json"),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

TEST(XarfMail, LoginAttackEmail) {
  ReadOutcome outcome = ReadPath("xarf", Fixture("login_attack_mail.eml"));
  ASSERT_EQ(outcome.sink.records.size(), 1u) << (outcome.sink.rejects.empty() ? "" : outcome.sink.rejects[0].reason);
  EXPECT_EQ(outcome.sink.records[0].position.line, 26u);  // the report part
  std::vector<Json> sightings = ObjectsOfType(outcome, "sighting");
  ASSERT_EQ(sightings.size(), 1u);
  const Json& s = sightings[0];
  EXPECT_EQ(StringField(s, "first_seen"), "2024-02-11T07:15:02.000Z");
  EXPECT_EQ(*s.Find("count"), Json::Int(37));
  std::vector<Json> identities = ObjectsOfType(outcome, "identity");
  ASSERT_EQ(identities.size(), 1u);
  EXPECT_EQ(StringField(identities[0], "contact_information"),
            "abuse-reports@honeypot.example.net");
  const Json* mail = SourceField(s, "mail");
  ASSERT_NE(mail, nullptr);
  EXPECT_EQ(StringField(*mail->Find("headers"), "X-XARF"), "PLAIN");
  EXPECT_NE(StringField(*mail, "human_readable").find("tried to log in"), std::string::npos);
  const Json& evidence = mail->Find("evidence")->as_array()[0];
  EXPECT_EQ(StringField(evidence, "name"), "logfile.log");
  EXPECT_EQ(StringField(evidence, "content"),
            "Feb 11 08:14:59 honeypot sshd[912]: Failed password for root from 192.0.2.17 port "
            "51222 ssh2\n");
  EXPECT_EQ(*SourceField(s, "Port"), Json::NumberLiteral("22", 22));
  EXPECT_EQ(SourceField(s, "Service")->as_string(), "ssh");
}

TEST(XarfMail, BareYamlReportWithDefangedUrlAndTlp) {
  ReadOutcome outcome = ReadPath("xarf", Fixture("phishing_report.yaml"));
  ASSERT_EQ(outcome.sink.records.size(), 1u);
  std::vector<Json> urls = ObjectsOfType(outcome, "url");
  ASSERT_EQ(urls.size(), 1u);
  EXPECT_EQ(StringField(urls[0], "value"),
            "http://login-verify.example.org/Secure/Account.php?session=1");
  std::vector<Json> markings = ObjectsOfType(outcome, "marking-definition");
  ASSERT_EQ(markings.size(), 1u);
  for (const Json& o : testing::Objects(outcome)) {
    if (StringField(o, "type") == "marking-definition") continue;
    ASSERT_NE(o.Find("object_marking_refs"), nullptr) << StringField(o, "id");
    EXPECT_EQ(o.Find("object_marking_refs")->as_array()[0].as_string(),
              stix::Tlp2MarkingId(stix::TlpLevel::kAmber));
  }
}

TEST(XarfMail, QuotedPrintableNestedMultipartAndNamedZone) {
  ReadOutcome outcome = ReadPath("xarf", Fixture("quoted_printable_mail.eml"));
  ASSERT_EQ(outcome.sink.records.size(), 1u) << (outcome.sink.rejects.empty() ? "" : outcome.sink.rejects[0].reason);
  std::vector<Json> sightings = ObjectsOfType(outcome, "sighting");
  EXPECT_EQ(StringField(sightings[0], "first_seen"), "2024-03-05T15:58:00.000Z");  // EST is UTC-5
  EXPECT_EQ(SourceField(sightings[0], "Comment")->as_string(),
            "this line is long enough to be wrapped by the quoted-printable encoder = and it "
            "continues here");
  std::vector<Json> v6 = ObjectsOfType(outcome, "ipv6-addr");
  ASSERT_EQ(v6.size(), 1u);
  EXPECT_EQ(StringField(v6[0], "value"), "2001:db8:85a3::8a2e:370:7334");
}

TEST(XarfMail, InvalidReportIsRejectedNamingTheFields) {
  ReadOutcome outcome = ReadPath("xarf", Fixture("invalid_mail_report.eml"));
  ASSERT_TRUE(outcome.sink.records.empty());
  ASSERT_EQ(outcome.sink.rejects.size(), 1u);
  EXPECT_EQ(outcome.sink.rejects[0].reason,
            "Source is missing; Date 'yesterday afternoon' is not a date (RFC 5322 or ISO 8601)");
}

TEST(XarfV4, ListOfReportsOneValidOneNot) {
  ReadOutcome outcome = ReadPath("xarf", Fixture("v4_reports.json"));
  ASSERT_EQ(outcome.sink.records.size(), 1u);
  ASSERT_EQ(outcome.sink.rejects.size(), 1u);
  EXPECT_EQ(outcome.sink.rejects[0].position.record, 1u);
  const std::string& reason = outcome.sink.rejects[0].reason;
  for (const char* part : {"xarf_version '4.1' is not 4.MINOR.PATCH", "report_id 'not-a-uuid' is not a UUID",
                           "timestamp 'last tuesday' is not a date-time", "reporter.phone is not a field"}) {
    EXPECT_NE(reason.find(part), std::string::npos) << reason;
  }
  std::vector<Json> sightings = ObjectsOfType(outcome, "sighting");
  ASSERT_EQ(sightings.size(), 1u);
  EXPECT_EQ(*sightings[0].Find("confidence"), Json::Int(90));
  EXPECT_EQ(ObjectsOfType(outcome, "identity").size(), 2u);  // reporter and sender
  EXPECT_EQ(StringField(sightings[0], "created_by_ref"),
            StringField(ObjectsOfType(outcome, "identity")[1], "id"));
  EXPECT_EQ(SourceField(sightings[0], "_internal"), nullptr);
  EXPECT_EQ(ObjectsOfType(outcome, "domain-name").size(), 1u);  // the source
  EXPECT_EQ(ObjectsOfType(outcome, "ipv4-addr").size(), 1u);    // c2_server
}

TEST(XarfRead, NotJsonIsAnErrorForTheWholeInput) {
  ReadOutcome outcome = ReadBytes("xarf", "{\"xarf_version\": ");
  ASSERT_FALSE(outcome.status.ok());
  EXPECT_NE(outcome.status.error().message.find("not JSON"), std::string::npos);
}

TEST(XarfRead, OtherJsonIsRejected) {
  ReadOutcome outcome = ReadBytes("xarf", "{\"type\": \"bundle\"}");
  ASSERT_EQ(outcome.sink.rejects.size(), 1u);
  EXPECT_NE(outcome.sink.rejects[0].reason.find("not an X-ARF report"), std::string::npos);
}

TEST(XarfRead, UnknownOptionsAreRefused) {
  ReadContext context = testing::TestContext();
  context.options.emplace_back("strict", "1");
  ReadOutcome outcome = ReadBytes("xarf", "{}", context);
  ASSERT_FALSE(outcome.status.ok());
  EXPECT_EQ(outcome.status.error().code, core::ErrorCode::kInvalidArgument);
}

TEST(XarfRead, DetectionOfFixturesAndOthers) {
  for (const char* file : {"login_attack_mail.eml", "phishing_report.yaml", "v4_reports.json",
                           "invalid_mail_report.eml"}) {
    auto input = Input::Open(Fixture(file).string());
    ASSERT_TRUE(input.ok());
    auto detected = DetectFormat(*input);
    ASSERT_TRUE(detected.ok()) << file;
    EXPECT_EQ(detected->format->name, "xarf") << file << ": " << detected->detection.reason;
  }
  const Format* xarf = FindFormat("xarf");
  for (const char* other : {"{\"type\": \"bundle\"}", "title: x\nlogsource: {}\ndetection: {}\n",
                            "From: a@b.example\nSubject: hello\n\nhi\n", "192.0.2.1\n"}) {
    EXPECT_EQ(xarf->detect(other).score, 0) << other;
  }
}

TEST(XarfRead, InputsCutShortAnywhereReadWithoutFailingOrInvalidObjects) {
  std::vector<std::filesystem::path> files = {Fixture("login_attack_mail.eml"),
                                              Fixture("quoted_printable_mail.eml"),
                                              Fixture("phishing_report.yaml")};
  if (testing::HaveShared()) files.push_back(CorpusDir() / "v4" / "content-csem.json");
  for (const auto& file : files) {
    std::string text = testing::ReadFileOrEmpty(file);
    for (size_t cut = 0; cut < text.size(); cut += 7) {
      ReadOutcome outcome = ReadBytes("xarf", text.substr(0, cut));
      EXPECT_TRUE(InvalidObjects(outcome).empty()) << file << " cut at " << cut;
      for (const Rejected& r : outcome.sink.rejects) EXPECT_FALSE(r.reason.empty());
    }
  }
}

TEST(XarfRead, YamlBombsAndDeepNestingAreRefused) {
  std::string bomb = "Reported-From: a@example.com\nReport-Type: x\na: &a [x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char name = 'b'; name <= 'k'; ++name) {
    bomb += std::string(1, name) + ": &" + name + " [";
    for (int i = 0; i < 8; ++i) bomb += std::string(i ? ", *" : "*") + prev;
    bomb += "]\n";
    prev = name;
  }
  ReadOutcome outcome = ReadBytes("xarf", bomb);
  ASSERT_EQ(outcome.sink.rejects.size(), 1u);
  EXPECT_NE(outcome.sink.rejects[0].reason.find("YAML nodes"), std::string::npos)
      << outcome.sink.rejects[0].reason;
  std::string deep = "Reported-From: a@example.com\nReport-Type: x\nx: " + std::string(3000, '[');
  outcome = ReadBytes("xarf", deep);
  ASSERT_EQ(outcome.sink.rejects.size(), 1u);
  EXPECT_NE(outcome.sink.rejects[0].reason.find("nested deeper"), std::string::npos)
      << outcome.sink.rejects[0].reason;
}

}  // namespace
}  // namespace tessera::formats
