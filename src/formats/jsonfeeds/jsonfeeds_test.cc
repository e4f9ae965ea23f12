#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "formats/jsonfeeds/feed_time.h"
#include "formats/registry.h"
#include "formats/stix_build.h"
#include "stix/tlp.h"
#include "testing/format_golden.h"

namespace tessera::formats {
namespace {

using core::Json;
using testing::ObjectsOfType;
using testing::ReadBytes;
using testing::ReadPath;

std::filesystem::path DataDir() {
  return testing::SourceDir() / "tests" / "data" / "formats" / "jsonfeeds";
}
std::filesystem::path CorpusDir() { return testing::SharedDir() / "corpora" / "feeds" / "intelmq"; }

std::string Str(const Json& o, std::string_view key) {
  const Json* v = o.Find(key);
  return v != nullptr && v->is_string() ? v->as_string() : std::string();
}

std::vector<std::string> Values(const testing::ReadOutcome& out, std::string_view type,
                                std::string_view key = "value") {
  std::vector<std::string> values;
  for (const Json& o : ObjectsOfType(out, type)) values.push_back(Str(o, key));
  return values;
}

// --- Times ------------------------------------------------------------------

TEST(FeedTime, ReadsTheTimesFeedsWrite) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"2021-01-17 07:44:46", "2021-01-17T07:44:46.000Z"},
      {"2018-12-31 23:00:00 UTC", "2018-12-31T23:00:00.000Z"},
      {"2015-10-20T06:14:00+0000", "2015-10-20T06:14:00.000Z"},
      {"2015-09-02T09:21:53.093000", "2015-09-02T09:21:53.093000Z"},
      {"2022-11-15", "2022-11-15T00:00:00.000Z"},
      {"2020-08-12T13:32:31+02:00", "2020-08-12T11:32:31.000Z"},
      {"1586252714", "2020-04-07T09:45:14.000Z"},
      {"1586252714123", "2020-04-07T09:45:14.123Z"},
  };
  for (const auto& [in, want] : cases) {
    auto t = jsonfeeds::FeedTimeText(in);
    ASSERT_TRUE(t.ok()) << in << ": " << t.error().ToString();
    EXPECT_EQ(*t, want) << in;
  }
  for (std::string_view bad : {"", "yesterday", "2021-13-01 00:00:00", "99999999999999999"}) {
    EXPECT_FALSE(jsonfeeds::FeedTimeText(bad).ok()) << bad;
  }
}

// --- ThreatFox ----------------------------------------------------------------

TEST(ThreatFox, ApiAnswerMapsIocsToIndicatorsWithTheirMalware) {
  auto out = ReadPath("threatfox", DataDir() / "threatfox_api.json");
  ASSERT_TRUE(out.status.ok()) << out.status.error().ToString();
  EXPECT_TRUE(testing::InvalidObjects(out).empty());
  ASSERT_EQ(out.sink.records.size(), 3u);
  ASSERT_EQ(out.sink.rejects.size(), 2u);
  EXPECT_NE(out.sink.rejects[0].reason.find("/ioc: 'not-an-ip:99999'"), std::string::npos)
      << out.sink.rejects[0].reason;
  EXPECT_NE(out.sink.rejects[1].reason.find("IOC type 'sha3_384_hash'"), std::string::npos);
  EXPECT_EQ(out.sink.rejects[1].position.record, 4u);
  EXPECT_GT(out.sink.rejects[1].position.byte_offset, 0u);

  auto indicators = ObjectsOfType(out, "indicator");
  ASSERT_EQ(indicators.size(), 3u);
  const Json& c2 = indicators[0];
  EXPECT_EQ(Str(c2, "pattern"),
            "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = "
            "'198.51.100.23' AND network-traffic:dst_port = 8443]");
  EXPECT_EQ(Str(c2, "id"), DeterministicId("indicator", "threatfox|1001|" + Str(c2, "pattern")));
  EXPECT_EQ(Str(c2, "valid_from"), "2024-03-01T10:12:13.000Z");
  EXPECT_EQ(Str(c2, "modified"), "2024-03-04T08:00:00.000Z");
  EXPECT_EQ(c2.Find("confidence")->as_number().literal, "75");
  EXPECT_EQ(c2.Find("labels")->as_array().size(), 1u);  // QakBot; TLP:GREEN is a marking
  EXPECT_EQ(c2.Find("object_marking_refs")->as_array()[0].as_string(),
            stix::Tlp2MarkingId(stix::TlpLevel::kGreen));
  EXPECT_EQ(Str(indicators[1], "pattern"), "[url:value = 'http://bad.example.com/gate.php']");
  EXPECT_EQ(Str(indicators[2], "pattern"), "[file:hashes.'MD5' = '44d88612fea8a8f36de82e1278abb02f']");

  auto malware = ObjectsOfType(out, "malware");
  ASSERT_EQ(malware.size(), 3u);
  EXPECT_EQ(Str(malware[0], "name"), "QakBot");
  EXPECT_EQ(Str(malware[0], "id"), DeterministicId("malware", "qakbot"));
  EXPECT_EQ(malware[0].Find("aliases")->as_array().size(), 3u);
  std::vector<std::string> kinds;
  for (const Json& r : ObjectsOfType(out, "relationship")) kinds.push_back(Str(r, "relationship_type"));
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "indicates"), 3);
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "based-on"), 3);
  EXPECT_EQ(Values(out, "network-traffic", "type").size(), 1u);
}

