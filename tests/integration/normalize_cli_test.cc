// `tessera normalize` as a user runs it: every input and output form, errors
// with positions, de-duplication, --strict, and valid STIX out.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "core/json.h"
#include "integration/run_tessera.h"
#include "stix/bundle.h"

namespace tessera {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

constexpr const char* kMessyList =
    "# a comment line\n"
    "hxxp://EVIL[.]example[.]com:80/a/../b\n"
    "EVIL.example.COM.\n"
    "198.51.100[.]7\n"
    "\n"
    "not an observable at all\n"
    "evil.example.com\n"
    "44D88612FEA8A8F36DE82E1278ABB02F\n";

TEST(NormalizeCliTest, LinesToCanonicalValues) {
  CommandResult run = Tessera("normalize --from lines --to lines", kMessyList);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(Lines(run.out), (std::vector<std::string>{"http://evil.example.com/b",
                                                      "evil.example.com", "198.51.100.7",
                                                      "44d88612fea8a8f36de82e1278abb02f"}));
  // The bad record: one line naming file and line, then the summary.
  EXPECT_NE(run.err.find("<stdin>:6: "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("1 duplicates removed, 1 rejected"), std::string::npos) << run.err;
}

TEST(NormalizeCliTest, JsonLinesCarryTypeValueIdAndFields) {
  CommandResult run = Tessera("normalize --to jsonl", "EXAMPLE.co.uk.\n");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto line = core::ParseJson(Lines(run.out).at(0));
  ASSERT_TRUE(line.ok()) << run.out;
  EXPECT_EQ(line->Find("type")->as_string(), "domain");
  EXPECT_EQ(line->Find("value")->as_string(), "example.co.uk");
  EXPECT_EQ(line->Find("id")->as_string().rfind("domain-name--", 0), 0u);
  EXPECT_EQ(line->Find("registrable_domain")->as_string(), "example.co.uk");
}

TEST(NormalizeCliTest, StrictStopsAtTheFirstBadRecord) {
  CommandResult run =
      Tessera("normalize --from lines --strict --to lines", "example.com\nnonsense value\nexample.org\n");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "example.com\n");
  EXPECT_NE(run.err.find("<stdin>:2: "), std::string::npos) << run.err;
}

TEST(NormalizeCliTest, FreeTextExtraction) {
  CommandResult run = Tessera(
      "normalize --from text --to lines",
      "The dropper (SHA-256 275A021BBFB6489E54D471899F7DB9D1663FC695EC2FE2A2C4538AABF651FD0F) "
      "called hxxps://update-check[.]example[.]net/gate.php every 10 minutes and then "
      "198.51.100[.]23. Version 1.2.3 of the tool was used.\n");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(Lines(run.out),
            (std::vector<std::string>{
                "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
                "https://update-check.example.net/gate.php", "198.51.100.23"}));
}

TEST(NormalizeCliTest, StixOutputIsAValidBundleWithIndicators) {
  CommandResult run = Tessera("normalize --to stix --indicators",
                              "example.com\n198.51.100.7\nDE89370400440532013000\n");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto doc = stix::ReadStix(run.out);
  ASSERT_TRUE(doc.ok()) << run.out;
  for (const stix::Problem& p : doc->problems) {
    EXPECT_NE(p.severity, stix::Severity::kError) << p.ToString();
  }
  size_t indicators = 0, relationships = 0;
  for (const stix::StixObject& o : doc->objects) {
    indicators += o.type == "indicator";
    relationships += o.type == "relationship";
  }
  EXPECT_EQ(indicators, 3u);
  EXPECT_EQ(relationships, 3u);
  EXPECT_NE(run.out.find("extension-definition"), std::string::npos);  // for bank-account
}

TEST(NormalizeCliTest, StixInputYieldsItsObservables) {
  CommandResult run = Tessera("normalize --from stix --to lines " +
                              (testing::SourceDir() / "samples/phishing-campaign.json").string());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> lines = Lines(run.out);
  auto has = [&](const std::string& v) {
    return std::find(lines.begin(), lines.end(), v) != lines.end();
  };
  EXPECT_TRUE(has("login-secure-bank.example")) << run.out;
  EXPECT_TRUE(has("https://login-secure-bank.example/verify/account.php")) << run.out;
  EXPECT_TRUE(has("billing@invoices-portal.example")) << run.out;  // from an indicator pattern
}

TEST(NormalizeCliTest, AutoDetectsTheInputForm) {
  CommandResult lines = Tessera("normalize -v --to lines", "example.com\n");
  EXPECT_NE(lines.err.find("reading as lines"), std::string::npos) << lines.err;
  CommandResult text = Tessera("normalize -v --to lines", "Beaconing to example.com was seen.\n");
  EXPECT_NE(text.err.find("reading as text"), std::string::npos) << text.err;
  EXPECT_EQ(text.out, "example.com\n");
  CommandResult stix = Tessera("normalize -v --to lines",
                               R"({"type":"domain-name","id":"domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7","value":"example.com"})");
  EXPECT_NE(stix.err.find("reading as stix"), std::string::npos) << stix.err;
  EXPECT_EQ(stix.out, "example.com\n");
}

TEST(NormalizeCliTest, ForcedKindAndMissingFile) {
  CommandResult run = Tessera("normalize --kind filename --to lines", "example.py\n");
  EXPECT_EQ(run.out, "example.py\n");
  EXPECT_EQ(Tessera("normalize /nonexistent/list.txt").exit_code, 3);
  EXPECT_EQ(Tessera("normalize --kind nonsense").exit_code, 2);
}

}  // namespace
}  // namespace tessera
