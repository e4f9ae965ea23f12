// Tests of the YARA, Snort/Suricata and Sigma readers: reviewed golden outputs for
// the fixtures in tests/data/formats/rules/ (rules written for these tests, one
// file per syntax family), the mapping of each rule's metadata, rejection of
// broken rules with their lines while the rest is read, detection, and inputs
// cut short anywhere.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "formats/registry.h"
#include "formats/stix_build.h"
#include "stix/tlp.h"
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

std::filesystem::path Fixture(const std::string& name) {
  return testing::SourceDir() / "tests" / "data" / "formats" / "rules" / name;
}

// The rejects, in order: a part of each reason and the line; each keeps its raw text.
struct ExpectedReject {
  std::string reason;
  uint64_t line;
};
void ExpectRejects(const ReadOutcome& outcome, const std::vector<ExpectedReject>& expected) {
  ASSERT_EQ(outcome.sink.rejects.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const Rejected& r = outcome.sink.rejects[i];
    EXPECT_NE(r.reason.find(expected[i].reason), std::string::npos) << r.reason;
    EXPECT_EQ(r.position.line, expected[i].line) << r.reason;
    EXPECT_FALSE(r.raw.empty()) << r.reason;
  }
}

const Json* IndicatorNamed(const std::vector<Json>& indicators, std::string_view name) {
  for (const Json& i : indicators) {
    if (StringField(i, "name") == name) return &i;
  }
  return nullptr;
}

bool HasExternalReference(const Json& object, std::string_view source, std::string_view key,
                          std::string_view value) {
  const Json* refs = object.Find("external_references");
  if (refs == nullptr) return false;
  for (const Json& r : refs->as_array()) {
    if (StringField(r, "source_name") == source && StringField(r, key) == value) return true;
  }
  return false;
}

std::vector<std::string> Labels(const Json& object) {
  std::vector<std::string> out;
  if (const Json* labels = object.Find("labels")) {
    for (const Json& l : labels->as_array()) out.push_back(l.as_string());
  }
  return out;
}

struct GoldenCase {
  std::string format;
  std::string fixture;
};

