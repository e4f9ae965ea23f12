// Format detection over every file of ../shared/corpora and over generated
// inputs: --from auto must pick the reader each file is in (a reviewed table),
// from the content alone.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "formats/input.h"
#include "formats/registry.h"
#include "testing/shared_data.h"

namespace tessera::formats {
namespace {

std::string Detect(Input& input) {
  auto got = DetectFormat(input);
  return got.ok() ? got->format->name : "unknown";
}

std::string DetectBytes(std::string bytes) {
  Input input = Input::FromString(std::move(bytes), "generated");
  return Detect(input);
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The IntelMQ feed samples, file by file (the format of each is its feed's).
// Bare lists that nothing identifies (blocklist.de, CI Army, OpenPhish) are
// read as lists; their feed definitions are chosen by name (docs/formats/feeds.md).
const std::vector<std::pair<std::string, std::string>>& FeedTable() {
  static const std::vector<std::pair<std::string, std::string>> kTable = {
      {"abusech/feodotracker_ipblocklist.json", "feodotracker"},
      {"abusech/urlhaus__urlhaus.txt", "urlhaus"},
      {"alienvault/otx_pulses__test_parser_otx.data", "otx"},
      {"anubisnetworks/anubisnetworks_cyberfeed__example_report3.json", "anubisnetworks"},
      {"bambenek/bambenek_c2_domains__c2-dommasterlist.txt", "bambenek-c2-domains"},
      {"bambenek/bambenek_c2_ips__c2-ipmasterlist.txt", "bambenek-c2-ips"},
      {"blocklistde/blocklistde_imap__imap.txt", "lines"},
      {"blueliv/blueliv_crimeserver__test_parser_crimeserver.data", "blueliv-crimeserver"},
      {"cert_eu/cert_eu__example.csv", "cert-eu"},
      {"ci_army/ci_army.txt", "lines"},
      {"cleanmx/cleanmx_phishing__xmlphishing", "cleanmx"},
      {"cymru/cymru_cap_infected__infected_20171031.txt", "cymru-cap"},
      {"cymru/cymru_full_bogons_1_ipv4_events.txt", "cymru-bogons"},
      {"cymru/cymru_full_bogons_2_ipv6_events.txt", "cymru-bogons"},
      {"cznic/cznic_proki__example_proki.json", "cznic-proki"},
      {"danger_rulez/danger_rulez.txt", "danger-rulez"},
      {"dshield/dshield_block__block.txt", "dshield-block"},
      {"eset/eset_1_event.json", "eset-eti"},
      {"eset/eset_2_nxdomain.json", "eset-eti"},
      {"generic/generic_csv__sample_report.csv", "csv"},
      {"html_table/viriback_html__test_viriback.data", "viriback"},
      {"json/intelmq_json_1_oneline_report.json", "intelmq-json"},
      {"json/intelmq_json_2_multiline_report__data.json", "intelmq-json"},
      {"json/intelmq_json_3_default_event__data2.json", "intelmq-json"},
      {"malc0de/malc0de_1_boot__BOOT", "malc0de-boot"},
      {"malc0de/malc0de_2_zone__ZONE", "malc0de-zone"},
      {"malc0de/malc0de_3_ip_blacklist__IP_Blacklist.txt", "malc0de-ip"},
      {"microsoft/bingmurls__bingmurls.json", "microsoft-bingmurls"},
      {"microsoft/ctip__ctip.txt", "microsoft-ctip"},
      {"n6/n6_1_event.json", "n6"},
      {"n6/n6_2_blacklist.json", "n6"},
      {"n6/n6_3_no_address.json", "n6"},
      {"n6/n6_4_futher_ios.json", "n6"},
      {"openphish/openphish__feed.txt", "lines"},
      {"phishtank/phishtank.json", "phishtank"},
      {"shadowserver/shadowserver_blocklist__blocklist.csv", "shadowserver-blocklist"},
      {"shadowserver/shadowserver_botnet_drone__botnet_drone.csv", "shadowserver-botnet-drone"},
      {"shadowserver/shadowserver_compromised_website__compromised_website.csv", "shadowserver-compromised-website"},
      {"shadowserver/shadowserver_ddos_amplification__ddos_amplification.csv", "shadowserver-ddos-amplification"},
      {"shadowserver/shadowserver_event4_sinkhole_http__event4_sinkhole_http.csv", "shadowserver-event4-sinkhole-http"},
      {"shadowserver/shadowserver_microsoft_sinkhole__microsoft_sinkhole.csv", "shadowserver-microsoft-sinkhole"},
      {"shadowserver/shadowserver_scan_dns__scan_dns.csv", "shadowserver-scan-dns"},
      {"shadowserver/shadowserver_scan_smb__test_smb.csv", "shadowserver-scan-smb"},
      {"shadowserver/shadowserver_scan_ssl_poodle__scan_ssl_poodle.csv", "shadowserver-scan-ssl-poodle"},
      {"shodan/shodan_1_minimal_ftp.json", "shodan"},
      {"shodan/shodan_2_minimal_http.json", "shodan"},
      {"spamhaus/spamhaus_drop__drop.txt", "spamhaus-drop"},
      {"turris/turris_greylist.txt", "turris-greylist"},
      {"vxvault/vxvault.html", "vxvault"},
      {"zoneh/zoneh_1_event__defacement_accepted.csv", "zoneh"},
      {"zoneh/zoneh_2_pending_event__defacement_pending.csv", "zoneh"},
  };
  return kTable;
}

// What every other corpus file is, by where it sits and what it is called.
std::string Expected(const std::string& path) {
  if (StartsWith(path, "feeds/intelmq/")) {
    std::string rest = path.substr(14);
    for (const auto& [file, format] : FeedTable()) {
      if (file == rest) return format;
    }
    return "(not in the table)";
  }
  if (path == "stix2/taxii21/medallion-default_data.json") return "unknown";  // TAXII server state
  if (StartsWith(path, "stix2/")) return "stix";
  if (EndsWith(path, ".expected-stix21.json")) return "stix";  // the elevator's outputs
  if (EndsWith(path, ".expected-stix1.xml")) return "stix1";   // openioc-to-stix outputs
  if (StartsWith(path, "stix1/")) return "stix1";
  if (StartsWith(path, "openioc/")) return "openioc";
  if (StartsWith(path, "iodef/")) return "iodef";
  if (StartsWith(path, "xarf/")) return "xarf";  // invalid reports too: rejected when read
  if (StartsWith(path, "misp/misp-stix-roundtrip/")) {
    if (EndsWith(path, ".xml")) return "stix1";
    if (path.find("_stix2") != std::string::npos) return "stix";
    return "misp";
  }
  if (StartsWith(path, "misp/feed/")) {
    if (EndsWith(path, "manifest.json")) return "misp-feed";  // reads the feed it lists
    if (EndsWith(path, "hashes.csv")) return "csv";
    return "misp";
  }
  if (StartsWith(path, "misp/events/")) return "misp";
  // Documentation tables and warning lists are not threat data to read.
  if (StartsWith(path, "misp/misp-stix-mappings/") || StartsWith(path, "misp/warninglists/")) {
    return "unknown";
  }
  if (StartsWith(path, "text/ioc-finder-cases/")) return "unknown";  // test cases, as JSON
  if (StartsWith(path, "text/")) return "text";
  return "(no rule)";
}

TEST(Detection, EveryCorpusFile) {
  TESSERA_REQUIRE_SHARED();
  std::filesystem::path root = testing::SharedDir() / "corpora";
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    std::string rel = std::filesystem::relative(e.path(), root).string();
    std::string name = e.path().filename().string();
    if (StartsWith(name, "LICENSE") || StartsWith(name, "COPYING") ||
        EndsWith(name, ".expected.json") || rel == "SOURCES.md" || rel == "MANIFEST.json") {
      continue;  // licences, and expectation files in our own test formats
    }
    files.push_back(rel);
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 370u);
  size_t checked = 0;
  for (const std::string& rel : files) {
    auto input = Input::Open((root / rel).string());
    ASSERT_TRUE(input.ok()) << rel;
    EXPECT_EQ(Detect(*input), Expected(rel)) << rel;
    ++checked;
  }
  EXPECT_EQ(checked, files.size());
  EXPECT_EQ(FeedTable().size(), 51u);
}

TEST(Detection, MispFeedFolders) {
  TESSERA_REQUIRE_SHARED();
  for (const char* feed : {"eset-sshdoor-feed", "misp-core-testfeed"}) {
    auto input = Input::Open((testing::SharedDir() / "corpora" / "misp" / "feed" / feed).string());
    ASSERT_TRUE(input.ok());
    EXPECT_EQ(Detect(*input), "misp-feed") << feed;
  }
}

// Generated inputs of many records: detection looks at the first 64 KiB only,
// and must still be right when that cuts a record in half.
TEST(Detection, GeneratedInputs) {
  std::string bundle = R"({"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": [)";
  std::string jsonl, list, prose, csv, misp = R"({"response": [)";
  csv += "################################################################\n"
         "# abuse.ch URLhaus Database Dump (CSV)                         #\n"
         "################################################################\n"
         "#\n# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter\n";
  for (int i = 0; i < 5000; ++i) {
    std::string n = std::to_string(i);
    std::string object = R"({"type": "domain-name", "spec_version": "2.1", "id": "domain-name--)" +
                         std::string("bedb4899-d24b-5401-bc86-8f6b4cc18ec7") +
                         R"(", "value": "host)" + n + R"(.example.com"})";
    bundle += (i > 0 ? ",\n" : "\n") + object;
    jsonl += object + "\n";
    list += "host" + n + ".example.com\n198.51.100." + std::to_string(i % 250) + "\n";
    prose += "On day " + n + " the operators moved their panel to host" + n +
             ".example.com, behind 198.51.100." + std::to_string(i % 250) + ".\n";
    csv += "\"" + n + "\",\"2026-11-28 11:02:13\",\"http://198.51.100.23/bins/" + n +
           "\",\"online\",\"\",\"malware_download\",\"elf\",\"https://urlhaus.abuse.ch/url/" + n +
           "/\",\"gen\"\n";
    misp += std::string(i > 0 ? "," : "") + R"({"Event": {"uuid": "5f0c2f8e-3d7a-4b1e-9c6f-2a8d4e6b1c30", "info": "generated )" +
            n + R"(", "date": "2026-10-14", "Attribute": [{"uuid": "0b6f1a2c-3d4e-4f5a-8b6c-7d8e9f0a1b2c", "type": "domain", "category": "Network activity", "to_ids": true, "value": "host)" +
            n + R"(.example.com"}]}})";
  }
  bundle += "]}";
  misp += "]}";
  EXPECT_EQ(DetectBytes(bundle), "stix");
  EXPECT_EQ(DetectBytes(jsonl), "stix-jsonl");
  EXPECT_EQ(DetectBytes(list), "lines");
  EXPECT_EQ(DetectBytes(csv), "urlhaus");
  EXPECT_EQ(DetectBytes(misp), "misp");
  EXPECT_EQ(DetectBytes(prose), "text");
  EXPECT_EQ(DetectBytes("{\"no\": \"format\"}"), "unknown");
  EXPECT_EQ(DetectBytes(""), "unknown");
}

}  // namespace
}  // namespace tessera::formats
