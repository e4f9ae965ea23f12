// The feed readers on real data: every delimited and text feed sample of
// ../shared/corpora/feeds/intelmq/ is read with its bundled definition (or the
// generic reader with IntelMQ's parameters), rendered against a reviewed golden
// under tests/golden/formats/feeds/, detected as the right format, and its
// observables compared with IntelMQ's expected parse (the sibling
// *.expected.json). The differences that are deliberate are listed in
// kDifferences and documented in docs/formats/feeds.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/hash.h"
#include "core/json.h"
#include "formats/feeds/feeds.h"
#include "formats/registry.h"
#include "normalize/classify.h"
#include "testing/format_golden.h"

namespace tessera::formats::feeds {
namespace {

using core::Json;
using testing::ReadOutcome;

struct CorpusCase {
  std::string file;      // under corpora/feeds/intelmq/
  std::string format;    // the reader
  std::string expected;  // the IntelMQ expectation beside it ("" when none)
  std::vector<std::pair<std::string, std::string>> options;
  std::string detected;  // what detection picks ("" = the same as format)
};

const std::vector<CorpusCase>& Cases() {
  static const std::vector<CorpusCase> kCases = {
      {"abusech/urlhaus__urlhaus.txt", "urlhaus", "abusech/urlhaus.expected.json", {}, ""},
      {"bambenek/bambenek_c2_domains__c2-dommasterlist.txt",
       "bambenek-c2-domains",
       "bambenek/bambenek_c2_domains.expected.json",
       {},
       ""},
      {"bambenek/bambenek_c2_ips__c2-ipmasterlist.txt",
       "bambenek-c2-ips",
       "bambenek/bambenek_c2_ips.expected.json",
       {},
       ""},
      // A bare list of addresses: nothing says it is blocklist.de.
      {"blocklistde/blocklistde_imap__imap.txt",
       "blocklistde",
       "blocklistde/blocklistde_imap.expected.json",
       {{"labels", "imap"}},
       "lines"},
      {"cert_eu/cert_eu__example.csv", "cert-eu", "cert_eu/cert_eu.expected.json", {}, ""},
      {"ci_army/ci_army.txt", "ci-army", "ci_army/ci_army.expected.json", {}, "lines"},
      {"cymru/cymru_cap_infected__infected_20171031.txt",
       "cymru-cap",
       "cymru/cymru_cap_infected.expected.json",
       {},
       ""},
      {"cymru/cymru_full_bogons_1_ipv4_events.txt",
       "cymru-bogons",
       "cymru/cymru_full_bogons_1_ipv4_events.expected.json",
       {},
       ""},
      {"cymru/cymru_full_bogons_2_ipv6_events.txt",
       "cymru-bogons",
       "cymru/cymru_full_bogons_2_ipv6_events.expected.json",
       {},
       ""},
      {"danger_rulez/danger_rulez.txt",
       "danger-rulez",
       "danger_rulez/danger_rulez.expected.json",
       {},
       ""},
      {"dshield/dshield_block__block.txt",
       "dshield-block",
       "dshield/dshield_block.expected.json",
       {},
       ""},
      // IntelMQ's generic CSV parser test, with its parameters as reader options.
      {"generic/generic_csv__sample_report.csv",
       "csv",
       "generic/generic_csv.expected.json",
       {{"columns", "time:first_seen,,description:description,,,url:url,ip:ip,fqdn:domain,"},
        {"delimiter", "tab"},
        {"assume_http", "yes"},
        {"labels", "malware-distribution"}},
       ""},
      {"html_table/viriback_html__test_viriback.data",
       "viriback",
       "html_table/viriback_html.expected.json",
       {},
       ""},
      {"malc0de/malc0de_1_boot__BOOT",
       "malc0de-boot",
       "malc0de/malc0de_1_boot.expected.json",
       {},
       ""},
      {"malc0de/malc0de_2_zone__ZONE",
       "malc0de-zone",
       "malc0de/malc0de_2_zone.expected.json",
       {},
       ""},
      {"malc0de/malc0de_3_ip_blacklist__IP_Blacklist.txt",
       "malc0de-ip",
       "malc0de/malc0de_3_ip_blacklist.expected.json",
       {},
       ""},
      {"openphish/openphish__feed.txt",
       "openphish",
       "openphish/openphish.expected.json",
       {},
       "lines"},
      {"shadowserver/shadowserver_blocklist__blocklist.csv",
       "shadowserver-blocklist",
       "shadowserver/shadowserver_blocklist.expected.json",
       {},
       ""},
      {"shadowserver/shadowserver_botnet_drone__botnet_drone.csv",
       "shadowserver-botnet-drone",
       "shadowserver/shadowserver_botnet_drone.expected.json",
       {},
       ""},
      {"shadowserver/shadowserver_compromised_website__compromised_website.csv",
       "shadowserver-compromised-website",
       "shadowserver/shadowserver_compromised_website.expected.json",
       {},
       ""},
      {"shadowserver/shadowserver_ddos_amplification__ddos_amplification.csv",
       "shadowserver-ddos-amplification",
       "shadowserver/shadowserver_ddos_amplification.expected.json",
       {},
       ""},
      {"shadowserver/shadowserver_event4_sinkhole_http__event4_sinkhole_http.csv",
       "shadowserver-event4-sinkhole-http",
       "shadowserver/shadowserver_event4_sinkhole_http.expected.json",
       {},
       ""},
      {"shadowserver/shadowserver_microsoft_sinkhole__microsoft_sinkhole.csv",
       "shadowserver-microsoft-sinkhole",
       "shadowserver/shadowserver_microsoft_sinkhole.expected.json",
       {},
       ""},
      {"shadowserver/shadowserver_scan_dns__scan_dns.csv",
       "shadowserver-scan-dns",
       "shadowserver/shadowserver_scan_dns.expected.json",
       {},
       ""},
      {"shadowserver/shadowserver_scan_smb__test_smb.csv",
       "shadowserver-scan-smb",
       "shadowserver/shadowserver_scan_smb.expected.json",
       {},
       ""},
      {"shadowserver/shadowserver_scan_ssl_poodle__scan_ssl_poodle.csv",
       "shadowserver-scan-ssl-poodle",
       "shadowserver/shadowserver_scan_ssl_poodle.expected.json",
       {},
       ""},
      {"spamhaus/spamhaus_drop__drop.txt",
       "spamhaus-drop",
       "spamhaus/spamhaus_drop.expected.json",
       {},
       ""},
      {"turris/turris_greylist.txt",
       "turris-greylist",
       "turris/turris_greylist.expected.json",
       {},
       ""},
      {"vxvault/vxvault.html", "vxvault", "vxvault/vxvault.expected.json", {}, ""},
      {"zoneh/zoneh_1_event__defacement_accepted.csv",
       "zoneh",
       "zoneh/zoneh_1_event.expected.json",
       {},
       ""},
      {"zoneh/zoneh_2_pending_event__defacement_pending.csv",
       "zoneh",
       "zoneh/zoneh_2_pending_event.expected.json",
       {},
       ""},
  };
  return kCases;
}

// Where IntelMQ and Tessera deliberately differ (docs/formats/feeds.md,
// "Agreement with IntelMQ"): an IntelMQ observable Tessera does not emit
// ("missing"), one Tessera emits and IntelMQ does not ("extra"), or a row Tessera
// rejects ("rejected", key = the row's text).
struct Difference {
  std::string file;
  std::string what;  // missing | extra | rejected
  std::string key;   // "<stix type>|<canonical value>", or the row for rejected
  std::string why;
};

const std::vector<Difference>& Differences() {
  static const std::vector<Difference> kDifferences = {
      // "www..example.com" has an empty label: not a host name (RFC 1035 §2.3.1),
      // so not a URL Tessera can canonicalize; IntelMQ keeps the text as given.
      {"openphish/openphish__feed.txt", "rejected", "http://www..example.com/phishing",
       "empty host label"},
      {"openphish/openphish__feed.txt", "rejected", "http://www..example.invalid/phishing",
       "empty host label"},
  };
  return kDifferences;
}

bool IsDifference(const std::string& file, const std::string& what, const std::string& key) {
  for (const Difference& d : Differences()) {
    if (d.file == file && d.what == what && d.key == key) return true;
  }
  return false;
}

std::filesystem::path CorpusDir() { return testing::SharedDir() / "corpora" / "feeds" / "intelmq"; }

std::string GoldenName(const std::string& file) {
  return std::filesystem::path(file).stem().string() + ".json";
}

ReadOutcome ReadCase(const CorpusCase& c) {
  ReadContext context = testing::TestContext();
  context.options = c.options;
  return testing::ReadPath(c.format, CorpusDir() / c.file, context);
}

TEST(FeedsCorpus, GoldenOutputs) {
  TESSERA_REQUIRE_SHARED();
  for (const CorpusCase& c : Cases()) {
    SCOPED_TRACE(c.file);
    ReadOutcome outcome = ReadCase(c);
    ASSERT_TRUE(outcome.status.ok()) << outcome.status.error().ToString();
    EXPECT_TRUE(testing::InvalidObjects(outcome).empty())
        << testing::InvalidObjects(outcome).front();
    std::string display = std::filesystem::path(c.file).filename().string();
    testing::ExpectGolden(testing::Render(outcome, display), "feeds/" + GoldenName(c.file));
  }
}

TEST(FeedsCorpus, DetectionPicksTheRightReader) {
  TESSERA_REQUIRE_SHARED();
  for (const CorpusCase& c : Cases()) {
    SCOPED_TRACE(c.file);
    auto input = Input::Open((CorpusDir() / c.file).string());
    ASSERT_TRUE(input.ok());
    auto detected = DetectFormat(*input);
    ASSERT_TRUE(detected.ok()) << detected.error().ToString();
    EXPECT_EQ(detected->format->name, c.detected.empty() ? c.format : c.detected)
        << detected->detection.reason;
  }
}

// No feed definition claims a corpus file that is not its feed, and the generic
// reader claims no prose, JSON or XML (only delimited samples and the
// hashes.csv of a MISP feed folder).
TEST(FeedsCorpus, DetectionClaimsNothingElse) {
  TESSERA_REQUIRE_SHARED();
  std::map<std::string, std::string> expected;  // corpus file -> definition
  for (const CorpusCase& c : Cases()) {
    if (c.detected.empty() && c.format != "csv") expected["feeds/intelmq/" + c.file] = c.format;
  }
  std::filesystem::path root = testing::SharedDir() / "corpora";
  size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::string rel = entry.path().lexically_relative(root).string();
    if (rel == "SOURCES.md" || rel == "MANIFEST.json") continue;
    ++files;
    auto input = Input::Open(entry.path().string());
    ASSERT_TRUE(input.ok());
    std::string_view head = input->Peek(kDetectBytes);
    for (const FeedDefinition& def : BundledDefinitions()) {
      Detection d = DetectDefinition(def, head);
      auto it = expected.find(rel);
      if (it != expected.end() && it->second == def.name) {
        EXPECT_GE(d.score, 50) << rel;
      } else {
        EXPECT_EQ(d.score, 0) << def.name << " claims " << rel << ": " << d.reason;
      }
    }
    bool delimited =
        rel.rfind("feeds/intelmq/", 0) == 0 || rel.find("hashes.csv") != std::string::npos;
    if (!delimited) {
      EXPECT_EQ(DetectDelimited(head).score, 0) << "csv claims " << rel;
    }
  }
  EXPECT_GT(files, 400u);
}

// ---- agreement with IntelMQ ----

std::string Canonical(std::string_view type, const std::string& value) {
  using normalize::Kind;
  auto as = [&](Kind kind) -> std::string {
    auto o = normalize::NormalizeAs(kind, value);
    return o.ok() ? o->value : std::string();
  };
  if (type == "ip") {
    std::string v = as(value.find(':') != std::string::npos ? Kind::kIpv6 : Kind::kIpv4);
    return v.empty() ? ""
                     : (value.find(':') != std::string::npos ? "ipv6-addr|" : "ipv4-addr|") + v;
  }
  if (type == "network") {
    bool v6 = value.find(':') != std::string::npos;
    std::string v = as(v6 ? Kind::kIpv6Network : Kind::kIpv4Network);
    return v.empty() ? "" : (v6 ? "ipv6-addr|" : "ipv4-addr|") + v;
  }
  if (type == "domain") {
    std::string v = as(Kind::kDomain);
    return v.empty() ? "" : "domain-name|" + v;
  }
  if (type == "url") {
    std::string v = as(Kind::kUrl);
    return v.empty() ? "" : "url|" + v;
  }
  if (type == "asn") return "autonomous-system|" + value;
  if (type == "md5" || type == "sha1" || type == "sha256") {
    std::string v = as(*normalize::KindFromName(type));
    return v.empty() ? "" : "file|" + v;
  }
  return "";
}

// IntelMQ's observable fields and what they are.
const std::map<std::string, std::string>& ObservableKeys() {
  static const std::map<std::string, std::string> kKeys = {
      {"source.ip", "ip"},
      {"destination.ip", "ip"},
      {"source.network", "network"},
      {"destination.network", "network"},
      {"source.fqdn", "domain"},
      {"destination.fqdn", "domain"},
      {"source.reverse_dns", "domain"},
      {"destination.reverse_dns", "domain"},
      {"source.url", "url"},
      {"destination.url", "url"},
      {"source.asn", "asn"},
      {"destination.asn", "asn"},
      {"malware.hash.md5", "md5"},
      {"malware.hash.sha1", "sha1"},
      {"malware.hash.sha256", "sha256"},
  };
  return kKeys;
}

std::string JsonText(const Json& v) {
  if (v.is_string()) return v.as_string();
  return core::WriteJson(v);
}

// The observables of a record's SCOs, as "<type>|<value>".
std::set<std::string> RecordObservables(const Record& record, std::set<std::string>* url_hosts) {
  std::set<std::string> out;
  for (const stix::StixObject& o : record.objects) {
    auto tree = core::ParseJson(o.json);
    if (!tree.ok()) continue;
    const Json* value = tree->Find("value");
    if (o.type == "ipv4-addr" || o.type == "ipv6-addr" || o.type == "domain-name" ||
        o.type == "url") {
      out.insert(o.type + "|" + value->as_string());
      if (o.type == "url") {
        auto url = normalize::NormalizeAs(normalize::Kind::kUrl, value->as_string());
        if (url.ok() && url->Field("host") != nullptr) url_hosts->insert(*url->Field("host"));
      }
    } else if (o.type == "autonomous-system") {
      out.insert("autonomous-system|" + JsonText(*tree->Find("number")));
    } else if (o.type == "file" && tree->Find("hashes") != nullptr) {
      for (const auto& [k, v] : tree->Find("hashes")->as_object())
        out.insert("file|" + v.as_string());
    }
  }
  return out;
}

std::vector<std::string> FileLines(const std::filesystem::path& path) {
  std::string text = testing::ReadFileOrEmpty(path);
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
    pos = end + 1;
  }
  return lines;
}