class RulesGolden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(RulesGolden, MatchesReviewedOutput) {
  const GoldenCase& c = GetParam();
  ReadOutcome outcome = ReadPath(c.format, Fixture(c.fixture));
  ASSERT_TRUE(outcome.status.ok()) << outcome.status.error().ToString();
  EXPECT_TRUE(InvalidObjects(outcome).empty()) << ::testing::PrintToString(InvalidObjects(outcome));
  testing::ExpectGolden(testing::Render(outcome, c.fixture),
                        std::filesystem::path("rules") / (c.fixture + ".stix.json"));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, RulesGolden,
                         ::testing::Values(GoldenCase{"yara", "yara_rules.yar"},
                                           GoldenCase{"snort", "snort_community.rules"},
                                           GoldenCase{"suricata", "suricata_et.rules"},
                                           GoldenCase{"sigma", "sigma_rules.yml"},
                                           GoldenCase{"sigma", "sigma_collection.yml"}),
                         [](const ::testing::TestParamInfo<GoldenCase>& param) {
                           std::string name = param.param.format + "_" + param.param.fixture;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

// --- YARA ---

TEST(Yara, OneIndicatorPerRuleWithMetadata) {
  ReadOutcome outcome = ReadPath("yara", Fixture("yara_rules.yar"));
  ASSERT_TRUE(outcome.status.ok());
  std::vector<Json> indicators = ObjectsOfType(outcome, "indicator");
  ASSERT_EQ(indicators.size(), 7u);
  const Json* loader = IndicatorNamed(indicators, "Tessera_Loader_Strings");
  ASSERT_NE(loader, nullptr);
  EXPECT_EQ(StringField(*loader, "pattern_type"), "yara");
  EXPECT_EQ(StringField(*loader, "description"),
            "Detects the loader by its mutex and a \"quoted\" beacon path");
  EXPECT_EQ(StringField(*loader, "created"), "2024-03-18T00:00:00.000Z");
  EXPECT_EQ(StringField(*loader, "valid_from"), "2024-03-18T00:00:00.000Z");
  EXPECT_EQ(StringField(*loader, "modified"), "2024-05-02T00:00:00.000Z");
  EXPECT_EQ(Labels(*loader), (std::vector<std::string>{"loader", "windows"}));
  EXPECT_TRUE(HasExternalReference(*loader, "reference", "url",
                                   "https://example.org/blog/loader-analysis"));
  EXPECT_TRUE(HasExternalReference(*loader, "reference2", "url",
                                   "http://www.example.net/reports/loader.pdf"));
  // The pattern is the rule as written, from 'rule' to its closing brace; it uses
  // no module, so no import precedes it.
  std::string pattern = StringField(*loader, "pattern");
  EXPECT_EQ(pattern.rfind("rule Tessera_Loader_Strings : loader windows\n{", 0), 0u) << pattern;
  EXPECT_EQ(pattern.back(), '}');
  EXPECT_NE(pattern.find("xor(0x01-0xff)"), std::string::npos);
  // The author is an identity; the hashes are files the indicator is based on.
  std::vector<Json> identities = ObjectsOfType(outcome, "identity");
  ASSERT_FALSE(identities.empty());
  EXPECT_EQ(StringField(*loader, "created_by_ref"), StringField(identities[0], "id"));
  EXPECT_EQ(StringField(identities[0], "name"), "Tessera Test Team");
  std::vector<Json> relationships = ObjectsOfType(outcome, "relationship");
  int based_on = 0;
  for (const Json& r : relationships) {
    if (StringField(r, "source_ref") == StringField(*loader, "id") &&
        StringField(r, "relationship_type") == "based-on") {
      ++based_on;
    }
  }
  EXPECT_EQ(based_on, 2);
  // TLP:AMBER from meta, with the definition in the record.
  ASSERT_NE(loader->Find("object_marking_refs"), nullptr);
  EXPECT_EQ(loader->Find("object_marking_refs")->as_array()[0].as_string(),
            stix::Tlp2MarkingId(stix::TlpLevel::kAmber));
  EXPECT_EQ(ObjectsOfType(outcome, "marking-definition").size(), 2u);  // amber, green
  // Meta without a STIX property stays, as typed in the rule.
  const Json* meta = SourceField(*loader, "meta");
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(*meta->Find("score"), Json::Int(75));
  EXPECT_EQ(*meta->Find("internal"), Json::Bool(true));
  EXPECT_EQ(*SourceField(*loader, "includes"),
            Json::MakeArray({Json::String("common/strings.yar")}));
  ASSERT_NE(SourceField(*loader, "comments"), nullptr);
  EXPECT_EQ(SourceField(*loader, "comments")->as_string(),
            "// A plain rule with every meta field the reader maps.");
}

TEST(Yara, PatternCarriesTheImportsTheRuleUses) {
  ReadOutcome outcome = ReadPath("yara", Fixture("yara_rules.yar"));
  std::vector<Json> indicators = ObjectsOfType(outcome, "indicator");
  const Json* packed = IndicatorNamed(indicators, "Tessera_Packed_Sections");
  ASSERT_NE(packed, nullptr);
  EXPECT_EQ(StringField(*packed, "pattern")
                .rfind("import \"pe\"\nimport \"math\"\n\nrule Tessera_Packed_Sections", 0),
            0u)
      << StringField(*packed, "pattern");
  const Json* helper = IndicatorNamed(indicators, "Tessera_Helper_PE");
  ASSERT_NE(helper, nullptr);
  EXPECT_EQ(StringField(*helper, "pattern").rfind("import \"pe\"\n\nprivate rule", 0), 0u);
  EXPECT_EQ(*SourceField(*helper, "modifiers"), Json::MakeArray({Json::String("private")}));
  const Json* global = IndicatorNamed(indicators, "Tessera_Size_Limit");
  ASSERT_NE(global, nullptr);
  EXPECT_EQ(StringField(*global, "pattern"),
            "global private rule Tessera_Size_Limit { condition: filesize < 20MB }");
}

TEST(Yara, BrokenRulesAreRejectedWithTheirLinesAndTheRestIsRead) {
  ReadOutcome outcome = ReadPath("yara", Fixture("yara_rules.yar"));
  ASSERT_TRUE(outcome.status.ok());
  ExpectRejects(
      outcome,
      {
          {"rule 'Tessera_Broken_Missing_Condition': rule has no condition section", 78},
          {"rule 'Tessera_Broken_Undefined_String': condition uses undefined string $b", 86},
          {"rule 'Tessera_Broken_Unterminated_String': unterminated string", 94},
          {"rule 'Tessera_Broken_Odd_Hex': odd number of hex digits", 102},
          {"rule 'Tessera_Broken_Unused_String': string $unused is not used in the condition", 110},
          {"rule 'Tessera_Broken_Module_Not_Imported': condition uses module 'elf'", 119},
          {"duplicated rule name 'Tessera_Loader_Strings'", 125},
      });
  // The rule after the broken ones: read, its impossible date ignored.
  std::vector<Json> indicators = ObjectsOfType(outcome, "indicator");
  const Json* after = IndicatorNamed(indicators, "Tessera_After_Errors");
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(StringField(*after, "created"), testing::kTestNow);
}

TEST(Yara, BracesInStringsRegexesAndCommentsDoNotEndARule) {
  std::string rules = R"(rule Braces {
  strings:
    $a = "}{" // }
    $b = /\}[{]/ /* } */
    $c = { 7D ( 7B | 7D ) }
  condition:
    /* } */ any of them
}
rule Next { condition: true })";
  ReadOutcome outcome = ReadBytes("yara", rules);
  ASSERT_TRUE(outcome.sink.rejects.empty()) << outcome.sink.rejects[0].reason;
  ASSERT_EQ(ObjectsOfType(outcome, "indicator").size(), 2u);
  EXPECT_EQ(outcome.sink.records[1].position.line, 9u);
}