TEST(ThreatFox, ExportKeyedByIdUsesTheKeyAsTheId) {
  auto out = ReadPath("threatfox", DataDir() / "threatfox_export.json");
  ASSERT_TRUE(out.status.ok());
  EXPECT_TRUE(testing::InvalidObjects(out).empty());
  ASSERT_EQ(out.sink.records.size(), 2u);
  EXPECT_TRUE(out.sink.rejects.empty());
  auto indicators = ObjectsOfType(out, "indicator");
  ASSERT_EQ(indicators.size(), 2u);
  EXPECT_EQ(Str(indicators[0], "id"),
            DeterministicId("indicator", "threatfox|2001|" + Str(indicators[0], "pattern")));
  EXPECT_EQ(indicators[0].Find("labels")->as_array().size(), 2u);
  EXPECT_EQ(Str(indicators[1], "pattern"),
            "[network-traffic:dst_ref.type = 'ipv6-addr' AND network-traffic:dst_ref.value = "
            "'2001:db8::7' AND network-traffic:dst_port = 443]");
}

TEST(ThreatFox, NoResultIsARejectionNotAFailure) {
  auto out = ReadPath("threatfox", DataDir() / "threatfox_no_result.json");
  ASSERT_TRUE(out.status.ok());
  ASSERT_EQ(out.sink.rejects.size(), 1u);
  EXPECT_EQ(out.sink.rejects[0].reason,
            "the API answered query_status 'no_result' (Your search did not yield any results)");
}

// --- URLhaus ------------------------------------------------------------------

TEST(UrlhausJson, UrlsAndPayloads) {
  auto urls = ReadPath("urlhaus-json", DataDir() / "urlhaus_urls.json");
  ASSERT_TRUE(urls.status.ok());
  EXPECT_TRUE(testing::InvalidObjects(urls).empty());
  EXPECT_EQ(urls.sink.records.size(), 2u);
  ASSERT_EQ(urls.sink.rejects.size(), 1u);
  EXPECT_NE(urls.sink.rejects[0].reason.find("/url: 'not a url at all'"), std::string::npos);
  EXPECT_EQ(Values(urls, "url"),
            (std::vector<std::string>{"http://203.0.113.77:45123/i",
                                      "https://files.example.org/invoice.zip"}));
  // The host is an observable too, but only the URL is indicated.
  EXPECT_EQ(Values(urls, "indicator").size(), 2u);
  EXPECT_EQ(Values(urls, "ipv4-addr"), (std::vector<std::string>{"203.0.113.77"}));

  auto payloads = ReadPath("urlhaus-json", DataDir() / "urlhaus_payloads.json");
  ASSERT_TRUE(payloads.status.ok());
  EXPECT_TRUE(testing::InvalidObjects(payloads).empty());
  ASSERT_EQ(payloads.sink.records.size(), 1u);
  EXPECT_EQ(ObjectsOfType(payloads, "indicator").size(), 2u);  // MD5 and SHA-256
  EXPECT_EQ(Values(payloads, "malware", "name"), (std::vector<std::string>{"Gozi"}));

  auto info = ReadPath("urlhaus-json", DataDir() / "urlhaus_url_info.json");
  ASSERT_TRUE(info.status.ok());
  ASSERT_EQ(info.sink.records.size(), 1u);  // the answer is one URL with its payloads
  EXPECT_EQ(ObjectsOfType(info, "file").size(), 2u);
  EXPECT_EQ(ObjectsOfType(info, "indicator").size(), 1u);
}

