// Data-driven validation tests. Every tests/data/stix/valid/<name>.json must read
// with no error and no warning; every tests/data/stix/invalid/<name>.json must
// produce exactly the problems listed in <name>.expect, one per line:
//   <severity>\t<JSON pointer>\t<substring of the message>
// Adding a case is adding files; the suites below list the directories at start-up.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "stix/bundle.h"
#include "stix/spec.h"
#include "stix/validate.h"

namespace tessera::stix {
namespace {

namespace fs = std::filesystem;

fs::path DataDir(const char* kind) {
  return fs::path(TESSERA_SOURCE_DIR) / "tests" / "data" / "stix" / kind;
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The stems of the .json files in a fixture directory, sorted.
std::vector<std::string> ListCases(const char* kind) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(DataDir(kind), ec)) {
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// gtest parameter names allow only letters, digits and '_'.
std::string TestName(const testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

std::string Describe(const std::vector<Problem>& problems) {
  std::string out;
  for (const Problem& p : problems) out += "  " + p.ToString() + "\n";
  return out.empty() ? "  (none)\n" : out;
}

// Errors and warnings only: informational notes are not validation findings.
std::vector<Problem> Findings(const StixDocument& doc) {
  std::vector<Problem> out;
  for (const Problem& p : doc.problems) {
    if (p.severity != Severity::kInfo) out.push_back(p);
  }
  return out;
}

struct Expectation {
  std::string severity;
  std::string path;
  std::string message;
};

std::vector<Expectation> ReadExpectations(const fs::path& path, std::string* error) {
  std::vector<Expectation> out;
  std::istringstream in(ReadText(path));
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    size_t tab1 = line.find('\t');
    size_t tab2 = tab1 == std::string::npos ? tab1 : line.find('\t', tab1 + 1);
    if (tab2 == std::string::npos) {
      *error = path.string() + ":" + std::to_string(number) +
               ": expected <severity>\\t<path>\\t<message substring>";
      return {};
    }
    out.push_back({line.substr(0, tab1), line.substr(tab1 + 1, tab2 - tab1 - 1), line.substr(tab2 + 1)});
  }
  return out;
}

// --- valid fixtures -------------------------------------------------------------

class ValidFixtureTest : public testing::TestWithParam<std::string> {};

TEST_P(ValidFixtureTest, HasNoErrorsAndNoWarnings) {
  fs::path file = DataDir("valid") / (GetParam() + ".json");
  auto doc = ReadStix(ReadText(file));
  ASSERT_TRUE(doc.ok()) << file << ": " << doc.error().message;
  EXPECT_EQ(doc->source_version, "2.1") << file << " was read as STIX 2.0";
  EXPECT_FALSE(doc->objects.empty()) << file;
  std::vector<Problem> findings = Findings(*doc);
  EXPECT_TRUE(findings.empty()) << file << " has problems:\n" << Describe(findings);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ValidFixtureTest, testing::ValuesIn(ListCases("valid")), TestName);

// Every type STIX 2.1 defines has a valid fixture, so the whole table is exercised.
TEST(ValidFixtureCoverageTest, EveryDefinedTypeHasAFixture) {
  std::vector<std::string> names = ListCases("valid");
  for (const TypeSpec& type : AllTypes()) {
    EXPECT_TRUE(std::find(names.begin(), names.end(), type.type) != names.end())
        << "no tests/data/stix/valid/" << type.type << ".json";
  }
}

// --- invalid cases --------------------------------------------------------------

class InvalidCaseTest : public testing::TestWithParam<std::string> {};

TEST_P(InvalidCaseTest, ReportsExactlyTheExpectedProblems) {
  fs::path file = DataDir("invalid") / (GetParam() + ".json");
  fs::path expect_file = DataDir("invalid") / (GetParam() + ".expect");
  ASSERT_TRUE(fs::exists(expect_file)) << "missing " << expect_file;
  std::string parse_error;
  std::vector<Expectation> expected = ReadExpectations(expect_file, &parse_error);
  ASSERT_TRUE(parse_error.empty()) << parse_error;
  ASSERT_FALSE(expected.empty()) << expect_file << " lists no problem";

  auto doc = ReadStix(ReadText(file));
  ASSERT_TRUE(doc.ok()) << file << ": " << doc.error().message;
  std::vector<Problem> actual = Findings(*doc);

  std::vector<bool> used(actual.size(), false);
  std::string unmatched;
  for (const Expectation& e : expected) {
    bool found = false;
    for (size_t i = 0; i < actual.size() && !found; ++i) {
      if (used[i]) continue;
      const Problem& p = actual[i];
      if (SeverityName(p.severity) == e.severity && p.path == e.path &&
          p.message.find(e.message) != std::string::npos) {
        used[i] = true;
        found = true;
      }
    }
    if (!found) unmatched += "  " + e.severity + "\t" + e.path + "\t" + e.message + "\n";
  }
  EXPECT_TRUE(unmatched.empty()) << file << ": expected problems not reported:\n"
                                 << unmatched << "actual problems:\n"
                                 << Describe(actual);
  EXPECT_EQ(actual.size(), expected.size()) << file << ": actual problems:\n" << Describe(actual);
}

INSTANTIATE_TEST_SUITE_P(Cases, InvalidCaseTest, testing::ValuesIn(ListCases("invalid")), TestName);

TEST(InvalidCaseCoverageTest, EveryCaseHasAnExpectFile) {
  std::vector<std::string> cases = ListCases("invalid");
  EXPECT_GE(cases.size(), 60u);
  for (const auto& entry : fs::directory_iterator(DataDir("invalid"))) {
    if (entry.path().extension() != ".expect") continue;
    std::string stem = entry.path().stem().string();
    EXPECT_TRUE(std::find(cases.begin(), cases.end(), stem) != cases.end())
        << entry.path() << " has no " << stem << ".json";
  }
}

// --- direct tests ---------------------------------------------------------------

TEST(ProblemTest, ToStringNamesSeverityPathObjectAndMessage) {
  Problem p{Severity::kError, 3, "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            "/objects/3/created", "created must be precise to at least the millisecond (§3.2)"};
  EXPECT_EQ(p.ToString(),
            "error: /objects/3/created (object 3, indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f): "
            "created must be precise to at least the millisecond (§3.2)");

  Problem no_id{Severity::kWarning, 0, "", "/objects/0/x", "m"};
  EXPECT_EQ(no_id.ToString(), "warning: /objects/0/x (object 0): m");

  Problem document{Severity::kError, -1, "", "", "not a bundle"};
  EXPECT_EQ(document.ToString(), "error: /: not a bundle");
  EXPECT_STREQ(SeverityName(Severity::kInfo), "info");
}

constexpr const char* kIdentity =
    R"({"type":"identity","spec_version":"2.1","id":"identity--5d2f9b1e-7c3a-4e8b-9f61-0a4c2e7d8b35",)"
    R"("created":"2024-03-04T09:15:22.481Z","modified":"2024-03-04T09:15:22.481Z","name":"ACME"})";

TEST(ValidateTest, ReportsIndexAndIdOfAnObjectDeepInABundle) {
  std::string text = R"({"type":"bundle","id":"bundle--1f0c7d4e-3a2b-4c5d-8e6f-7a8b9c0d1e2f","objects":[)";
  for (int i = 0; i < 4; ++i) text += std::string(kIdentity) + ",";
  text += R"({"type":"malware","spec_version":"2.1","id":"malware--0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",)"
          R"("created":"2024-03-04T09:15:22.481Z","modified":"2024-03-04T09:15:22.481Z",)"
          R"("name":"NwUpd","is_family":"yes"}]})";
  auto doc = ReadStix(text);
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  std::vector<Problem> found;
  for (const Problem& p : doc->problems) {
    if (p.path.rfind("/objects/4/", 0) == 0) found.push_back(p);
  }
  ASSERT_EQ(found.size(), 1u) << Describe(doc->problems);
  EXPECT_EQ(found[0].severity, Severity::kError);
  EXPECT_EQ(found[0].object_index, 4);
  EXPECT_EQ(found[0].object_id, "malware--0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
  EXPECT_EQ(found[0].path, "/objects/4/is_family");
  // The four identical identities are the same version repeated: warnings on 1-3 only.
  EXPECT_EQ(doc->CountProblems(Severity::kError), 1u) << Describe(doc->problems);
}

TEST(ValidateTest, EscapesSlashAndTildeInJsonPointers) {
  // RFC 6901 §3: '~' is written "~0" and '/' is written "~1".
  std::string text = R"({"type":"bundle","id":"bundle--1f0c7d4e-3a2b-4c5d-8e6f-7a8b9c0d1e2f","objects":[)"
                     R"({"type":"email-message","spec_version":"2.1",)"
                     R"("id":"email-message--2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901","is_multipart":false,)"
                     R"("additional_header_fields":{"X/Mailer~v":"NwMail"},"x_a/b":1,"x_c~d":2}]})";
  auto doc = ReadStix(text);
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  std::vector<std::string> paths;
  for (const Problem& p : doc->problems) paths.push_back(p.path);
  std::sort(paths.begin(), paths.end());
  EXPECT_EQ(paths, (std::vector<std::string>{"/objects/0/additional_header_fields/X~1Mailer~0v",
                                             "/objects/0/x_a~1b", "/objects/0/x_c~0d"}))
      << Describe(doc->problems);
}

TEST(ValidateTest, ReportsPathsOfASingleObjectFromTheRoot) {
  std::string text = kIdentity;
  text.replace(text.find(R"("name":"ACME")"), 13, R"("name":["ACME"])");
  auto doc = ReadStix(text);
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  ASSERT_EQ(doc->problems.size(), 1u) << Describe(doc->problems);
  EXPECT_EQ(doc->problems[0].path, "/name");
  EXPECT_EQ(doc->problems[0].object_index, 0);
  EXPECT_EQ(doc->problems[0].object_id, "identity--5d2f9b1e-7c3a-4e8b-9f61-0a4c2e7d8b35");
}

}  // namespace
}  // namespace tessera::stix