TEST(Yara, JunkBetweenRulesIsRejectedAndReadingGoesOn) {
  ReadOutcome outcome = ReadBytes("yara", "rule A { condition: true }\nthis is junk\nrule B { condition: false }\n");
  ASSERT_EQ(outcome.sink.rejects.size(), 1u);
  EXPECT_EQ(outcome.sink.rejects[0].position.line, 2u);
  EXPECT_NE(outcome.sink.rejects[0].reason.find("expected a rule"), std::string::npos);
  EXPECT_EQ(ObjectsOfType(outcome, "indicator").size(), 2u);
}

TEST(Yara, UnterminatedCommentAtTheEnd) {
  ReadOutcome outcome = ReadBytes("yara", "rule A { condition: true }\n/* never closed\nrule B");
  ASSERT_EQ(outcome.sink.rejects.size(), 1u);
  EXPECT_NE(outcome.sink.rejects[0].reason.find("unterminated /* comment"), std::string::npos);
  EXPECT_EQ(ObjectsOfType(outcome, "indicator").size(), 1u);
}

// --- Snort and Suricata ---

TEST(Snort, RulesLinesContinuationsAndDisabledRules) {
  ReadOutcome outcome = ReadPath("snort", Fixture("snort_community.rules"));
  ASSERT_TRUE(outcome.status.ok());
  std::vector<Json> indicators = ObjectsOfType(outcome, "indicator");
  ASSERT_EQ(indicators.size(), 6u);
  const Json* beacon =
      IndicatorNamed(indicators, "TESSERA MALWARE-CNC Loader beacon \"gate.php\" request");
  ASSERT_NE(beacon, nullptr);
  EXPECT_EQ(StringField(*beacon, "pattern_type"), "snort");
  EXPECT_EQ(Labels(*beacon), (std::vector<std::string>{"trojan-activity"}));
  EXPECT_TRUE(HasExternalReference(*beacon, "sid", "external_id", "1000001"));
  EXPECT_TRUE(HasExternalReference(*beacon, "cve", "external_id", "CVE-2021-44228"));
  EXPECT_TRUE(HasExternalReference(*beacon, "url", "url", "http://example.org/blog/loader-analysis"));
  EXPECT_EQ(*SourceField(*beacon, "metadata")->Find("service"), Json::MakeArray({Json::String("http")}));
  EXPECT_EQ(SourceField(*beacon, "rev")->as_string(), "3");

  const Json* dns = IndicatorNamed(indicators, "TESSERA DNS query for a known sinkhole");
  ASSERT_NE(dns, nullptr);
  std::string pattern = StringField(*dns, "pattern");
  EXPECT_EQ(pattern.find('\\'), std::string::npos) << pattern;
  EXPECT_NE(pattern.find("depth:10; offset:2;     content:"), std::string::npos) << pattern;
  EXPECT_EQ(outcome.sink.records[1].position.line, 8u);

  const Json* icmp = IndicatorNamed(indicators, "TESSERA ICMP large echo request");
  ASSERT_NE(icmp, nullptr);
  EXPECT_EQ(*SourceField(*icmp, "disabled"), Json::Bool(true));
  EXPECT_EQ(StringField(*icmp, "pattern").rfind("alert icmp", 0), 0u);

  const Json* snort3 = IndicatorNamed(indicators, "TESSERA SERVER-WEBAPP path traversal attempt");
  ASSERT_NE(snort3, nullptr);
  EXPECT_EQ(StringField(*snort3, "pattern_type"), "snort");
  const Json* sticky = IndicatorNamed(indicators, "TESSERA Suricata sticky buffer rule");
  ASSERT_NE(sticky, nullptr);
  EXPECT_EQ(StringField(*sticky, "pattern_type"), "suricata");
  EXPECT_EQ(SourceField(*sticky, "suricata_syntax")->as_string(), "option http.method");
}

