#include "normalize/extract.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "core/json.h"
#include "normalize/refang.h"
#include "testing/shared_data.h"

namespace tessera::normalize {
namespace {

// "kind:value" for each extracted observable, in order.
std::vector<std::string> Summary(std::string_view text, const ExtractOptions& options = {}) {
  std::vector<std::string> out;
  for (const Extracted& e : ExtractObservables(text, options)) {
    out.push_back(std::string(KindName(e.observable.kind)) + ":" + e.observable.value);
  }
  return out;
}

struct ExtractCase {
  const char* name;
  const char* text;
  std::vector<std::string> expected;
};

class ExtractTable : public ::testing::TestWithParam<ExtractCase> {};

TEST_P(ExtractTable, FindsExactlyTheExpectedObservables) {
  const ExtractCase& c = GetParam();
  EXPECT_EQ(Summary(c.text), c.expected) << "text: " << c.text;
  // Offsets and raw text always point into the input.
  std::string_view text = c.text;
  for (const Extracted& e : ExtractObservables(text)) {
    ASSERT_LE(e.offset + e.raw.size(), text.size());
    EXPECT_EQ(text.substr(e.offset, e.raw.size()), e.raw);
  }
}

std::string CaseName(const ::testing::TestParamInfo<ExtractCase>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(
    Prose, ExtractTable,
    ::testing::Values(
        ExtractCase{"PlainUrl",
                    "C2 at http://evil.example.com/gate.php today",
                    {"url:http://evil.example.com/gate.php"}},
        ExtractCase{"DefangedUrl", "hxxps://evil[.]com/a?b=c", {"url:https://evil.com/a?b=c"}},
        ExtractCase{"DefangedSeparator", "hxxp[://]evil[.]com/x", {"url:http://evil.com/x"}},
        ExtractCase{"UrlHostNotAlsoDomain",
                    "http://evil.com/ and evil.com",
                    {"url:http://evil.com/", "domain:evil.com"}},
        ExtractCase{"UrlInAngleBrackets", "<http://x.com/a>", {"url:http://x.com/a"}},
        ExtractCase{
            "MarkdownLink", "[the report](https://x.com/r.pdf) said", {"url:https://x.com/r.pdf"}},
        ExtractCase{"WikipediaParens",
                    "(see https://en.wikipedia.org/wiki/Foo_(bar))",
                    {"url:https://en.wikipedia.org/wiki/Foo_(bar)"}},
        ExtractCase{"HtmlHref",
                    "<a href=\"http://x.com/p?a=1&amp;b=2\">x</a>",
                    {"url:http://x.com/p?a=1&b=2"}},
        ExtractCase{
            "AsciiDocLinkMacro", "https://x.com/post/[blog post]", {"url:https://x.com/post/"}},
        ExtractCase{"AsciiDocPassthrough",
                    "* `++http://a.evil[.]com/zz.php++`",
                    {"url:http://a.evil.com/zz.php"}},
        ExtractCase{
            "SentenceEndUrl", "Download from http://x.com/a.exe.", {"url:http://x.com/a.exe"}},
        ExtractCase{"QuotedUrlComma",
                    "'http://x.com/a', 'http://y.com/b'",
                    {"url:http://x.com/a", "url:http://y.com/b"}},
        ExtractCase{"UrlStopsAtHtmlEntity", "&lt;http://x.com/a&gt;", {"url:http://x.com/a"}},
        ExtractCase{"SentenceFinalDomain", "It beacons to example.com.", {"domain:example.com"}},
        ExtractCase{"BracketedDomain",
                    "(example.com) 'bad.org', \"x.net\"",
                    {"domain:example.com", "domain:bad.org", "domain:x.net"}},
        ExtractCase{"AsciiDocPlusDomain", "+example[.]com+", {"domain:example.com"}},
        ExtractCase{"DefangedDomainVariants",
                    "a(.)com b{.}net c[dot]org",
                    {"domain:a.com", "domain:b.net", "domain:c.org"}},
        ExtractCase{"DomainWithPort", "evil.com:8080/path", {"domain:evil.com"}},
        ExtractCase{"UppercaseDomainFolded", "Evil.Example.com", {"domain:evil.example.com"}},
        ExtractCase{"FileNamesAreNotDomains", "report.pdf setup.exe config.json",
                    std::vector<std::string>{}},
        ExtractCase{"ExtensionTldsNeedEvidence",
                    "run.py, archive.zip, README.md and libx.so; but evil[.]zip",
                    {"domain:evil.zip"}},
        ExtractCase{"WwwIsEvidence", "www.example.py", {"domain:www.example.py"}},
        ExtractCase{"DetectionNames", "Win32/Spy.AHK.AD and MSIL/Agent.NET and ASP.NET",
                    std::vector<std::string>{}},
        ExtractCase{"CodeIsNotADomain", "document.location.host; System.Net",
                    std::vector<std::string>{}},
        ExtractCase{"Decimals", "pi is 3.14 and 2.5.1 is a version", std::vector<std::string>{}},
        ExtractCase{"VersionQuad", "version 1.2.3.4 of v1.2.3.4", std::vector<std::string>{}},
        ExtractCase{
            "DottedQuadIsIpv4", "from 1.2.3.4 to 5.6.7.8.", {"ipv4:1.2.3.4", "ipv4:5.6.7.8"}},
        ExtractCase{"DefangedIpv4",
                    "192.168[.]1[.]1 and 10.0.0[.]1:443",
                    {"ipv4:192.168.1.1", "ipv4:10.0.0.1"}},
        ExtractCase{"NotAnIpv4", "1.2.3.4.5 and 256.1.1.1", std::vector<std::string>{}},
        ExtractCase{"BacktickIp", "`1.2.3.4`", {"ipv4:1.2.3.4"}},
        ExtractCase{"Cidr", "block 198.51.100.7/24 now", {"ipv4-cidr:198.51.100.0/24"}},
        ExtractCase{"Ipv6",
                    "2001:db8::1 and ::1 and fe80::/10",
                    {"ipv6:2001:db8::1", "ipv6:::1", "ipv6-cidr:fe80::/10"}},
        ExtractCase{"CppScopeIsNotIpv6", "Add::Bad and Foo::Init and 12:34:56",
                    std::vector<std::string>{}},
        ExtractCase{"Email",
                    "mail P0tr4h4s7a@post.cz or user[@]example[.]com",
                    {"email:P0tr4h4s7a@post.cz", "email:user@example.com"}},
        ExtractCase{"EmailDomainNotSeparate", "admin@solidloop.org", {"email:admin@solidloop.org"}},
        ExtractCase{"HandleIsNotEmail", "follow @ESETresearch", std::vector<std::string>{}},
        ExtractCase{"Hashes",
                    "md5 68b329da9893e34099c7d8ad5cb9c940 sha1 "
                    "ADC83B19E793491B1C6EA0FD8B46CD9F32E592FC",
                    {"md5:68b329da9893e34099c7d8ad5cb9c940",
                     "sha1:adc83b19e793491b1c6ea0fd8b46cd9f32e592fc"}},
        ExtractCase{"TruncatedAndLongHex",
                    "adc83b191b1c6ea0fd8b46cd9f32e592fc "
                    "68b329da9893e34099c7d8ad5cb9c940ab g68b329da9893e34099c7d8ad5cb9c940",
                    std::vector<std::string>{}},
        ExtractCase{"HashNamedFile",
                    "68b329da9893e34099c7d8ad5cb9c940.exe",
                    {"md5:68b329da9893e34099c7d8ad5cb9c940"}},
        ExtractCase{"Guid", "{531511FA-190D-5D85-8A4A-279F2F592CC7}", std::vector<std::string>{}},
        ExtractCase{"Cve",
                    "exploits cve-2021-44228 and CVE-2017-0144.",
                    {"cve:CVE-2021-44228", "cve:CVE-2017-0144"}},
        ExtractCase{
            "Asn", "AS64500, ASN 15169 and as13335", {"asn:AS64500", "asn:AS15169", "asn:AS13335"}},
        ExtractCase{"AsInProse", "just as 2014 and AS1234foo", std::vector<std::string>{}},
        ExtractCase{"Mac",
                    "00:1A:2B:3C:4D:5E and aa-f2-c9-a6-b3-4f",
                    {"mac:00:1a:2b:3c:4d:5e", "mac:aa:f2:c9:a6:b3:4f"}},
        ExtractCase{
            "DuplicatesOnce", "evil[.]com then evil.com then EVIL[.]COM", {"domain:evil.com"}},
        ExtractCase{"NoText", "", std::vector<std::string>{}},
        ExtractCase{"OnlyPunctuation", "... --- ::: [.] (.) @@@", std::vector<std::string>{}}),
    CaseName);

TEST(Extract, OffsetAndRawPointAtTheDefangedText) {
  std::string text = "C2: hxxp://evil[.]com/x and evil[.]net.";
  std::vector<Extracted> found = ExtractObservables(text);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].offset, 4u);
  EXPECT_EQ(found[0].raw, "hxxp://evil[.]com/x");
  EXPECT_EQ(found[1].offset, text.find("evil[.]net"));
  EXPECT_EQ(found[1].raw, "evil[.]net");
}

TEST(Extract, FileNamesOnlyWhenAsked) {
  ExtractOptions options;
  options.file_names = true;
  EXPECT_EQ(Summary("dropped C:\\Users\\Public\\ypoc.exe and report.pdf", options),
            (std::vector<std::string>{"filename:ypoc.exe", "filename:report.pdf"}));
  EXPECT_TRUE(Summary("dropped ypoc.exe").empty());
}

TEST(Extract, SchemelessUrlWhenAsked) {
  ExtractOptions options;
  options.normalize.assume_http_without_scheme = true;
  EXPECT_EQ(Summary("speed.wlaspsd[.]com/vip.js", options),
            (std::vector<std::string>{"url:http://speed.wlaspsd.com/vip.js"}));
  EXPECT_EQ(Summary("speed.wlaspsd[.]com/vip.js"),
            (std::vector<std::string>{"domain:speed.wlaspsd.com"}));
}

// ---- ESET reports: precision and recall against hand labels --------------------

using Label = std::tuple<std::string, std::string, std::string>;  // file, kind, value

std::set<Label> ReadLabels() {
  std::set<Label> labels;
  std::ifstream in(testing::SourceDir() / "tests/data/extraction/eset-labels.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t a = line.find('\t');
    size_t b = line.find('\t', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    labels.emplace(line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1));
  }
  return labels;
}

TEST(ExtractEset, PrecisionAndRecallAtLeast95Percent) {
  TESSERA_REQUIRE_SHARED();
  std::set<Label> expected = ReadLabels();
  ASSERT_GT(expected.size(), 1000u) << "tests/data/extraction/eset-labels.tsv is missing";
  std::set<std::string> files;
  for (const Label& l : expected) files.insert(std::get<0>(l));
  std::set<Label> found;
  const std::filesystem::path dir = testing::SharedDir() / "corpora/text/eset-reports";
  for (const std::string& file : files) {
    std::string text = testing::ReadFileOrEmpty(dir / file);
    ASSERT_FALSE(text.empty()) << file;
    for (const Extracted& e : ExtractObservables(text)) {
      found.emplace(file, std::string(KindName(e.observable.kind)), e.observable.value);
    }
  }
  // Per kind and overall.
  std::map<std::string, std::array<size_t, 3>> by_kind;  // true positives, found, expected
  for (const Label& l : found) {
    ++by_kind[std::get<1>(l)][1];
    if (expected.count(l) != 0) ++by_kind[std::get<1>(l)][0];
  }
  for (const Label& l : expected) ++by_kind[std::get<1>(l)][2];
  size_t tp = 0;
  for (const auto& [kind, counts] : by_kind) {
    tp += counts[0];
    std::printf("  %-8s found %5zu expected %5zu correct %5zu\n", kind.c_str(), counts[1],
                counts[2], counts[0]);
  }
  double precision = found.empty() ? 0 : static_cast<double>(tp) / found.size();
  double recall = static_cast<double>(tp) / expected.size();
  std::printf("ESET reports: %zu labels, %zu found, precision %.4f, recall %.4f\n", expected.size(),
              found.size(), precision, recall);
  for (const Label& l : found) {
    if (expected.count(l) == 0) {
      std::printf("  false positive: %s %s %s\n", std::get<0>(l).c_str(), std::get<1>(l).c_str(),
                  std::get<2>(l).c_str());
    }
  }
  for (const Label& l : expected) {
    if (found.count(l) == 0) {
      std::printf("  missed: %s %s %s\n", std::get<0>(l).c_str(), std::get<1>(l).c_str(),
                  std::get<2>(l).c_str());
    }
  }
  EXPECT_GE(precision, 0.95);
  EXPECT_GE(recall, 0.95);
}

// ---- iocextract's test corpus ------------------------------------------------

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// iocextract reports raw matches, including ones our policy refuses: commas for dots
// ("192,168,0,1", "example,com"), unclosed brackets ("example[.com", "[example.com"),
// and phone-number-like strings.
bool PolicyDiffers(const std::string& line) {
  static const std::vector<std::string> kDiffer = {"192,168",        "example,com",  "example[.com",
                                                   "[example.com",   "123-456-7890", "123.102.1215",
                                                   "(123) 456-7890", "456-7890"};
  return std::any_of(kDiffer.begin(), kDiffer.end(),
                     [&](const std::string& d) { return line.find(d) != std::string::npos; });
}

TEST(ExtractIocextract, EveryValidLineYieldsAnObservable) {
  TESSERA_REQUIRE_SHARED();
  std::string valid =
      testing::ReadFileOrEmpty(testing::SharedDir() / "corpora/text/iocextract-corpus/valid.txt");
  ASSERT_FALSE(valid.empty());
  size_t checked = 0;
  for (const std::string& line : Lines(valid)) {
    if (PolicyDiffers(line)) continue;
    ++checked;
    EXPECT_FALSE(ExtractObservables(line).empty()) << "nothing found in: " << line;
  }
  EXPECT_GT(checked, 35u);
}

TEST(ExtractIocextract, InvalidLinesYieldNothing) {
  TESSERA_REQUIRE_SHARED();
  std::string invalid =
      testing::ReadFileOrEmpty(testing::SharedDir() / "corpora/text/iocextract-corpus/invalid.txt");
  ASSERT_FALSE(invalid.empty());
  for (const std::string& line : Lines(invalid)) {
    // Policy difference: a CIDR block is an observable for us (ipv4-cidr).
    if (line == "100.20.30.0/24") {
      EXPECT_EQ(Summary(line), (std::vector<std::string>{"ipv4-cidr:100.20.30.0/24"}));
      continue;
    }
    EXPECT_TRUE(ExtractObservables(line).empty()) << "found something in: " << line;
  }
}

TEST(ExtractIocextract, InputFindsTheDefangedIndicators) {
  TESSERA_REQUIRE_SHARED();
  std::string input =
      testing::ReadFileOrEmpty(testing::SharedDir() / "corpora/text/iocextract-corpus/input.txt");
  ASSERT_FALSE(input.empty());
  std::set<std::string> found;
  for (const std::string& s : Summary(input)) found.insert(s);
  for (const char* want :
       {"url:http://192.168.0.1/", "url:http://192.168.0.1/path", "ipv4:192.168.0.1",
        "url:http://example.com/", "url:http://example.com/path", "domain:example.com",
        "ipv6:fdc4:2581:575b:5a72::1", "domain:short.is", "md5:68b329da9893e34099c7d8ad5cb9c940",
        "sha1:adc83b19e793491b1c6ea0fd8b46cd9f32e592fc",
        "sha256:01ba4719c80b6fe911b091a7c05124b64eeece964e09c058ef8f9805daca546b"}) {
    EXPECT_EQ(found.count(want), 1u) << want;
  }
  // Truncated hash, ".tld" and "tooshor.t" are not observables.
  for (const std::string& s : found) {
    EXPECT_EQ(s.find("adc83b191b1c6ea0fd8b46cd9f32e592fc"), std::string::npos) << s;
    EXPECT_EQ(s.find(".tld"), std::string::npos) << s;
  }
}

// ---- ioc-finder's cases ----------------------------------------------------------

// ioc-finder categories we share, and the cases whose expectations follow a policy
// of theirs that we do not: domains and IPs reported again from inside URLs and
// e-mail addresses, XMPP addresses, "ASN" spelling, CVE years outside 1999-2100,
// IP-literal e-mail, scheme-less URLs.
const std::map<std::string, std::vector<Kind>>& SharedCategories() {
  static const std::map<std::string, std::vector<Kind>> kMap = {
      {"domains", {Kind::kDomain}},
      {"urls", {Kind::kUrl}},
      {"ipv4s", {Kind::kIpv4}},
      {"ipv6s", {Kind::kIpv6}},
      {"ipv4_cidrs", {Kind::kIpv4Network, Kind::kIpv4}},
      {"email_addresses", {Kind::kEmail}},
      {"asns", {Kind::kAsn}},
      {"cves", {Kind::kCve}},
      {"mac_addresses", {Kind::kMac}},
      {"bitcoin_addresses", {Kind::kBitcoinAddress}},
      {"monero_addresses", {Kind::kMoneroAddress}},
  };
  return kMap;
}

bool SkipCase(const std::string& id) {
  static const std::set<std::string> kSkip = {
      "domain-issue_104__domains_read_from_percent_encoded_url_query_params",
      "domain-issue_104__domains_read_from_percent_encoded_url_query_params__with_options_false",
      "domain-issue_104__domains_read_from_percent_encoded_url_query_params__with_options_false_2",
      "url_cidr_1",  // also reports the CIDR's address and a scheme-less URL
      "xmpp_1",
      "xmpp_2",
      "xmpp_underscored_label",  // XMPP is its own kind there
      "cve_1",                   // years 2999 and 1928 are refused by CanonicalCve
      "attack_pattern_14",       // reports the URL's host as a domain too
  };
  return kSkip.count(id) != 0;
}

TEST(ExtractIocFinder, AgreesWhereThePoliciesAgree) {
  TESSERA_REQUIRE_SHARED();
  const std::filesystem::path dir = testing::SharedDir() / "corpora/text/ioc-finder-cases";
  size_t compared = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    auto json = core::ParseJson(testing::ReadFileOrEmpty(entry.path()));
    ASSERT_TRUE(json.ok()) << entry.path();
    const core::Json* cases = json->Find("cases");
    ASSERT_NE(cases, nullptr);
    for (const core::Json& c : cases->as_array()) {
      std::string id = c.Find("id")->as_string();
      if (SkipCase(id) || !c.Find("options")->as_object().empty()) continue;
      std::string text = c.Find("text")->as_string();
      std::set<std::pair<Kind, std::string>> ours;
      for (const Extracted& e : ExtractObservables(text)) {
        ours.emplace(e.observable.kind, e.observable.value);
      }
      std::set<Kind> compared_kinds;
      std::set<Kind> ignored_kinds;
      std::set<std::pair<Kind, std::string>> theirs;
      for (const auto& [category, value] : c.Find("expected")->as_object()) {
        // Hosts of e-mail addresses are not reported again (docs/NORMALIZATION.md).
        if (id == "email_1" && (category == "domains" || category == "ipv4s")) {
          ignored_kinds.insert(category == "domains" ? Kind::kDomain : Kind::kIpv4);
          continue;
        }
        auto it = SharedCategories().find(category);
        if (it == SharedCategories().end() || !value.is_array()) continue;
        for (const core::Json& v : value.as_array()) {
          std::string token = v.as_string();
          bool normalized = false;
          for (Kind kind : it->second) {
            auto o = NormalizeAs(kind, token);
            if (o.ok()) {
              theirs.emplace(o->kind, o->value);
              normalized = true;
              break;
            }
          }
          // A value our canonicalizer refuses ("test@[192.168.0.1]") is not an
          // observable under our policy.
          (void)normalized;
        }
      }
      for (const auto& [kind, value] : theirs) compared_kinds.insert(kind);
      for (const auto& [kind, value] : ours) {
        if (ignored_kinds.count(kind) != 0) continue;
        // Kinds they do not report in this case must not be found by us either.
        EXPECT_TRUE(theirs.count({kind, value}) != 0)
            << id << ": we found " << KindName(kind) << " " << value;
      }
      for (const auto& item : theirs) {
        EXPECT_TRUE(ours.count(item) != 0)
            << id << ": we missed " << KindName(item.first) << " " << item.second;
      }
      ++compared;
    }
  }
  EXPECT_GT(compared, 20u);
}

}  // namespace
}  // namespace tessera::normalize
