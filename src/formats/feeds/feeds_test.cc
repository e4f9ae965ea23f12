// The feed readers' behaviour: the generic csv reader and its options, headers,
// quoting across lines and chunks, rejects with positions, the bundled
// definitions, detection.
#include "formats/feeds/feeds.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "formats/registry.h"
#include "testing/format_golden.h"

namespace tessera::formats::feeds {
namespace {

using core::Json;
using testing::ObjectsOfType;
using testing::ReadBytes;
using testing::ReadOutcome;

ReadContext With(std::vector<std::pair<std::string, std::string>> options) {
  ReadContext context = testing::TestContext();
  context.options = std::move(options);
  return context;
}

std::string Str(const Json& object, std::string_view key) {
  const Json* v = object.Find(key);
  return v != nullptr && v->is_string() ? v->as_string() : std::string();
}

const Json* Fields(const Json& object) {
  const Json* ext = object.Find("extensions");
  if (ext == nullptr) return nullptr;
  const Json* source = ext->Find("extension-definition--3f1c9a7e-6b2d-4c8e-9f05-7a1b2c3d4e5f");
  return source == nullptr ? nullptr : source->Find("fields");
}

// The reason of the first rejected row, or "".
std::string FirstReject(const ReadOutcome& out) {
  return out.sink.rejects.empty() ? std::string() : out.sink.rejects[0].reason;
}

// Reads `text` as `format` after checking that detection picks `detected` (by
// default `format`) for it.
ReadOutcome DetectAndRead(const std::string& format, const std::string& text,
                          const std::string& detected = "") {
  Input probe = Input::FromString(text, "probe");
  auto found = DetectFormat(probe);
  EXPECT_TRUE(found.ok());
  if (found.ok()) {
    EXPECT_EQ(found->format->name, detected.empty() ? format : detected);
  }
  ReadOutcome out = ReadBytes(format, text);
  EXPECT_TRUE(out.status.ok());
  return out;
}

TEST(FeedDefinitions, BundledOnesParseAndHaveUniqueNames) {
  for (const core::Error& e : BundledDefinitionErrors()) ADD_FAILURE() << e.ToString();
  EXPECT_GE(BundledDefinitions().size(), 30u);
  std::set<std::string> names;
  for (const Format& f : AllFormats()) {
    EXPECT_TRUE(names.insert(f.name).second) << "two formats named " << f.name;
  }
  for (const FeedDefinition& def : BundledDefinitions()) {
    const Format* f = FindFormat(def.name);
    ASSERT_NE(f, nullptr) << def.name;
    EXPECT_FALSE(f->description.empty()) << def.name;
  }
  ASSERT_NE(FindFormat("csv"), nullptr);
}

TEST(CsvReader, ColumnMappingFromOptions) {
  std::string csv =
      "time,junk,url,malware\n"
      "2024-01-02 03:04:05,x,HTTP://Evil.Example.com/a/../b,emotet\n";
  ReadOutcome out =
      ReadBytes("csv", csv, With({{"columns", "time:first_seen,,url:url,malware:label"}}));
  ASSERT_TRUE(out.status.ok()) << out.status.error().ToString();
  ASSERT_EQ(out.sink.records.size(), 1u);
  EXPECT_TRUE(out.sink.rejects.empty());
  EXPECT_EQ(out.sink.records[0].position.ToString(), "input:2");
  EXPECT_EQ(out.sink.records[0].position.byte_offset, csv.find("2024"));
  auto urls = ObjectsOfType(out, "url");
  ASSERT_EQ(urls.size(), 1u);
  EXPECT_EQ(Str(urls[0], "value"), "http://evil.example.com/b");
  auto indicators = ObjectsOfType(out, "indicator");
  ASSERT_EQ(indicators.size(), 1u);
  EXPECT_EQ(Str(indicators[0], "pattern"), "[url:value = 'http://evil.example.com/b']");
  EXPECT_EQ(Str(indicators[0], "valid_from"), "2024-01-02T03:04:05.000Z");
  EXPECT_EQ(core::WriteJson(*indicators[0].Find("labels")), "[\"emotet\"]");
  // The unmapped column is a source field under its header name.
  ASSERT_NE(Fields(indicators[0]), nullptr);
  EXPECT_EQ(core::WriteJson(*Fields(indicators[0])), "{\"junk\":\"x\"}");
  EXPECT_EQ(ObjectsOfType(out, "relationship").size(), 1u);
  EXPECT_TRUE(testing::InvalidObjects(out).empty());
}

TEST(CsvReader, ObservationsWhenNotAnIndicatorFeed) {
  ReadOutcome out =
      ReadBytes("csv", "198.51.100.1;scan\n198.51.100.2;scan\n", With({{"indicator", "no"}}));
  ASSERT_TRUE(out.status.ok());
  ASSERT_EQ(out.sink.records.size(), 2u);
  EXPECT_TRUE(ObjectsOfType(out, "indicator").empty());
  auto observed = ObjectsOfType(out, "observed-data");
  ASSERT_EQ(observed.size(), 2u);
  EXPECT_EQ(Str(observed[0], "first_observed"), testing::kTestNow);
  EXPECT_EQ(core::WriteJson(*observed[0].Find("number_observed")), "1");
  EXPECT_EQ(core::WriteJson(*Fields(observed[0])), "{\"column_2\":\"scan\"}");
  EXPECT_NE(Str(observed[0], "id"), Str(observed[1], "id"));
  EXPECT_TRUE(testing::InvalidObjects(out).empty());
}

TEST(CsvReader, HeaderNamesAreGuessedWithoutAMapping) {
  std::string csv =
      "first_seen,ip_address,domain,tags,comment\n"
      "2024-05-06 07:08:09,198.51.100.3,Example.ORG,\"a,b\",hello\n";
  ReadOutcome out = ReadBytes("csv", csv);
  ASSERT_TRUE(out.status.ok());
  ASSERT_EQ(out.sink.records.size(), 1u);
  EXPECT_EQ(ObjectsOfType(out, "ipv4-addr").size(), 1u);
  auto domains = ObjectsOfType(out, "domain-name");
  ASSERT_EQ(domains.size(), 1u);
  EXPECT_EQ(Str(domains[0], "value"), "example.org");
  auto indicators = ObjectsOfType(out, "indicator");
  ASSERT_EQ(indicators.size(), 1u);
  EXPECT_EQ(Str(indicators[0], "pattern"), "[ipv4-addr:value = '198.51.100.3']");
  EXPECT_EQ(Str(indicators[0], "valid_from"), "2024-05-06T07:08:09.000Z");
  EXPECT_EQ(core::WriteJson(*indicators[0].Find("labels")), "[\"a\",\"b\"]");
  EXPECT_EQ(Str(indicators[0], "description"), "hello");
}

TEST(CsvReader, ValuesAreClassifiedWithoutAHeader) {
  ReadOutcome out = ReadBytes("csv",
                              "evil.example.net,some text,44d88612fea8a8f36de82e1278abb02f\n"
                              "not an observable,more text,also not\n");
  ASSERT_TRUE(out.status.ok());
  ASSERT_EQ(out.sink.records.size(), 1u);
  EXPECT_EQ(ObjectsOfType(out, "domain-name").size(), 1u);
  EXPECT_EQ(ObjectsOfType(out, "file").size(), 1u);
  ASSERT_EQ(out.sink.rejects.size(), 1u);
  EXPECT_EQ(out.sink.rejects[0].position.ToString(), "input:2");
  EXPECT_NE(out.sink.rejects[0].reason.find("no observable in the row"), std::string::npos);
  EXPECT_EQ(out.sink.rejects[0].raw, "not an observable,more text,also not");
}

TEST(CsvReader, KindOptionReadsAListOfOneKind) {
  ReadOutcome out = ReadBytes("csv", "# urls\nhxxp://bad[.]example/x\nexample.com\n",
                              With({{"kind", "url"}, {"delimiter", "none"}}));
  ASSERT_TRUE(out.status.ok());
  ASSERT_EQ(out.sink.records.size(), 1u);
  EXPECT_EQ(Str(ObjectsOfType(out, "url")[0], "value"), "http://bad.example/x");
  ASSERT_EQ(out.sink.rejects.size(), 1u);
  EXPECT_EQ(out.sink.rejects[0].position.ToString(), "input:3");
  EXPECT_NE(out.sink.rejects[0].reason.find("example.com"), std::string::npos);
}

TEST(CsvReader, RejectsNameTheColumnAndKeepPositions) {
  std::string csv =
      "url,first\n"
      "http://ok.example/,2024-01-01 00:00:00\n"
      "not a url,2024-01-01 00:00:00\n"
      "http://ok2.example/,yesterday\n"
      "http://ok3.example/\n"
      "http://ok4.example/,2024-01-01 00:00:00\n";
  ReadOutcome out = ReadBytes("csv", csv, With({{"columns", "url:url,first:first_seen"}}));
  ASSERT_TRUE(out.status.ok());
  ASSERT_EQ(out.sink.records.size(), 2u);
  ASSERT_EQ(out.sink.rejects.size(), 3u);
  EXPECT_EQ(out.sink.rejects[0].position.ToString(), "input:3");
  EXPECT_EQ(out.sink.rejects[0].position.byte_offset, csv.find("not a url"));
  EXPECT_EQ(out.sink.rejects[0].position.record, 1u);
  EXPECT_NE(out.sink.rejects[0].reason.find("column 'url': 'not a url'"), std::string::npos);
  EXPECT_EQ(out.sink.rejects[0].raw, "not a url,2024-01-01 00:00:00");
  EXPECT_NE(out.sink.rejects[1].reason.find("column 'first': 'yesterday' is not a time"),
            std::string::npos);
  EXPECT_EQ(out.sink.rejects[2].reason, "the row has 1 field where 2 are expected");
  EXPECT_EQ(out.sink.records[1].position.ToString(), "input:6");
  EXPECT_EQ(out.sink.records[1].position.record, 4u);
}

TEST(CsvReader, QuotedFieldsSpanLinesAndChunks) {
  // A multi-line quoted field across the reader's 1 MiB chunk boundary.
  std::string csv = "url,note\n";
  int rows = 0;
  while (csv.size() < (size_t{1} << 20) + 300000) {
    csv += "http://h" + std::to_string(rows) +
           ".example.com/,\"line one\nline \"\"two\"\", with comma\"\n";
    ++rows;
  }
  ReadOutcome out = ReadBytes("csv", csv, With({{"columns", "url:url,note:description"}}));
  ASSERT_TRUE(out.status.ok());
  ASSERT_EQ(out.sink.records.size(), static_cast<size_t>(rows));
  EXPECT_TRUE(out.sink.rejects.empty());
  const Record& last = out.sink.records.back();
  EXPECT_EQ(last.position.line, 2u + 2u * static_cast<uint64_t>(rows - 1));
  EXPECT_EQ(last.position.byte_offset, csv.rfind("http://"));
  auto indicators = testing::Objects(out);
  std::string description;
  for (const Json& o : indicators) {
    if (Str(o, "type") == "indicator") description = Str(o, "description");
  }
  EXPECT_EQ(description, "line one\nline \"two\", with comma");
}

TEST(CsvReader, AnUnterminatedQuoteCostsOneLine) {
  ReadOutcome out = ReadBytes("csv", "url,note\nhttp://a.example/,\"oops\nhttp://b.example/,fine\n",
                              With({{"columns", "url:url,note"}}));
  ASSERT_TRUE(out.status.ok());
  ASSERT_EQ(out.sink.rejects.size(), 1u);
  EXPECT_EQ(out.sink.rejects[0].position.line, 2u);
  EXPECT_NE(out.sink.rejects[0].reason.find("never closed"), std::string::npos);
  ASSERT_EQ(out.sink.records.size(), 1u);
  EXPECT_EQ(out.sink.records[0].position.line, 3u);
}

TEST(CsvReader, SniffsTheDelimiter) {
  for (std::string_view sep : {";", "\t", "|", " "}) {
    std::string csv = "198.51.100.1" + std::string(sep) + "a" + std::string(sep) + "x\n" +
                      "198.51.100.2" + std::string(sep) + "b" + std::string(sep) + "y\n";
    ReadOutcome out = ReadBytes("csv", csv);
    ASSERT_TRUE(out.status.ok());
    EXPECT_EQ(out.sink.records.size(), 2u) << "separator '" << sep << "'";
    auto ind = ObjectsOfType(out, "indicator");
    ASSERT_FALSE(ind.empty());
    EXPECT_EQ(core::WriteJson(*Fields(ind[0])), "{\"column_2\":\"a\",\"column_3\":\"x\"}");
  }
}

TEST(CsvReader, OptionsAreChecked) {
  EXPECT_FALSE(ReadBytes("csv", "a\n", With({{"colums", "url"}})).status.ok());
  EXPECT_FALSE(ReadBytes("csv", "a\n", With({{"columns", "u:nonsense"}})).status.ok());
  EXPECT_FALSE(ReadBytes("csv", "a\n", With({{"header", "maybe"}})).status.ok());
  EXPECT_FALSE(ReadBytes("csv", "a\n", With({{"definition", "/nonexistent.toml"}})).status.ok());
  EXPECT_FALSE(ReadBytes("urlhaus", "a\n", With({{"columns", "url"}})).status.ok());
  auto tlp = ReadBytes("csv", "198.51.100.1\n198.51.100.2\n", With({{"tlp", "amber+strict"}}));
  ASSERT_TRUE(tlp.status.ok());
  ASSERT_EQ(tlp.sink.records.size(), 2u);
  // The marking definition comes with the first record that uses it.
  EXPECT_EQ(tlp.sink.records[0].objects.front().type, "marking-definition");
  EXPECT_NE(tlp.sink.records[1].objects.front().type, "marking-definition");
  for (const Json& o : testing::Objects(tlp)) {
    if (Str(o, "type") == "marking-definition") continue;
    ASSERT_NE(o.Find("object_marking_refs"), nullptr) << Str(o, "type");
  }
  EXPECT_TRUE(testing::InvalidObjects(tlp).empty());
}

TEST(CsvReader, ReadsADefinitionFile) {
  std::filesystem::path dir = testing::SourceDir() / "tests" / "data" / "formats" / "feeds";
  ReadOutcome out = testing::ReadPath("csv", dir / "everything.csv",
                                      With({{"definition", (dir / "everything.toml").string()}}));
  ASSERT_TRUE(out.status.ok()) << out.status.error().ToString();
  EXPECT_GE(out.sink.records.size(), 6u);
  EXPECT_TRUE(testing::InvalidObjects(out).empty()) << testing::InvalidObjects(out).front();
  testing::ExpectGolden(testing::Render(out, "everything.csv"), "feeds/everything.json");
}

TEST(BundledFeeds, UrlhausDumpBindsColumnsByTheCommentHeader) {
  // The current dump has last_online, which older dumps lack.
  std::string dump =
      "################################################################\n"
      "# abuse.ch URLhaus Database Dump (CSV - recent URLs)           #\n"
      "################################################################\n"
      "#\n"
      "# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter\n"
      "\"3001\",\"2024-01-02 03:04:05\",\"http://1.2.3.4:8080/bins/x.arm\",\"online\","
      "\"2024-01-03 00:00:00\",\"malware_download\",\"elf,mirai\","
      "\"https://urlhaus.abuse.ch/url/3001/\",\"someone\"\n";
  ReadOutcome out = DetectAndRead("urlhaus", dump);
  ASSERT_EQ(out.sink.records.size(), 1u) << FirstReject(out);
  auto ind = ObjectsOfType(out, "indicator");
  ASSERT_EQ(ind.size(), 1u);
  EXPECT_EQ(Str(ind[0], "valid_from"), "2024-01-02T03:04:05.000Z");
  EXPECT_EQ(core::WriteJson(*ind[0].Find("labels")), "[\"malware_download\",\"elf\",\"mirai\"]");
  EXPECT_EQ(core::WriteJson(*ind[0].Find("external_references")),
            "[{\"source_name\":\"urlhaus\",\"url\":\"https://urlhaus.abuse.ch/url/3001/\","
            "\"external_id\":\"3001\"}]");
  EXPECT_EQ(core::WriteJson(*Fields(ind[0])),
            "{\"url_status\":\"online\",\"last_online\":\"2024-01-03 00:00:00\","
            "\"reporter\":\"someone\"}");
}

// The header's names outlive later comment lines, even when a name came from
// the splitter's unescape buffer ("reporter"x) and a longer quoted comment
// makes that buffer grow.
TEST(BundledFeeds, CommentHeaderSurvivesLaterQuotedComments) {
  std::string dump =
      "# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,\"reporter\"x\n"
      "# \"" + std::string(4096, 'q') + "\"\n"
      "3001,2024-01-02 03:04:05,http://1.2.3.4:8080/bins/x.arm,online,,malware_download,,"
      "https://urlhaus.abuse.ch/url/3001/,someone\n";
  ReadOutcome out = DetectAndRead("urlhaus", dump);
  ASSERT_EQ(out.sink.records.size(), 1u) << FirstReject(out);
  auto ind = ObjectsOfType(out, "indicator");
  ASSERT_EQ(ind.size(), 1u);
  EXPECT_EQ(Str(ind[0], "valid_from"), "2024-01-02T03:04:05.000Z");
  EXPECT_EQ(core::WriteJson(*Fields(ind[0])),
            "{\"url_status\":\"online\",\"reporterx\":\"someone\"}");
}

TEST(BundledFeeds, CertificateFingerprintsAreCertificates) {
  std::string sslbl =
      "# abuse.ch SSLBL SSL Certificate Blacklist (SHA1 Fingerprints)\n"
      "# Listingdate,SHA1,Listingreason\n"
      "2024-01-02 03:04:05,0123456789ABCDEF0123456789ABCDEF01234567,AsyncRAT C&C\n";
  ReadOutcome out = DetectAndRead("sslbl", sslbl);
  ASSERT_EQ(out.sink.records.size(), 1u) << FirstReject(out);
  auto certs = ObjectsOfType(out, "x509-certificate");
  ASSERT_EQ(certs.size(), 1u);
  EXPECT_EQ(core::WriteJson(*certs[0].Find("hashes")),
            "{\"SHA-1\":\"0123456789abcdef0123456789abcdef01234567\"}");
  EXPECT_EQ(Str(ObjectsOfType(out, "indicator")[0], "pattern"),
            "[x509-certificate:hashes.'SHA-1' = '0123456789abcdef0123456789abcdef01234567']");
  EXPECT_TRUE(testing::InvalidObjects(out).empty()) << testing::InvalidObjects(out).front();
}

TEST(BundledFeeds, ThreatFoxKindsComeFromTheTypeColumn) {
  std::string csv =
      "# ThreatFox IOCs: CSV export\n"
      "# \"first_seen_utc\",\"ioc_id\",\"ioc_value\",\"ioc_type\",\"threat_type\",\"fk_malware\","
      "\"malware_alias\",\"malware_printable\",\"last_seen_utc\",\"confidence_level\","
      "\"reference\","
      "\"tags\",\"anonymous\",\"reporter\"\n"
      "\"2024-01-02 03:04:05\", \"101\", \"198.51.100.5:443\", \"ip:port\", \"botnet_cc\", "
      "\"win.cobalt_strike\", \"Agentemis\", \"Cobalt Strike\", \"\", \"75\", \"\", \"c2,cs\", "
      "\"0\", "
      "\"abuse_ch\"\n"
      "\"2024-01-02 03:04:06\", \"102\", \"bad.example.net\", \"domain\", \"botnet_cc\", "
      "\"win.cobalt_strike\", \"\", \"Cobalt Strike\", \"\", \"50\", \"\", \"\", \"0\", "
      "\"abuse_ch\"\n";
  ReadOutcome out = DetectAndRead("threatfox-csv", csv);
  ASSERT_EQ(out.sink.records.size(), 2u) << FirstReject(out);
  auto ind = ObjectsOfType(out, "indicator");
  ASSERT_EQ(ind.size(), 2u);
  EXPECT_EQ(Str(ind[0], "pattern"), "[ipv4-addr:value = '198.51.100.5']");
  EXPECT_EQ(core::WriteJson(*ind[0].Find("confidence")), "75");
  EXPECT_EQ(Str(*Fields(ind[0]), "ioc_value"), "198.51.100.5:443");
  EXPECT_EQ(Str(ind[1], "pattern"), "[domain-name:value = 'bad.example.net']");
  auto malware = ObjectsOfType(out, "malware");
  ASSERT_EQ(malware.size(), 2u);
  EXPECT_EQ(Str(malware[0], "name"), "Cobalt Strike");
  EXPECT_EQ(Str(malware[0], "id"), Str(malware[1], "id"));
  EXPECT_TRUE(testing::InvalidObjects(out).empty()) << testing::InvalidObjects(out).front();
}

// The bundled definitions without a corpus sample, on samples in their
// published layouts: detected, read, and the first indicator's pattern.
TEST(BundledFeeds, PublishedLayouts) {
  struct Sample {
    std::string format;
    std::string text;
    size_t records;
    std::string pattern;
    std::string detected;  // "" = format
  };
  const std::vector<Sample> samples = {
      {"feodotracker-csv",
       "################################################################\n"
       "# abuse.ch Feodo Tracker Botnet C2 IP Blocklist (CSV)          #\n"
       "# Last updated: 2024-03-01 10:00:00 UTC                        #\n"
       "################################################################\n#\n"
       "# \"first_seen_utc\",\"dst_ip\",\"dst_port\",\"c2_status\",\"last_online\",\"malware\"\n"
       "\"2021-01-17 07:44:46\",\"198.51.100.32\",\"4643\",\"online\",\"2024-03-01\",\"Dridex\"\n",
       1, "[ipv4-addr:value = '198.51.100.32']", ""},
      {"sslbl-ip",
       "################################################################\n"
       "# abuse.ch SSLBL Botnet C2 IP Blacklist (CSV)                  #\n"
       "# Last updated: 2024-03-01 10:00:00 UTC                        #\n"
       "################################################################\n#\n"
       "# Firstseen,DstIP,DstPort\n2024-03-01 06:42:02,198.51.100.44,443\n",
       1, "[ipv4-addr:value = '198.51.100.44']", ""},
      {"phishtank-csv",
       "phish_id,url,phish_detail_url,submission_time,verified,verification_time,online,target\n"
       "8123456,https://login.example.com/verify,http://www.phishtank.com/phish_detail.php?"
       "phish_id=8123456,2024-03-01T10:16:11+00:00,yes,2024-03-01T10:20:02+00:00,yes,Other\n",
       1, "[url:value = 'https://login.example.com/verify']", ""},
      {"spamhaus-edrop",
       "; Spamhaus EDROP List 2024/03/01 - (c) 2024 The Spamhaus Project SLU\n"
       "; https://www.spamhaus.org/drop/edrop.txt\n"
       "; Last-Modified: Fri, 01 Mar 2024 10:00:00 GMT\n"
       "203.0.113.0/24 ; SBL123456\n",
       1, "[ipv4-addr:value ISSUBSET '203.0.113.0/24']", ""},
      {"urlhaus-text",
       "################################################################\n"
       "# abuse.ch URLhaus Database Dump (TEXT)                        #\n"
       "# Last updated: 2024-03-01 10:00:00 UTC                        #\n"
       "################################################################\n"
       "http://198.51.100.7:8080/bins/x.arm\nhttps://bad.example.com/a.exe\n",
       2, "[url:value = 'http://198.51.100.7:8080/bins/x.arm']", ""},
      {"et-compromised-ips", "198.51.100.1\n198.51.100.2\n", 2,
       "[ipv4-addr:value = '198.51.100.1']", "lines"},
  };
  for (const Sample& sample : samples) {
    SCOPED_TRACE(sample.format);
    ReadOutcome out = DetectAndRead(sample.format, sample.text, sample.detected);
    EXPECT_TRUE(out.sink.rejects.empty()) << FirstReject(out);
    EXPECT_EQ(out.sink.records.size(), sample.records);
    auto indicators = ObjectsOfType(out, "indicator");
    ASSERT_FALSE(indicators.empty());
    EXPECT_EQ(Str(indicators[0], "pattern"), sample.pattern);
    EXPECT_TRUE(testing::InvalidObjects(out).empty()) << testing::InvalidObjects(out).front();
  }
}

TEST(Detection, GenericDelimitedDataScores20) {
  Detection d = DetectDelimited("a,b,c\n1,2,3\n4,5,6\n");
  EXPECT_EQ(d.score, 20);
  EXPECT_EQ(DetectDelimited("{\"a\": 1, \"b\": 2}\n").score, 0);
  EXPECT_EQ(DetectDelimited("<html><body>a,b</body></html>\n").score, 0);
  EXPECT_EQ(DetectDelimited("just some prose here.\nand another line of it!\n").score, 0);
  EXPECT_EQ(DetectDelimited(std::string("a,b\0c\n", 6)).score, 0);
}

TEST(Detection, NamedFeedsNeedTheirBannerAndShape) {
  const FeedDefinition* drop = nullptr;
  for (const FeedDefinition& def : BundledDefinitions()) {
    if (def.name == "spamhaus-drop") drop = &def;
  }
  ASSERT_NE(drop, nullptr);
  EXPECT_EQ(DetectDefinition(*drop, "; Spamhaus DROP List 2024/01/01\n1.2.3.0/24 ; SBL1\n").score,
            70);
  EXPECT_EQ(DetectDefinition(*drop, "; Spamhaus DROP List 2024/01/01\nnot a network ; x\n").score,
            0);
  EXPECT_EQ(DetectDefinition(*drop, "; Spamhaus EDROP List 2024/01/01\n1.2.3.0/24 ; SBL1\n").score,
            0);
  EXPECT_EQ(DetectDefinition(*drop, "1.2.3.0/24 ; SBL1\n").score, 0);
}

}  // namespace
}  // namespace tessera::formats::feeds