TEST(Snort, BrokenRulesAreRejectedWithTheirLines) {
  ReadOutcome outcome = ReadPath("snort", Fixture("snort_community.rules"));
  ExpectRejects(outcome, {
                             {"rule has no sid", 25},
                             {"the header has 6 fields", 26},
                             {"unterminated quoted value in option 'msg'", 27},
                             {"duplicate sid 1000001; first at line 5", 28},
                             {"not a rule", 29},
                         });
  std::vector<Json> indicators = ObjectsOfType(outcome, "indicator");
  EXPECT_NE(IndicatorNamed(indicators, "TESSERA after the broken ones"), nullptr);
}

TEST(Suricata, EmergingThreatsMetadata) {
  ReadOutcome outcome = ReadPath("suricata", Fixture("suricata_et.rules"));
  ASSERT_TRUE(outcome.status.ok());
  std::vector<Json> indicators = ObjectsOfType(outcome, "indicator");
  ASSERT_EQ(indicators.size(), 5u);
  for (const Json& i : indicators) EXPECT_EQ(StringField(i, "pattern_type"), "suricata");
  const Json* domain =
      IndicatorNamed(indicators, "TESSERA ET MALWARE Observed Loader Domain in HTTP Host");
  ASSERT_NE(domain, nullptr);
  EXPECT_EQ(StringField(*domain, "created"), "2023-04-11T00:00:00.000Z");
  EXPECT_EQ(StringField(*domain, "modified"), "2024-01-30T00:00:00.000Z");
  EXPECT_EQ(*domain->Find("confidence"), Json::Int(85));
  EXPECT_TRUE(HasExternalReference(*domain, "mitre-attack", "external_id", "T1071"));
  ASSERT_NE(domain->Find("kill_chain_phases"), nullptr);
  EXPECT_EQ(StringField(domain->Find("kill_chain_phases")->as_array()[0], "phase_name"),
            "command-and-control");
  // updated_at before created_at: modified stays created.
  const Json* cert = IndicatorNamed(indicators, "TESSERA ET POLICY Self-Signed Certificate for a Known Phishing Kit");
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(StringField(*cert, "modified"), StringField(*cert, "created"));
  EXPECT_EQ(*cert->Find("confidence"), Json::Int(15));
  EXPECT_TRUE(HasExternalReference(*cert, "mitre-attack", "url",
                                   "https://attack.mitre.org/techniques/T1566/002/"));
  ASSERT_EQ(outcome.sink.rejects.size(), 1u);
  EXPECT_EQ(outcome.sink.rejects[0].position.line, 14u);
}

TEST(Snort, ReadingSuricataRulesAsSnortTagsThemBySyntax) {
  ReadOutcome outcome = ReadPath("snort", Fixture("suricata_et.rules"));
  for (const Json& i : ObjectsOfType(outcome, "indicator")) {
    std::string name = StringField(i, "name");
    bool disabled_rdp = name.find("disabled RDP probe") != std::string::npos;
    // The RDP probe uses nothing Suricata-only: a Snort rule.
    EXPECT_EQ(StringField(i, "pattern_type"), disabled_rdp ? "snort" : "suricata") << name;
  }
}

// --- Sigma ---