// --- OTX ----------------------------------------------------------------------

TEST(Otx, PulseBecomesAReportWithEveryIndicatorType) {
  auto out = ReadPath("otx", DataDir() / "otx_pulse.json");
  ASSERT_TRUE(out.status.ok()) << out.status.error().ToString();
  EXPECT_TRUE(testing::InvalidObjects(out).empty()) << testing::InvalidObjects(out)[0];
  ASSERT_EQ(out.sink.records.size(), 1u);
  auto reports = ObjectsOfType(out, "report");
  ASSERT_EQ(reports.size(), 1u);
  const Json& report = reports[0];
  EXPECT_EQ(Str(report, "id"), DeterministicId("report", "otx|65f0c0ffee0000000000abcd"));
  EXPECT_EQ(Str(report, "published"), "2024-03-12T08:00:00.123000Z");
  EXPECT_EQ(report.Find("labels")->as_array().size(), 2u);
  EXPECT_EQ(report.Find("object_marking_refs")->as_array()[0].as_string(),
            stix::Tlp2MarkingId(stix::TlpLevel::kAmber));
  EXPECT_EQ(report.Find("external_references")->as_array().size(), 3u);
  EXPECT_EQ(Values(out, "threat-actor", "name"), (std::vector<std::string>{"Example Spider"}));
  EXPECT_EQ(Values(out, "malware", "name"),
            (std::vector<std::string>{"Example Loader", "ExampleRAT"}));
  EXPECT_EQ(Values(out, "attack-pattern", "name"),
            (std::vector<std::string>{"Spearphishing Attachment", "T1059"}));
  EXPECT_EQ(Values(out, "identity", "name"), (std::vector<std::string>{"example_author"}));
  EXPECT_EQ(Values(out, "ipv6-addr"), (std::vector<std::string>{"2001:db8::99"}));
  EXPECT_EQ(Values(out, "domain-name"),
            (std::vector<std::string>{"login.example-bank.test", "example-bank.test"}));
  EXPECT_EQ(Values(out, "mutex", "name"), (std::vector<std::string>{"ExampleLoaderMutex_42"}));
  EXPECT_EQ(Values(out, "vulnerability", "name"), (std::vector<std::string>{"CVE-2017-11882"}));
  std::vector<std::string> types;
  for (const Json& i : ObjectsOfType(out, "indicator")) types.push_back(Str(i, "pattern_type"));
  EXPECT_EQ(types.size(), 12u);  // 16 less the CVE and three that do not map
  EXPECT_EQ(std::count(types.begin(), types.end(), "yara"), 1);
  // Every object of the record is in the report (markings and definitions aside).
  size_t refs = report.Find("object_refs")->as_array().size();
  size_t others = 0;
  for (const Json& o : testing::Objects(out)) {
    std::string type = Str(o, "type");
    if (type != "report" && type != "marking-definition" && type != "extension-definition" &&
        type != "identity") {
      ++others;
    }
  }
  EXPECT_EQ(refs, others);
  // The three indicators that do not map stay with the report, with their reason.
  const Json* fields = report.Find("extensions")->Find(kSourceFieldsExtensionId)->Find("fields");
  ASSERT_NE(fields, nullptr);
  EXPECT_EQ(fields->Find("unmapped_indicators")->as_array().size(), 3u);
}

