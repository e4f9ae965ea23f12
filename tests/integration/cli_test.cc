// Runs the real `tessera` binary: exit codes, stdout/stderr separation, stdin,
// and the behaviour each command promises in its --help.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <string>

#include "core/json.h"
#include "integration/run_tessera.h"
#include "testing/shared_data.h"

namespace tessera {
namespace {

namespace fs = std::filesystem;

std::string Samples() { return (testing::SourceDir() / "samples").string(); }

TEST(CliTest, HelpListsEveryStixCommand) {
  CommandResult run = Tessera("stix --help");
  EXPECT_EQ(run.exit_code, 0);
  for (const char* cmd : {"validate", "ids", "print", "upgrade"}) {
    EXPECT_NE(run.out.find(cmd), std::string::npos) << cmd;
  }
}

TEST(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Tessera("").exit_code, 2);
  EXPECT_EQ(Tessera("stix frobnicate").exit_code, 2);
  EXPECT_EQ(Tessera("stix validate --no-such-flag x").exit_code, 2);
}

TEST(CliTest, ValidateTheBundledSamples) {
  std::string stix_samples;
  for (const char* name : {"phishing-campaign.json", "ransomware-report.json", "legacy-stix20-feed.json"}) {
    stix_samples += " " + Samples() + "/" + name;
  }
  CommandResult run = Tessera("stix validate --summary" + stix_samples);
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("summary: 3 of 3 files valid"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("STIX 2.0 (upgraded to 2.1)"), std::string::npos) << run.out;
}

// Every sample is in a format the readers detect, and each reads without rejects.
TEST(CliTest, EverySampleIsDetectedAndReads) {
  CommandResult detect = Tessera("formats detect " + Samples() + "/*");
  EXPECT_EQ(detect.exit_code, 0) << detect.out << detect.err;
  for (const char* expected : {"incident-notes.txt: text", "misp-event.json: misp",
                               "urlhaus-feed.csv: urlhaus", "phishing-campaign.json: stix"}) {
    EXPECT_NE(detect.out.find(expected), std::string::npos) << expected << "\n" << detect.out;
  }
  CommandResult run = Tessera("normalize --to lines " + Samples() + "/*");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find(" 0 rejected"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("https://secure-login.bank-verify.example/account/update.php"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("https://files.update-cdn.example/dl/invoice.zip"), std::string::npos);
}

TEST(CliTest, ValidateReportsEveryProblemWithObjectAndPath) {
  std::string bad = R"({"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
    {"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
     "created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z",
     "pattern":"[ipv4-addr:value = '198.51.100.3']","pattern_type":"stix",
     "valid_from":"2016-01-01T00:00:00Z","valid_until":"2015-01-01T00:00:00Z","confidence":101}]})";
  CommandResult run = Tessera("stix validate -", bad);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("<stdin>: error: /objects/0/valid_until (object 0, "
                         "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f)"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("/objects/0/confidence"), std::string::npos) << run.out;

  CommandResult json = Tessera("stix validate --json -", bad);
  EXPECT_EQ(json.exit_code, 1);
  auto report = core::ParseJson(json.out);
  ASSERT_TRUE(report.ok()) << json.out;
  const core::Json& file = report->Find("files")->as_array()[0];
  EXPECT_FALSE(file.Find("valid")->as_bool());
  EXPECT_EQ(file.Find("errors")->as_number().value, 2);
  EXPECT_EQ(file.Find("problems")->as_array()[0].Find("object_index")->as_number().value, 0);
}

TEST(CliTest, ValidateMissingFileExitsThree) {
  CommandResult run = Tessera("stix validate /nonexistent/feed.json");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.out.find("cannot open"), std::string::npos) << run.out;
}

TEST(CliTest, StrictTurnsWarningsIntoFailure) {
  // A custom property without the x_ prefix is allowed, with a warning.
  std::string warn = R"({"type":"identity","spec_version":"2.1","name":"ACME",
    "id":"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2016-04-06T20:03:48.000Z",
    "modified":"2016-04-06T20:03:48.000Z","custom_score":3})";
  EXPECT_EQ(Tessera("stix validate -", warn).exit_code, 0);
  EXPECT_EQ(Tessera("stix validate --strict -", warn).exit_code, 1);
}

TEST(CliTest, IdsOnePerLineAndBadLinesDoNotStopTheRun) {
  std::string input =
      "{\"type\":\"domain-name\",\"value\":\"example.com\"}\n"
      "not json\n"
      "\n"
      "{\"type\":\"ipv4-addr\",\"value\":\"198.51.100.1\",\"id\":\"ipv4-addr--x\"}\n"
      "{\"type\":\"indicator\"}\n";
  CommandResult run = Tessera("stix ids", input);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out,
            "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7\n"
            "ipv4-addr--2b3e2c17-3144-5591-9c88-a605220f8c0c\n");
  EXPECT_NE(run.err.find("<stdin>:2:"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("<stdin>:5:"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("<stdin>:3:"), std::string::npos) << run.err;
}

TEST(CliTest, PrintRoundTripsAndCanonicalizes) {
  std::string doc = R"({"b":1.50,"a":[true,null,"\u00e9"],"big":12345678901234567890})";
  CommandResult plain = Tessera("stix print --compact", doc);
  EXPECT_EQ(plain.exit_code, 0);
  EXPECT_EQ(plain.out, "{\"b\":1.50,\"a\":[true,null,\"\xc3\xa9\"],\"big\":12345678901234567890}\n");
  CommandResult canonical = Tessera("stix print --canonical", doc);
  EXPECT_EQ(canonical.out,
            "{\"a\":[true,null,\"\xc3\xa9\"],\"b\":1.5,\"big\":12345678901234567000}\n");
  EXPECT_EQ(Tessera("stix print", "{oops").exit_code, 1);
}

TEST(CliTest, UpgradeWritesValid21) {
  CommandResult run = Tessera("stix upgrade " + Samples() + "/legacy-stix20-feed.json");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  CommandResult check = Tessera("stix validate --strict -", run.out);
  EXPECT_EQ(check.exit_code, 0) << check.out;
  auto doc = core::ParseJson(run.out);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->Find("spec_version"), nullptr);
  CommandResult verbose = Tessera("stix upgrade -v " + Samples() + "/legacy-stix20-feed.json");
  EXPECT_NE(verbose.err.find("object_refs"), std::string::npos) << verbose.err;
}

// The OASIS vectors through the command line: every id identical.
TEST(CliTest, IdsMatchTheReferenceVectors) {
  TESSERA_REQUIRE_SHARED();
  CommandResult run = Tessera("stix ids --json " + (testing::SharedDir() / "vectors/sco-ids.jsonl").string());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::istringstream expected(Slurp(testing::SharedDir() / "vectors/sco-ids.jsonl"));
  std::istringstream got(run.out);
  std::string e, g;
  size_t n = 0;
  while (std::getline(expected, e) && std::getline(got, g)) {
    ++n;
    auto ev = core::ParseJson(e);
    auto gv = core::ParseJson(g);
    ASSERT_TRUE(ev.ok() && gv.ok());
    EXPECT_EQ(gv->Find("id")->as_string(), ev->Find("id")->as_string()) << "line " << n;
  }
  EXPECT_GT(n, 400u);
}

}  // namespace
}  // namespace tessera