TEST(Sigma, RuleMapping) {
  ReadOutcome outcome = ReadPath("sigma", Fixture("sigma_rules.yml"));
  ASSERT_TRUE(outcome.status.ok());
  std::vector<Json> indicators = ObjectsOfType(outcome, "indicator");
  ASSERT_EQ(indicators.size(), 4u);
  const Json* ps = IndicatorNamed(indicators, "Tessera Test - Suspicious Encoded PowerShell Command Line");
  ASSERT_NE(ps, nullptr);
  EXPECT_EQ(StringField(*ps, "id"), "indicator--3b6c1a2e-5d4f-4e8a-9b7c-0d1e2f3a4b5c");
  EXPECT_EQ(StringField(*ps, "pattern_type"), "sigma");
  EXPECT_EQ(StringField(*ps, "pattern").rfind("title: Tessera Test - Suspicious", 0), 0u);
  EXPECT_EQ(StringField(*ps, "pattern").substr(StringField(*ps, "pattern").size() - 11),
            "level: high");
  EXPECT_EQ(StringField(*ps, "created"), "2024-03-18T00:00:00.000Z");
  EXPECT_EQ(StringField(*ps, "modified"), "2024-05-02T00:00:00.000Z");
  EXPECT_EQ(*ps->Find("confidence"), Json::Int(70));
  EXPECT_TRUE(HasExternalReference(*ps, "mitre-attack", "external_id", "T1059.001"));
  EXPECT_TRUE(HasExternalReference(*ps, "mitre-attack", "external_id", "G0016"));
  EXPECT_TRUE(HasExternalReference(*ps, "cve", "external_id", "CVE-2021-44228"));
  EXPECT_TRUE(HasExternalReference(*ps, "reference", "url", "https://example.org/blog/encoded-powershell"));
  EXPECT_TRUE(HasExternalReference(*ps, "reference", "description", "Internal incident 2024-17"));
  EXPECT_TRUE(HasExternalReference(*ps, "sigma", "external_id", "3b6c1a2e-5d4f-4e8a-9b7c-0d1e2f3a4b5c"));
  std::vector<std::string> phases;
  for (const Json& p : ps->Find("kill_chain_phases")->as_array())
    phases.push_back(StringField(p, "phase_name"));
  EXPECT_EQ(phases, (std::vector<std::string>{"execution", "defense-evasion"}));
  EXPECT_EQ(Labels(*ps).size(), 8u);
  EXPECT_EQ(ps->Find("object_marking_refs")->as_array()[0].as_string(),
            stix::Tlp2MarkingId(stix::TlpLevel::kAmber));
  EXPECT_EQ(SourceField(*ps, "level")->as_string(), "high");
  EXPECT_NE(SourceField(*ps, "logsource"), nullptr);
  EXPECT_EQ(SourceField(*ps, "detection"), nullptr);  // it is the pattern

  const Json* shell = IndicatorNamed(indicators, "Tessera Test - Linux Reverse Shell via /dev/tcp");
  ASSERT_NE(shell, nullptr);
  EXPECT_EQ(*shell->Find("confidence"), Json::Int(90));
  EXPECT_EQ(StringField(*shell, "description"),
            "Detects a bash command line that opens a reverse shell with /dev/tcp.\n"
            "Two lines of description, kept as written.\n");
  EXPECT_NE(SourceField(*shell, "related"), nullptr);

  const Json* odd_id = IndicatorNamed(indicators, "Tessera Test - Not a UUID Id");
  ASSERT_NE(odd_id, nullptr);
  EXPECT_EQ(StringField(*odd_id, "id").rfind("indicator--", 0), 0u);
  EXPECT_EQ(*odd_id->Find("confidence"), Json::Int(50));

  EXPECT_NE(IndicatorNamed(indicators, "Tessera Test - Many Failed Logons (correlation)"), nullptr);
}

TEST(Sigma, BrokenDocumentsAreRejectedWithLines) {
  ReadOutcome outcome = ReadPath("sigma", Fixture("sigma_rules.yml"));
  ASSERT_EQ(outcome.sink.rejects.size(), 2u);
  const Rejected& yaml = outcome.sink.rejects[0];
  EXPECT_EQ(yaml.position.line, 64u);
  EXPECT_NE(yaml.reason.find("YAML: "), std::string::npos) << yaml.reason;
  EXPECT_NE(yaml.reason.find("(line 69"), std::string::npos) << yaml.reason;
  const Rejected& missing = outcome.sink.rejects[1];
  EXPECT_EQ(missing.reason, "rule has no detection");
  EXPECT_EQ(missing.position.line, 75u);
}