TEST(Otx, ResultsPageStreamsPulsesAndRejectsEmptyOnes) {
  auto out = ReadPath("otx", DataDir() / "otx_results.json");
  ASSERT_TRUE(out.status.ok());
  EXPECT_TRUE(testing::InvalidObjects(out).empty());
  ASSERT_EQ(out.sink.records.size(), 1u);
  ASSERT_EQ(out.sink.rejects.size(), 1u);
  EXPECT_EQ(out.sink.rejects[0].position.record, 1u);
  EXPECT_NE(out.sink.rejects[0].reason.find("no indicator of the pulse could be mapped"),
            std::string::npos);
  EXPECT_EQ(ObjectsOfType(out, "report")[0].Find("object_marking_refs")->as_array()[0].as_string(),
            stix::Tlp2MarkingId(stix::TlpLevel::kGreen));
}

// --- Generic ------------------------------------------------------------------

TEST(JsonFeed, MappingFromOptions) {
  ReadContext context = testing::TestContext();
  context.options = {{"map", "addr=ip!,seen=first_seen,family=malware,labels=tags"}};
  auto out = ReadPath("jsonfeed", DataDir() / "jsonfeed_generic.jsonl", context);
  ASSERT_TRUE(out.status.ok()) << out.status.error().ToString();
  EXPECT_TRUE(testing::InvalidObjects(out).empty());
  EXPECT_EQ(Values(out, "ipv4-addr"), (std::vector<std::string>{"192.0.2.10", "192.0.2.11"}));
  ASSERT_EQ(out.sink.rejects.size(), 2u);
  EXPECT_EQ(out.sink.rejects[0].position.line, 3u);
  EXPECT_NE(out.sink.rejects[0].reason.find("no observable in the entry normalized"),
            std::string::npos);
  EXPECT_EQ(out.sink.rejects[1].position.line, 4u);
  EXPECT_EQ(Str(ObjectsOfType(out, "indicator")[0], "valid_from"), "2023-11-14T22:13:20.000Z");

  ReadContext bad = testing::TestContext();
  bad.options = {{"map", "addr=nonsense"}};
  EXPECT_FALSE(ReadBytes("jsonfeed", "[]", bad).status.ok());
  EXPECT_FALSE(ReadBytes("jsonfeed", "[]").status.ok());  // no map
  bad.options = {{"colour", "red"}};
  EXPECT_FALSE(ReadBytes("threatfox", "[]", bad).status.ok());
}

TEST(JsonFeeds, BadInputIsRejectedOrRefusedNeverFatal) {
  // Entries that are not objects, broken JSON, a cut-short array.
  auto out = ReadBytes("feodotracker", "[1, {\"ip_address\": }, {\"ip_address\": \"192.0.2.1\"}, {\"x\":");
  ASSERT_TRUE(out.status.ok());
  EXPECT_EQ(out.sink.records.size(), 1u);
  ASSERT_EQ(out.sink.rejects.size(), 3u);
  EXPECT_EQ(out.sink.rejects[0].reason, "the entry is not a JSON object");
  EXPECT_NE(out.sink.rejects[1].reason.find("not valid JSON"), std::string::npos);
  EXPECT_EQ(out.sink.rejects[1].position.byte_offset, 4u);
  // Nothing JSON at all: the input as a whole is refused.
  EXPECT_FALSE(ReadBytes("feodotracker", "").status.ok());
  EXPECT_FALSE(ReadBytes("feodotracker", "}").status.ok());
}

// --- Detection ------------------------------------------------------------------

std::string Detect(const std::filesystem::path& path) {
  auto input = Input::Open(path.string());
  if (!input.ok()) return "unreadable";
  auto best = DetectFormat(*input);
  return best.ok() ? best->format->name : "unknown";
}

struct CorpusCase {
  const char* format;
  const char* file;  // under corpora/feeds/intelmq/
  const char* golden;
};