// Rows compared as IntelMQ re-serializes them: tabs as commas, no trailing
// empty fields.
std::string RowKey(std::string line) {
  std::replace(line.begin(), line.end(), '\t', ',');
  while (!line.empty() && (line.back() == ',' || line.back() == ' ')) line.pop_back();
  return line;
}

std::string LastLine(const std::string& raw) {
  std::string s = raw;
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  size_t nl = s.rfind('\n');
  std::string line = nl == std::string::npos ? s : s.substr(nl + 1);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

TEST(FeedsCorpus, ObservablesAgreeWithIntelMQ) {
  TESSERA_REQUIRE_SHARED();
  size_t events_checked = 0;
  for (const CorpusCase& c : Cases()) {
    if (c.expected.empty()) continue;
    SCOPED_TRACE(c.file);
    ReadOutcome outcome = ReadCase(c);
    ASSERT_TRUE(outcome.status.ok());
    auto expected = core::ParseJson(testing::ReadFileOrEmpty(CorpusDir() / c.expected));
    ASSERT_TRUE(expected.ok());
    const Json* events = expected->Find("expected_events");
    ASSERT_NE(events, nullptr);
    std::vector<std::string> lines = FileLines(CorpusDir() / c.file);
    // The row text of each record and each reject.
    auto row_text = [&](uint64_t line) {
      return RowKey(line >= 1 && line <= lines.size() ? lines[line - 1] : "");
    };
    // Events matched so far per first candidate: several events of one row (turris
    // tags) share a record; several rows of one line (html) take the next record.
    std::map<size_t, size_t> seen;
    std::vector<std::set<std::string>> claimed(outcome.sink.records.size());
    std::vector<bool> matched(outcome.sink.records.size(), false);
    for (const Json& event : events->as_array()) {
      ++events_checked;
      std::string raw_b64 = event.Find("raw") != nullptr ? event.Find("raw")->as_string() : "";
      auto raw = core::Base64Decode(raw_b64);
      ASSERT_TRUE(raw.has_value());
      std::string row = RowKey(LastLine(*raw));
      // The records read from that row (html tables put many rows on one line).
      std::vector<size_t> candidates;
      for (size_t i = 0; i < outcome.sink.records.size(); ++i) {
        std::string text = row_text(outcome.sink.records[i].position.line);
        if (text == row || (row.size() > 40 && text.find(row) != std::string::npos)) {
          candidates.push_back(i);
        }
      }
      std::set<std::string> want;
      for (const auto& [key, type] : ObservableKeys()) {
        const Json* v = event.Find(key);
        if (v == nullptr) continue;
        std::string canonical = Canonical(type, JsonText(*v));
        if (canonical.empty()) canonical = "invalid|" + JsonText(*v);
        want.insert(canonical);
      }
      if (candidates.empty()) {
        bool rejected = false;
        for (const Rejected& r : outcome.sink.rejects) rejected = rejected || RowKey(r.raw) == row;
        EXPECT_TRUE(rejected && IsDifference(c.file, "rejected", row))
            << "no record for IntelMQ's event from row: " << row;
        continue;
      }
      size_t k = seen[candidates.front()]++;
      size_t index = k < candidates.size() ? candidates[k] : candidates.back();
      matched[index] = true;
      std::set<std::string> url_hosts;
      std::set<std::string> have = RecordObservables(outcome.sink.records[index], &url_hosts);
      for (const std::string& w : want) {
        claimed[index].insert(w);
        if (have.count(w) > 0) continue;
        // IntelMQ adds a URL's host as source.fqdn; the url SCO carries it.
        if (w.rfind("domain-name|", 0) == 0 && url_hosts.count(w.substr(12)) > 0) continue;
        EXPECT_TRUE(IsDifference(c.file, "missing", w))
            << "IntelMQ has " << w << " for row: " << row;
      }
    }
    const bool complete = expected->Find("asserted_events_only") != nullptr &&
                          expected->Find("asserted_events_only")->is_bool() &&
                          !expected->Find("asserted_events_only")->as_bool();
    for (size_t i = 0; i < outcome.sink.records.size(); ++i) {
      if (!matched[i]) {
        EXPECT_FALSE(complete) << "a record IntelMQ does not have, line "
                               << outcome.sink.records[i].position.line;
        continue;
      }
      std::set<std::string> url_hosts;
      for (const std::string& h : RecordObservables(outcome.sink.records[i], &url_hosts)) {
        if (claimed[i].count(h) > 0) continue;
        EXPECT_TRUE(IsDifference(c.file, "extra", h))
            << "Tessera has " << h << " IntelMQ has not, line "
            << outcome.sink.records[i].position.line;
      }
    }
  }
  EXPECT_GT(events_checked, 100u);
}

}  // namespace
}  // namespace tessera::formats::feeds