TEST(Sigma, CollectionActionsMergeTheGlobalPart) {
  ReadOutcome outcome = ReadPath("sigma", Fixture("sigma_collection.yml"));
  ASSERT_TRUE(outcome.sink.rejects.empty()) << outcome.sink.rejects[0].reason;
  std::vector<Json> indicators = ObjectsOfType(outcome, "indicator");
  ASSERT_EQ(indicators.size(), 3u);
  EXPECT_EQ(StringField(indicators[0], "id"), "indicator--7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d");
  EXPECT_EQ(StringField(indicators[0], "name"), "Tessera Test - Windows Service Installed");
  EXPECT_EQ(StringField(indicators[0], "created"), "2022-08-09T00:00:00.000Z");
  // The merged rule, as one YAML document: the global detection condition and
  // the rule's own selection together.
  std::string pattern = StringField(indicators[1], "pattern");
  EXPECT_NE(pattern.find("EventID: 4697"), std::string::npos) << pattern;
  EXPECT_NE(pattern.find("condition: selection"), std::string::npos) << pattern;
  EXPECT_NE(pattern.find("product: windows"), std::string::npos) << pattern;
  EXPECT_NE(pattern.find("service: security"), std::string::npos) << pattern;
  EXPECT_EQ(StringField(indicators[2], "name"), "Tessera Test - After Reset");
  EXPECT_EQ(SourceField(indicators[2], "merged_from_collection"), nullptr);
  EXPECT_EQ(StringField(indicators[2], "created"), testing::kTestNow);
}

// --- Detection, options, robustness ---

TEST(RuleFormats, DetectionPicksTheRightReader) {
  const std::pair<std::string, std::string> cases[] = {
      {"yara_rules.yar", "yara"},
      {"snort_community.rules", "snort"},
      {"suricata_et.rules", "suricata"},
      {"sigma_rules.yml", "sigma"},
      {"sigma_collection.yml", "sigma"},
  };
  for (const auto& [file, format] : cases) {
    auto input = Input::Open(Fixture(file).string());
    ASSERT_TRUE(input.ok());
    auto detected = DetectFormat(*input);
    ASSERT_TRUE(detected.ok()) << file;
    EXPECT_EQ(detected->format->name, format) << file << ": " << detected->detection.reason;
  }
}

TEST(RuleFormats, DetectionLeavesOtherContentAlone) {
  for (const char* text : {"{\"type\": \"bundle\", \"objects\": []}", "192.0.2.1\nexample.com\n",
                           "title: a blog post\n\nsome text\n", "rule of thumb: be careful\n"}) {
    for (const char* format : {"yara", "snort", "suricata", "sigma"}) {
      EXPECT_EQ(FindFormat(format)->detect(text).score, 0) << format << ": " << text;
    }
  }
}

TEST(RuleFormats, UnknownOptionsAreRefused) {
  for (const char* format : {"yara", "snort", "suricata", "sigma"}) {
    ReadContext context = testing::TestContext();
    context.options.emplace_back("nope", "1");
    ReadOutcome outcome = ReadBytes(format, "", context);
    ASSERT_FALSE(outcome.status.ok()) << format;
    EXPECT_EQ(outcome.status.error().code, core::ErrorCode::kInvalidArgument);
  }
}

TEST(RuleFormats, InputsCutShortAnywhereReadWithoutFailing) {
  const std::pair<std::string, std::string> cases[] = {
      {"yara_rules.yar", "yara"},
      {"snort_community.rules", "snort"},
      {"suricata_et.rules", "suricata"},
      {"sigma_rules.yml", "sigma"},
      {"sigma_collection.yml", "sigma"},
  };
  for (const auto& [file, format] : cases) {
    std::string text = testing::ReadFileOrEmpty(Fixture(file));
    for (size_t cut = 0; cut < text.size(); cut += 13) {
      ReadOutcome outcome = ReadBytes(format, text.substr(0, cut));
      EXPECT_TRUE(outcome.status.ok()) << file << " cut at " << cut;
      EXPECT_TRUE(InvalidObjects(outcome).empty()) << file << " cut at " << cut;
      for (const Rejected& r : outcome.sink.rejects) EXPECT_FALSE(r.reason.empty());
    }
  }
}

TEST(RuleFormats, DeeplyNestedSigmaIsRejectedNotOverflowed) {
  std::string deep = "title: deep\nlogsource: {product: x}\ndetection:\n  condition: a\n  a: ";
  deep += std::string(5000, '[');
  deep += std::string(5000, ']');
  ReadOutcome outcome = ReadBytes("sigma", deep);
  ASSERT_EQ(outcome.sink.rejects.size(), 1u);
  EXPECT_NE(outcome.sink.rejects[0].reason.find("nested deeper"), std::string::npos)
      << outcome.sink.rejects[0].reason;
}

}  // namespace
}  // namespace tessera::formats