const CorpusCase kCorpus[] = {
    {"feodotracker", "abusech/feodotracker_ipblocklist.json", "feodotracker_ipblocklist"},
    {"otx", "alienvault/otx_pulses__test_parser_otx.data", "otx_pulses"},
    {"anubisnetworks", "anubisnetworks/anubisnetworks_cyberfeed__example_report3.json",
     "anubisnetworks_cyberfeed"},
    {"blueliv-crimeserver", "blueliv/blueliv_crimeserver__test_parser_crimeserver.data",
     "blueliv_crimeserver"},
    {"cleanmx", "cleanmx/cleanmx_phishing__xmlphishing", "cleanmx_phishing"},
    {"cznic-proki", "cznic/cznic_proki__example_proki.json", "cznic_proki"},
    {"eset-eti", "eset/eset_1_event.json", "eset_1_event"},
    {"eset-eti", "eset/eset_2_nxdomain.json", "eset_2_nxdomain"},
    {"intelmq-json", "json/intelmq_json_1_oneline_report.json", "intelmq_json_1_oneline_report"},
    {"intelmq-json", "json/intelmq_json_2_multiline_report__data.json",
     "intelmq_json_2_multiline_report"},
    {"intelmq-json", "json/intelmq_json_3_default_event__data2.json",
     "intelmq_json_3_default_event"},
    {"microsoft-bingmurls", "microsoft/bingmurls__bingmurls.json", "bingmurls"},
    {"microsoft-ctip", "microsoft/ctip__ctip.txt", "ctip"},
    {"n6", "n6/n6_1_event.json", "n6_1_event"},
    {"n6", "n6/n6_2_blacklist.json", "n6_2_blacklist"},
    {"n6", "n6/n6_3_no_address.json", "n6_3_no_address"},
    {"n6", "n6/n6_4_futher_ios.json", "n6_4_futher_ios"},
    {"phishtank", "phishtank/phishtank.json", "phishtank"},
    {"shodan", "shodan/shodan_1_minimal_ftp.json", "shodan_1_minimal_ftp"},
    {"shodan", "shodan/shodan_2_minimal_http.json", "shodan_2_minimal_http"},
};

struct FixtureCase {
  const char* format;
  const char* file;  // under tests/data/formats/jsonfeeds/
};

const FixtureCase kFixtures[] = {
    {"threatfox", "threatfox_api.json"},         {"threatfox", "threatfox_export.json"},
    {"urlhaus-json", "urlhaus_urls.json"},       {"urlhaus-json", "urlhaus_payloads.json"},
    {"urlhaus-json", "urlhaus_url_info.json"},   {"otx", "otx_pulse.json"},
    {"otx", "otx_results.json"},
};

TEST(JsonFeeds, DetectionPicksTheRightReaderForEveryCorpusFile) {
  TESSERA_REQUIRE_SHARED();
  for (const CorpusCase& c : kCorpus) EXPECT_EQ(Detect(CorpusDir() / c.file), c.format) << c.file;
}

TEST(JsonFeeds, DetectionPicksTheRightReaderForTheFixtures) {
  for (const FixtureCase& c : kFixtures) EXPECT_EQ(Detect(DataDir() / c.file), c.format) << c.file;
}

// --- Goldens ------------------------------------------------------------------

TEST(JsonFeedsGolden, CorpusFiles) {
  TESSERA_REQUIRE_SHARED();
  for (const CorpusCase& c : kCorpus) {
    SCOPED_TRACE(c.file);
    auto out = ReadPath(c.format, CorpusDir() / c.file);
    ASSERT_TRUE(out.status.ok()) << out.status.error().ToString();
    auto invalid = testing::InvalidObjects(out);
    EXPECT_TRUE(invalid.empty()) << invalid.front();
    std::string name = std::filesystem::path(c.file).filename().string();
    testing::ExpectGolden(testing::Render(out, name),
                          std::filesystem::path("jsonfeeds") / (std::string(c.golden) + ".json"));
  }
}

TEST(JsonFeedsGolden, Fixtures) {
  for (const FixtureCase& c : kFixtures) {
    SCOPED_TRACE(c.file);
    auto out = ReadPath(c.format, DataDir() / c.file);
    ASSERT_TRUE(out.status.ok()) << out.status.error().ToString();
    auto invalid = testing::InvalidObjects(out);
    EXPECT_TRUE(invalid.empty()) << invalid.front();
    std::string stem = std::filesystem::path(c.file).stem().string();
    testing::ExpectGolden(testing::Render(out, c.file),
                          std::filesystem::path("jsonfeeds") / ("fixture_" + stem + ".json"));
  }
}

}  // namespace
}  // namespace tessera::formats
