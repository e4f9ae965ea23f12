#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "core/hash.h"
#include "stix/bundle.h"
#include "testing/shared_data.h"
#include "warninglists/aho_corasick.h"
#include "warninglists/builtins.h"
#include "warninglists/misp_format.h"
#include "warninglists/warninglist.h"

namespace tessera::warninglists {
namespace {

using normalize::Kind;

const WarninglistSet& Builtins() {
  static const WarninglistSet* set = [] {
    auto* s = new WarninglistSet();
    s->AddBuiltins();
    s->Compile();
    return s;
  }();
  return *set;
}

std::vector<std::string> ListIds(const std::vector<Hit>& hits) {
  std::vector<std::string> ids;
  for (const Hit& h : hits) ids.push_back(h.list);
  return ids;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

const Hit* FindHit(const std::vector<Hit>& hits, std::string_view list) {
  for (const Hit& h : hits) {
    if (h.list == list) return &h;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// Built-in lists: range edges, look-alikes, most specific entries.

struct BuiltinCase {
  Kind kind;
  const char* value;
  const char* lists;   // comma-separated ids expected, in list order; "" for none
  const char* entry;   // entry of the first hit, or nullptr to skip the check
  const char* reason;  // substring of the first hit's reason, or nullptr
};

TEST(Builtins, TableOfValues) {
  const BuiltinCase cases[] = {
      // RFC 1918 edges.
      {Kind::kIpv4, "10.0.0.0", "reserved-ipv4", "10.0.0.0/8", nullptr},
      {Kind::kIpv4, "10.255.255.255", "reserved-ipv4", "10.0.0.0/8", nullptr},
      {Kind::kIpv4, "9.255.255.255", "", nullptr, nullptr},
      {Kind::kIpv4, "11.0.0.0", "", nullptr, nullptr},
      {Kind::kIpv4, "172.15.255.255", "", nullptr, nullptr},
      {Kind::kIpv4, "172.16.0.0", "reserved-ipv4", "172.16.0.0/12", nullptr},
      {Kind::kIpv4, "172.31.255.255", "reserved-ipv4", "172.16.0.0/12", nullptr},
      {Kind::kIpv4, "172.32.0.0", "", nullptr, nullptr},
      {Kind::kIpv4, "192.168.1.1", "reserved-ipv4", "192.168.0.0/16",
       "192.168.1.1 is inside 192.168.0.0/16 (RFC 1918 private address space)"},
      {Kind::kIpv4, "192.169.0.0", "", nullptr, nullptr},
      // CGNAT, loopback, link-local, documentation.
      {Kind::kIpv4, "100.63.255.255", "", nullptr, nullptr},
      {Kind::kIpv4, "100.64.0.0", "reserved-ipv4", "100.64.0.0/10", "RFC 6598"},
      {Kind::kIpv4, "100.127.255.255", "reserved-ipv4", "100.64.0.0/10", nullptr},
      {Kind::kIpv4, "100.128.0.0", "", nullptr, nullptr},
      {Kind::kIpv4, "127.0.0.1", "reserved-ipv4", "127.0.0.0/8", "loopback"},
      {Kind::kIpv4, "169.254.169.254", "reserved-ipv4", "169.254.0.0/16", "link-local"},
      {Kind::kIpv4, "192.0.2.55", "reserved-ipv4", "192.0.2.0/24", "RFC 5737"},
      {Kind::kIpv4, "198.51.100.7", "reserved-ipv4", "198.51.100.0/24", "TEST-NET-2"},
      {Kind::kIpv4, "203.0.113.255", "reserved-ipv4", "203.0.113.0/24", nullptr},
      {Kind::kIpv4, "203.0.114.0", "", nullptr, nullptr},
      {Kind::kIpv4, "0.0.0.0", "reserved-ipv4", "0.0.0.0/8", nullptr},
      // Multicast, with a more specific documentation block inside it.
      {Kind::kIpv4, "224.0.0.1", "reserved-ipv4", "224.0.0.0/4", "multicast"},
      {Kind::kIpv4, "233.252.0.1", "reserved-ipv4", "233.252.0.0/24", "MCAST-TEST-NET"},
      {Kind::kIpv4, "239.255.255.255", "reserved-ipv4", "224.0.0.0/4", nullptr},
      {Kind::kIpv4, "240.0.0.1", "reserved-ipv4", "240.0.0.0/4", nullptr},
      {Kind::kIpv4, "255.255.255.255", "reserved-ipv4", "255.255.255.255", "limited broadcast"},
      // Resolvers and cloud ranges.
      {Kind::kIpv4, "8.8.8.8", "public-dns-resolvers", "8.8.8.8",
       "8.8.8.8 is listed (Google Public DNS)"},
      {Kind::kIpv4, "8.8.8.9", "", nullptr, nullptr},
      {Kind::kIpv4, "1.1.1.1", "public-dns-resolvers", "1.1.1.1", nullptr},
      {Kind::kIpv4, "149.112.112.112", "public-dns-resolvers", nullptr, "Quad9"},
      {Kind::kIpv4, "208.67.222.222", "public-dns-resolvers", nullptr, "OpenDNS"},
      {Kind::kIpv4, "104.16.0.1", "cloud-ranges", "104.16.0.0/13", "Cloudflare"},
      {Kind::kIpv4, "104.23.255.255", "cloud-ranges", "104.16.0.0/13", nullptr},
      {Kind::kIpv4, "104.27.255.255", "cloud-ranges", "104.24.0.0/14", nullptr},
      {Kind::kIpv4, "104.28.0.0", "", nullptr, nullptr},
      {Kind::kIpv4, "93.184.216.34", "", nullptr, nullptr},
      // Networks: inside a listed one, equal to it, or larger than it.
      {Kind::kIpv4Network, "10.1.0.0/16", "reserved-ipv4", "10.0.0.0/8",
       "10.1.0.0/16 is inside 10.0.0.0/8"},
      {Kind::kIpv4Network, "10.0.0.0/8", "reserved-ipv4", "10.0.0.0/8", "10.0.0.0/8 is listed"},
      {Kind::kIpv4Network, "10.0.0.0/7", "", nullptr, nullptr},
      {Kind::kIpv4Network, "0.0.0.0/0", "", nullptr, nullptr},
      // IPv6.
      {Kind::kIpv6, "::1", "reserved-ipv6", "::1", "::1 is listed (loopback"},
      {Kind::kIpv6, "::", "reserved-ipv6", "::", nullptr},
      {Kind::kIpv6, "::2", "", nullptr, nullptr},
      {Kind::kIpv6, "fe80::1", "reserved-ipv6", "fe80::/10", nullptr},
      {Kind::kIpv6, "febf:ffff::1", "reserved-ipv6", "fe80::/10", nullptr},
      {Kind::kIpv6, "fe00::1", "", nullptr, nullptr},
      {Kind::kIpv6, "fc00::1", "reserved-ipv6", "fc00::/7", nullptr},
      {Kind::kIpv6, "fdff:ffff::1", "reserved-ipv6", "fc00::/7", nullptr},
      {Kind::kIpv6, "fbff:ffff::1", "", nullptr, nullptr},
      {Kind::kIpv6, "2001:db8::1", "reserved-ipv6", "2001:db8::/32", "RFC 3849"},
      {Kind::kIpv6, "2001:db9::1", "", nullptr, nullptr},
      {Kind::kIpv6, "2001:2::1", "reserved-ipv6", "2001:2::/48", "benchmarking"},
      {Kind::kIpv6, "2001:1ff::1", "reserved-ipv6", "2001::/23", nullptr},
      {Kind::kIpv6, "2001:200::1", "", nullptr, nullptr},
      {Kind::kIpv6, "3fff:fff::1", "reserved-ipv6", "3fff::/20", nullptr},
      {Kind::kIpv6, "3fff:1000::1", "", nullptr, nullptr},
      {Kind::kIpv6, "ff02::1", "reserved-ipv6", "ff00::/8", nullptr},
      {Kind::kIpv6, "2001:4860:4860::8888", "public-dns-resolvers", nullptr, "Google"},
      {Kind::kIpv6, "2606:4700:4700::1111", "public-dns-resolvers,cloud-ranges", nullptr, nullptr},
      {Kind::kIpv6Network, "2001:db8:1::/48", "reserved-ipv6", "2001:db8::/32", nullptr},
      // IPv4-mapped IPv6 is checked as the IPv4 address it carries.
      {Kind::kIpv6, "::ffff:192.168.1.1", "reserved-ipv4", "192.168.0.0/16",
       "::ffff:192.168.1.1 (IPv4-mapped 192.168.1.1) is inside 192.168.0.0/16"},
      {Kind::kIpv6, "::ffff:8.8.8.8", "public-dns-resolvers", "8.8.8.8", nullptr},
      {Kind::kIpv6, "::ffff:93.184.216.34", "", nullptr, nullptr},
      {Kind::kIpv6Network, "::ffff:10.0.0.0/104", "reserved-ipv4", "10.0.0.0/8", nullptr},
      // Domains: the name and its subdomains, never look-alikes.
      {Kind::kDomain, "example.com", "documentation-domains", "example.com",
       "example.com is listed (documentation domain, RFC 2606 section 3)"},
      {Kind::kDomain, "www.example.com", "documentation-domains", "example.com",
       "www.example.com is under example.com"},
      {Kind::kDomain, "a.b.c.example.org", "documentation-domains", "example.org", nullptr},
      {Kind::kDomain, "notexample.com", "", nullptr, nullptr},
      {Kind::kDomain, "example.com.evil.net", "", nullptr, nullptr},
      {Kind::kDomain, "example.co", "", nullptr, nullptr},
      {Kind::kDomain, "Example.COM.", "documentation-domains", "example.com", nullptr},
      {Kind::kDomain, "foo.test", "documentation-domains", "test", nullptr},
      {Kind::kDomain, "test", "documentation-domains", "test", nullptr},
      {Kind::kDomain, "testing.com", "", nullptr, nullptr},
      {Kind::kDomain, "localhost", "documentation-domains", "localhost", nullptr},
      {Kind::kDomain, "printer.local", "documentation-domains", "local", "RFC 6762"},
      {Kind::kDomain, "router.home.arpa", "documentation-domains", "home.arpa", nullptr},
      {Kind::kDomain, "home.arpa.evil.com", "", nullptr, nullptr},
      {Kind::kDomain, "abcdefghij.onion", "", nullptr, nullptr},
      {Kind::kDomain, "mail.google.com", "top-sites", "google.com", nullptr},
      {Kind::kDomain, "google.com.evil.ru", "", nullptr, nullptr},
      {Kind::kDomain, "notgoogle.com", "", nullptr, nullptr},
      // URLs: on their host (IP hosts against address lists that take URLs).
      {Kind::kUrl, "http://www.example.com/path?q=1", "documentation-domains", "example.com",
       "URL host www.example.com is under example.com"},
      {Kind::kUrl, "http://192.168.0.1:8080/admin", "reserved-ipv4", "192.168.0.0/16",
       "URL host 192.168.0.1 is inside"},
      {Kind::kUrl, "http://[::1]/", "reserved-ipv6", "::1", nullptr},
      {Kind::kUrl, "http://user@example.net:8080/", "documentation-domains", "example.net",
       nullptr},
      {Kind::kUrl, "http://example.com@evil.com/", "", nullptr, nullptr},
      {Kind::kUrl, "http://evil.com/example.com", "", nullptr, nullptr},
      {Kind::kUrl, "https://www.google.com/", "", nullptr, nullptr},  // top-sites: domains only
      {Kind::kUrl, "http://8.8.8.8/", "", nullptr, nullptr},  // resolvers: addresses only
      // E-mail addresses: on their domain.
      {Kind::kEmail, "alice@example.org", "documentation-domains", "example.org",
       "e-mail domain example.org is listed"},
      {Kind::kEmail, "alice@mx.example.net", "documentation-domains", "example.net", nullptr},
      {Kind::kEmail, "example.com@evil.com", "", nullptr, nullptr},
      {Kind::kEmail, "bob@gmail.com", "", nullptr, nullptr},
      // Empty-file hashes, any case.
      {Kind::kMd5, "d41d8cd98f00b204e9800998ecf8427e", "empty-file-hashes", nullptr, "MD5"},
      {Kind::kMd5, "D41D8CD98F00B204E9800998ECF8427E", "empty-file-hashes", nullptr, nullptr},
      {Kind::kSha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", "empty-file-hashes", nullptr,
       nullptr},
      {Kind::kMd5, "d41d8cd98f00b204e9800998ecf8427f", "", nullptr, nullptr},
      // The hash of the empty file as a file name is not a hash.
      {Kind::kFileName, "d41d8cd98f00b204e9800998ecf8427e", "", nullptr, nullptr},
      // Values of the wrong shape for their kind hit nothing, never a wrong range.
      {Kind::kIpv4, "not-an-ip", "", nullptr, nullptr},
      {Kind::kIpv4, "", "", nullptr, nullptr},
      {Kind::kIpv6, "zz::1", "", nullptr, nullptr},
      {Kind::kIpv4Network, "10.0.0.0/33", "", nullptr, nullptr},
  };
  for (const BuiltinCase& c : cases) {
    SCOPED_TRACE(std::string(normalize::KindName(c.kind)) + " " + c.value);
    const std::vector<Hit> hits = Builtins().Match(c.kind, c.value);
    EXPECT_EQ(Join(ListIds(hits)), c.lists);
    if (hits.empty()) continue;
    if (c.entry != nullptr) {
      EXPECT_EQ(hits[0].entry, c.entry);
    }
    if (c.reason != nullptr) {
      EXPECT_NE(hits[0].reason.find(c.reason), std::string::npos) << hits[0].reason;
    }
  }
}

TEST(Builtins, EmptyFileHashesAreTheDigestsOfZeroBytes) {
  const std::string sha1 = core::HexEncode(core::Sha1(""));
  const std::string sha256 = core::HexEncode(core::Sha256(""));
  EXPECT_EQ(Join(ListIds(Builtins().Match(Kind::kSha1, sha1))), "empty-file-hashes");
  EXPECT_EQ(Join(ListIds(Builtins().Match(Kind::kSha256, sha256))), "empty-file-hashes");
  const std::vector<std::string>& entries = BuiltinLists()[4].entries;
  EXPECT_NE(std::find(entries.begin(), entries.end(), sha1), entries.end());
  EXPECT_NE(std::find(entries.begin(), entries.end(), sha256), entries.end());
}

TEST(Builtins, EveryEntryCompilesAndNamesItsSource) {
  for (const ListInfo& info : Builtins().Lists()) {
    SCOPED_TRACE(info.id);
    EXPECT_TRUE(info.builtin);
    EXPECT_EQ(info.skipped_entries, 0u) << info.first_skip_reason;
    EXPECT_GT(info.entries, 0u);
    EXPECT_FALSE(info.name.empty());
    EXPECT_FALSE(info.description.empty());
    EXPECT_EQ(info.version, 1);
  }
  for (const ListSpec& spec : BuiltinLists()) {
    ASSERT_EQ(spec.notes.size(), spec.entries.size()) << spec.id;
    for (const std::string& note : spec.notes) EXPECT_FALSE(note.empty()) << spec.id;
  }
  EXPECT_EQ(Builtins().Lists().size(), 7u);
}

TEST(Builtins, ByStixTypeAndValue) {
  EXPECT_EQ(Join(ListIds(Builtins().Match("ipv4-addr", "10.0.0.0/8"))), "reserved-ipv4");
  EXPECT_EQ(Join(ListIds(Builtins().Match("ipv6-addr", "fe80::1"))), "reserved-ipv6");
  EXPECT_EQ(Join(ListIds(Builtins().Match("domain-name", "www.example.org"))),
            "documentation-domains");
  EXPECT_EQ(Join(ListIds(Builtins().Match("file", "d41d8cd98f00b204e9800998ecf8427e"))),
            "empty-file-hashes");
  EXPECT_EQ(Join(ListIds(Builtins().Match("x-unknown", "10.0.0.1"))), "");
}

// ---------------------------------------------------------------------------
// Whole STIX objects.

stix::StixObject Object(std::string type, std::string json) {
  stix::StixObject o;
  o.type = std::move(type);
  o.json = std::move(json);
  return o;
}

TEST(StixObjects, PropertiesAreCanonicalizedAndMatched) {
  struct Case {
    const char* type;
    const char* json;
    const char* expected;  // "property:list" joined by commas
  };
  const Case cases[] = {
      {"ipv4-addr", R"({"type":"ipv4-addr","value":"172.16.5.4"})", "value:reserved-ipv4"},
      {"ipv4-addr", R"({"type":"ipv4-addr","value":"10.9.0.0/16"})", "value:reserved-ipv4"},
      {"ipv6-addr", R"({"type":"ipv6-addr","value":"2001:0DB8:0000::0001"})",
       "value:reserved-ipv6"},
      {"domain-name", R"({"type":"domain-name","value":"WWW.Example.COM."})",
       "value:documentation-domains"},
      {"url", R"({"type":"url","value":"HTTP://WWW.EXAMPLE.NET:80/a"})",
       "value:documentation-domains"},
      {"email-addr", R"({"type":"email-addr","value":"Alice@Example.ORG"})",
       "value:documentation-domains"},
      {"file",
       R"({"type":"file","name":"a.txt","hashes":{"MD5":"D41D8CD98F00B204E9800998ECF8427E","SHA-256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}})",
       "hashes.MD5:empty-file-hashes,hashes.SHA-256:empty-file-hashes"},
      {"file", R"({"type":"file","hashes":{"MD5":"0123456789abcdef0123456789abcdef"}})", ""},
      {"domain-name", R"({"type":"domain-name","value":"evil.example"})",
       "value:documentation-domains"},
      {"domain-name", R"({"type":"domain-name","value":"malicious.biz"})", ""},
      {"ipv4-addr", R"({"type":"ipv4-addr","value":"not an ip"})", ""},
      {"ipv4-addr", R"({"type":"ipv4-addr","value":42})", ""},
      {"ipv4-addr", R"(not json)", ""},
      {"autonomous-system", R"({"type":"autonomous-system","number":64500})", ""},
      {"", R"({"type":"ipv4-addr","value":"127.0.0.1"})", "value:reserved-ipv4"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.json);
    std::vector<std::string> got;
    for (const ObjectHit& h : Builtins().Match(Object(c.type, c.json))) {
      got.push_back(h.property + ":" + h.hit.list);
    }
    EXPECT_EQ(Join(got), c.expected);
  }
}

// ---------------------------------------------------------------------------
// Raw tokens, as the CLI passes them.

TEST(Tokens, AreRefangedClassifiedAndCanonicalized) {
  struct Case {
    const char* token;
    const char* lists;
  };
  const Case cases[] = {
      {"192.168.1.1", "reserved-ipv4"},
      {"192.168.1.0/24", "reserved-ipv4"},
      {"hxxp://www[.]example[.]com/x", "documentation-domains"},
      {"WWW.EXAMPLE.COM", "documentation-domains"},
      {"localhost", "documentation-domains"},
      {"[::1]", "reserved-ipv6"},
      {"8.8.4.4", "public-dns-resolvers"},
      {"d41d8cd98f00b204e9800998ecf8427e", "empty-file-hashes"},
      {"malware.biz", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.token);
    auto r = Builtins().MatchToken(c.token);
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    EXPECT_FALSE(r->as.empty());
    EXPECT_EQ(Join(ListIds(r->hits)), c.lists);
  }
  auto bad = Builtins().MatchToken("this is not an observable");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, core::ErrorCode::kValidation);
  EXPECT_FALSE(bad.error().message.empty());
}

// ---------------------------------------------------------------------------
// MISP JSON lists of our own making: every type, and the ways a file goes wrong.

std::string MispList(std::string_view type, std::string_view entries,
                     std::string_view attributes = R"([])") {
  std::string json = R"({"name":"Test list )";
  json.append(type);
  json.append(R"(","version":3,"description":"for tests","type":")");
  json.append(type);
  json.append(R"(","list":)");
  json.append(entries);
  json.append(R"(,"matching_attributes":)");
  json.append(attributes);
  json.append("}");
  return json;
}

WarninglistSet CompiledFrom(std::string_view json, std::string_view id = "t") {
  WarninglistSet set;
  core::Status s = set.AddMispJson(json, "test.json", id);
  EXPECT_TRUE(s.ok()) << s.error().ToString();
  set.Compile();
  return set;
}

TEST(MispLists, ParsesEveryField) {
  const std::string json =
      R"({"name":"N","version":20240615,"description":"D","type":"cidr","list":["10.0.0.0/8"],)"
      R"("matching_attributes":["ip-src","ip-dst"],"category":"known","extra":{"ignored":true}})";
  auto spec = ParseMispWarninglist(json, "x/list.json");
  ASSERT_TRUE(spec.ok()) << spec.error().ToString();
  EXPECT_EQ(spec->name, "N");
  EXPECT_EQ(spec->version, 20240615);
  EXPECT_EQ(spec->description, "D");
  EXPECT_EQ(spec->type, ListType::kCidr);
  EXPECT_EQ(spec->category, "known");
  EXPECT_EQ(spec->entries, std::vector<std::string>{"10.0.0.0/8"});
  EXPECT_EQ(spec->matching_attributes, (std::vector<std::string>{"ip-src", "ip-dst"}));
  EXPECT_EQ(spec->origin, "x/list.json");
}

TEST(MispLists, BadFilesAreClearErrorsNamingTheFile) {
  struct Case {
    const char* json;
    core::ErrorCode code;
    const char* message;  // substring
  };
  const Case cases[] = {
      {"", core::ErrorCode::kParse, "not valid JSON"},
      {"{\"name\":", core::ErrorCode::kParse, "not valid JSON"},
      {"[1,2]", core::ErrorCode::kValidation, "is an array, not an object"},
      {R"({"version":1,"description":"d","type":"cidr","list":[]})", core::ErrorCode::kValidation,
       "member \"name\" is missing"},
      {R"({"name":"n","version":1,"type":"cidr","list":[]})", core::ErrorCode::kValidation,
       "member \"description\" is missing"},
      {R"({"name":"n","description":"d","type":"cidr","list":[]})", core::ErrorCode::kValidation,
       "member \"version\" is missing"},
      {R"({"name":"n","version":"1","description":"d","type":"cidr","list":[]})",
       core::ErrorCode::kValidation, "/version: expected an integer, found a string"},
      {R"({"name":"n","version":1.5,"description":"d","type":"cidr","list":[]})",
       core::ErrorCode::kValidation, "/version: expected an integer, found \"1.5\""},
      {R"({"name":"n","version":1,"description":"d","list":[]})", core::ErrorCode::kValidation,
       "member \"type\" is missing"},
      {R"({"name":"n","version":1,"description":"d","type":"ip","list":[]})",
       core::ErrorCode::kUnsupported, "unknown list type \"ip\""},
      {R"({"name":"n","version":1,"description":"d","type":"cidr"})", core::ErrorCode::kValidation,
       "member \"list\" is missing"},
      {R"({"name":"n","version":1,"description":"d","type":"cidr","list":"10.0.0.0/8"})",
       core::ErrorCode::kValidation, "/list: expected an array of strings, found a string"},
      {R"({"name":"n","version":1,"description":"d","type":"cidr","list":["10.0.0.0/8",7]})",
       core::ErrorCode::kValidation, "/list/1: expected a string, found a number"},
      {R"({"name":"n","version":1,"description":"d","type":"cidr","list":[],"matching_attributes":"ip-src"})",
       core::ErrorCode::kValidation, "/matching_attributes: expected an array"},
      {R"({"name":7,"version":1,"description":"d","type":"cidr","list":[]})",
       core::ErrorCode::kValidation, "/name: expected a string, found a number"},
      {R"({"name":"n","version":1,"description":"d","type":"cidr","list":[],"name":"dup"})",
       core::ErrorCode::kParse, "not valid JSON"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.json);
    WarninglistSet set;
    core::Status s = set.AddMispJson(c.json, "lists/bad/list.json");
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, c.code) << s.error().ToString();
    EXPECT_EQ(s.error().location, "lists/bad/list.json");
    EXPECT_NE(s.error().message.find(c.message), std::string::npos) << s.error().message;
    EXPECT_TRUE(set.Lists().empty());
  }
}

TEST(MispLists, SizeLimits) {
  std::string deep(100, '[');
  WarninglistSet set;
  EXPECT_FALSE(set.AddMispJson(deep, "deep.json").ok());

  std::string huge(kMaxListJsonBytes + 1, ' ');
  core::Status s = set.AddMispJson(huge, "huge.json");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::kLimit);

  Limits limits;
  limits.max_substring_bytes = 10;
  limits.max_regexes = 1;
  WarninglistSet small(limits);
  s = small.AddMispJson(MispList("substring", R"(["abcdef","ghijkl"])"), "sub.json");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::kLimit);
  s = small.AddMispJson(MispList("regex", R"(["a","b"])"), "re.json");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::kLimit);
  EXPECT_TRUE(small.Lists().empty());

  // An entry longer than 4096 bytes is skipped, not fatal.
  WarninglistSet skip;
  ASSERT_TRUE(
      skip.AddMispJson(MispList("string", "[\"" + std::string(5000, 'a') + "\",\"b\"]"), "l.json")
          .ok());
  EXPECT_EQ(skip.Lists()[0].entries, 1u);
  EXPECT_EQ(skip.Lists()[0].skipped_entries, 1u);
}

TEST(MispLists, UnusableEntriesAreSkippedAndCounted) {
  WarninglistSet set;
  ASSERT_TRUE(set.AddMispJson(MispList("hostname", R"(["good.example","not a domain!","",
                                                      "good.example","GOOD.example."])"),
                              "hosts.json")
                  .ok());
  ASSERT_TRUE(set.AddMispJson(MispList("cidr", R"(["10.1.2.3/8","300.1.1.1","2001:db8::/129"])"),
                              "nets.json")
                  .ok());
  const ListInfo& hosts = set.Lists()[0];
  EXPECT_EQ(hosts.id, "hosts");
  EXPECT_EQ(hosts.entries, 1u);  // duplicates, in any case, count once
  EXPECT_EQ(hosts.skipped_entries, 2u);
  EXPECT_NE(hosts.first_skip_reason.find("/list/1 \"not a domain!\""), std::string::npos)
      << hosts.first_skip_reason;
  const ListInfo& nets = set.Lists()[1];
  EXPECT_EQ(nets.entries, 1u);
  EXPECT_EQ(nets.skipped_entries, 2u);
  set.Compile();
  // Host bits in an entry are cleared: 10.1.2.3/8 is 10.0.0.0/8.
  const std::vector<Hit> hits = set.Match(Kind::kIpv4, "10.200.0.1");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].entry, "10.0.0.0/8");
  EXPECT_NE(hits[0].reason.find("(Test list cidr)"), std::string::npos) << hits[0].reason;
}

TEST(MispLists, HostnameWildcardsMatchSubdomainsOnly) {
  WarninglistSet set =
      CompiledFrom(MispList("hostname", R"(["*.wild.example","dot.example",".sub.example"])"));
  struct Case {
    const char* domain;
    bool hit;
  };
  for (const Case& c : {Case{"wild.example", false}, Case{"a.wild.example", true},
                        Case{"dot.example", true}, Case{"x.dot.example", true},
                        Case{"sub.example", false}, Case{"a.b.sub.example", true},
                        Case{"xwild.example", false}, Case{"example", false}}) {
    SCOPED_TRACE(c.domain);
    EXPECT_EQ(!set.Match(Kind::kDomain, c.domain).empty(), c.hit);
  }
  EXPECT_EQ(set.Match(Kind::kDomain, "a.wild.example")[0].entry, "*.wild.example");
}

TEST(MispLists, StringListsAreCaseInsensitiveAndExact) {
  // As the IANA TLD list is written: upper case, for domain attributes.
  WarninglistSet set =
      CompiledFrom(MispList("string", R"(["COM","XN--11B4C3D"])", R"(["domain","hostname"])"));
  EXPECT_EQ(set.Match(Kind::kDomain, "com").size(), 1u);
  EXPECT_EQ(set.Match(Kind::kDomain, "xn--11b4c3d").size(), 1u);
  EXPECT_TRUE(set.Match(Kind::kDomain, "example.com").empty());
  EXPECT_TRUE(set.Match(Kind::kDomain, "co").empty());
  // matching_attributes decide the kinds: not a file name, not a URL.
  EXPECT_TRUE(set.Match(Kind::kFileName, "com").empty());
  EXPECT_TRUE(set.Match(Kind::kUrl, "com").empty());
}

TEST(MispLists, SubstringListsFindEveryPatternInOnePass) {
  WarninglistSet set = CompiledFrom(
      MispList("substring", R"(["any.run","Hybrid-Analysis.com","sandbox"])",
               R"(["domain","hostname","url"])"));
  struct Case {
    Kind kind;
    const char* value;
    const char* entry;  // nullptr: no hit
  };
  for (const Case& c : {
           Case{Kind::kDomain, "app.any.run", "any.run"},
           Case{Kind::kDomain, "www.hybrid-analysis.com", "hybrid-analysis.com"},
           Case{Kind::kUrl, "https://APP.ANY.RUN/tasks/1", "any.run"},
           Case{Kind::kUrl, "http://evil.com/?ref=mysandbox", "sandbox"},
           Case{Kind::kDomain, "anyxrun.com", nullptr},
           Case{Kind::kDomain, "any.ru", nullptr},
           Case{Kind::kEmail, "x@sandbox.com", nullptr},  // e-mail is not a matching attribute
       }) {
    SCOPED_TRACE(c.value);
    const std::vector<Hit> hits = set.Match(c.kind, c.value);
    if (c.entry == nullptr) {
      EXPECT_TRUE(hits.empty());
    } else {
      ASSERT_EQ(hits.size(), 1u);
      EXPECT_EQ(hits[0].entry, c.entry);
      EXPECT_NE(hits[0].reason.find("contains \""), std::string::npos);
    }
  }
}

TEST(AhoCorasick, OverlappingPatternsAreAllFound) {
  detail::AhoCorasick ac;
  const char* patterns[] = {"he", "she", "his", "hers", "HERS", "s"};
  for (uint32_t i = 0; i < 6; ++i) ac.Add(patterns[i], i);
  ac.Add("", 99);  // ignored
  ac.Compile();
  std::vector<std::pair<uint32_t, size_t>> found;
  ac.Scan("uSHers", [&](uint32_t p, size_t end) {
    found.emplace_back(p, end);
    return true;
  });
  std::sort(found.begin(), found.end());
  const std::vector<std::pair<uint32_t, size_t>> expected = {
      {0, 4}, {1, 4}, {3, 6}, {4, 6}, {5, 2}, {5, 6}};
  EXPECT_EQ(found, expected);
  // Stopping early.
  int calls = 0;
  ac.Scan("shershers", [&](uint32_t, size_t) { return ++calls < 2; });
  EXPECT_EQ(calls, 2);
  detail::AhoCorasick empty;
  empty.Compile();
  empty.Scan("anything", [](uint32_t, size_t) {
    ADD_FAILURE();
    return true;
  });
}

TEST(MispLists, RegexListsCompileOnceAndSearch) {
  WarninglistSet set = CompiledFrom(MispList(
      "regex", R"(["/^\\+1555/","/evil[0-9]+/i","/(?<name>x)/","plain-pattern","/a|/"])"));
  const ListInfo& info = set.Lists()[0];
  EXPECT_EQ(info.skipped_entries, 1u) << info.first_skip_reason;  // (?<name>: not RE2 syntax
  EXPECT_NE(info.first_skip_reason.find("RE2"), std::string::npos);
  EXPECT_EQ(set.Match(Kind::kPhoneNumber, "+15551234567").size(), 1u);
  EXPECT_EQ(set.Match(Kind::kPhoneNumber, "+15551234567")[0].entry, "/^\\+1555/");
  EXPECT_FALSE(set.Match(Kind::kPhoneNumber, "+25551234567").empty());  // "/a|/" matches ""
  WarninglistSet strict = CompiledFrom(MispList("regex", R"(["/^\\+1555/","/EVIL[0-9]+/i"])"));
  EXPECT_TRUE(strict.Match(Kind::kPhoneNumber, "+25551234567").empty());
  EXPECT_EQ(strict.Match(Kind::kDomain, "www.evil42.com").size(), 1u);
  EXPECT_TRUE(strict.Match(Kind::kDomain, "www.evil.com").empty());
  // Long values are matched too (RE2 is linear in the value), up to the limit.
  EXPECT_EQ(strict.Match(Kind::kDomain, std::string(2000, 'a') + "evil1").size(), 1u);
  EXPECT_TRUE(strict.Match(Kind::kDomain, std::string(70'000, 'a') + "evil1").empty());
}

TEST(MispLists, PathologicalRegexesMatchInLinearTime) {
  // Exponential for a backtracking engine; RE2 answers at once.
  WarninglistSet set = CompiledFrom(MispList("regex", R"(["/^(a+)+$/","/(a|aa)*c/"])"));
  EXPECT_TRUE(set.Match(Kind::kFileName, std::string(5000, 'a') + "b").empty());
  EXPECT_EQ(set.Match(Kind::kFileName, std::string(64, 'a')).size(), 1u);
}

TEST(MispLists, RegexesRe2CannotRunAreSkippedWithTheReason) {
  // Back-references (RE2 has none) are refused; braces that are no valid
  // repetition are literal text to RE2, as in Perl.
  WarninglistSet set = CompiledFrom(MispList(
      "regex",
      R"(["/a{99999999999999999999}/","/(a)\\1/","/a{2,99999999999}/","/a{3}b{1,2}/"])"));
  const ListInfo& info = set.Lists()[0];
  EXPECT_EQ(info.entries, 3u);
  EXPECT_EQ(info.skipped_entries, 1u);
  EXPECT_NE(info.first_skip_reason.find("RE2 refuses it"), std::string::npos)
      << info.first_skip_reason;
  EXPECT_EQ(set.Match(Kind::kFileName, "xaaabbz").size(), 1u);
  EXPECT_TRUE(set.Match(Kind::kFileName, "xaay").empty());
}

TEST(MispLists, MatchingAttributesDecideWhichValuesAListSees) {
  WarninglistSet set;
  ASSERT_TRUE(set.AddMispJson(MispList("cidr", R"(["192.0.2.0/24"])", R"(["ip-src"])"), "a.json")
                  .ok());
  ASSERT_TRUE(set.AddMispJson(MispList("cidr", R"(["192.0.2.0/24"])", R"([])"), "b.json").ok());
  ASSERT_TRUE(
      set.AddMispJson(MispList("cidr", R"(["192.0.2.0/24"])", R"(["md5"])"), "c.json").ok());
  set.Compile();
  EXPECT_EQ(Join(ListIds(set.Match(Kind::kIpv4, "192.0.2.1"))), "a,b");
  // Only the list without matching_attributes (all types) sees a URL's host.
  EXPECT_EQ(Join(ListIds(set.Match(Kind::kUrl, "http://192.0.2.1/"))), "b");
}

TEST(MispLists, MostSpecificEntryOfAListAndOneHitPerList) {
  WarninglistSet set;
  ASSERT_TRUE(set.AddMispJson(MispList("cidr", R"(["10.0.0.0/8","10.1.0.0/16","10.1.2.3"])"),
                              "nested.json")
                  .ok());
  ASSERT_TRUE(set.AddMispJson(MispList("hostname", R"(["example.com","www.example.com"])"),
                              "hosts.json")
                  .ok());
  set.Compile();
  struct Case {
    Kind kind;
    const char* value;
    const char* entry;
  };
  for (const Case& c : {Case{Kind::kIpv4, "10.1.2.3", "10.1.2.3"},
                        Case{Kind::kIpv4, "10.1.2.4", "10.1.0.0/16"},
                        Case{Kind::kIpv4, "10.2.0.0", "10.0.0.0/8"},
                        Case{Kind::kDomain, "a.www.example.com", "www.example.com"},
                        Case{Kind::kDomain, "a.example.com", "example.com"}}) {
    SCOPED_TRACE(c.value);
    const std::vector<Hit> hits = set.Match(c.kind, c.value);
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].entry, c.entry);
  }
}

TEST(Lifecycle, BuildThenRead) {
  WarninglistSet set;
  ASSERT_TRUE(set.AddMispJson(MispList("string", R"(["x"])"), "x.json").ok());
  // Before Compile, nothing matches.
  EXPECT_TRUE(set.Match(Kind::kDomain, "x").empty());
  // Ids are unique.
  core::Status dup = set.AddMispJson(MispList("string", R"(["y"])"), "other/x.json", "x");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(dup.error().message.find("already loaded"), std::string::npos);
  set.Compile();
  set.Compile();  // idempotent
  EXPECT_TRUE(set.compiled());
  EXPECT_EQ(set.Match(Kind::kDomain, "x").size(), 1u);
  // Compiled sets are read-only.
  core::Status late = set.AddMispJson(MispList("string", R"(["z"])"), "z.json");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, core::ErrorCode::kInvalidArgument);
  // Moving keeps the compiled matchers.
  WarninglistSet moved = std::move(set);
  EXPECT_EQ(moved.Match(Kind::kDomain, "x").size(), 1u);
}

TEST(Lifecycle, ConcurrentReadersSeeTheSameHits) {
  const std::vector<std::pair<Kind, std::string>> values = {
      {Kind::kIpv4, "192.168.7.7"}, {Kind::kDomain, "www.example.com"},
      {Kind::kUrl, "http://[fe80::1]/"}, {Kind::kIpv4, "93.184.216.34"}};
  std::vector<std::string> expected;
  for (const auto& [kind, value] : values) expected.push_back(Join(ListIds(Builtins().Match(kind, value))));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const size_t k = static_cast<size_t>(i + t) % values.size();
        if (Join(ListIds(Builtins().Match(values[k].first, values[k].second))) != expected[k]) {
          ++mismatches[t];
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
}

TEST(Paths, ListIds) {
  EXPECT_EQ(ListIdFromPath("lists/rfc1918/list.json"), "rfc1918");
  EXPECT_EQ(ListIdFromPath("my-list.json"), "my-list");
  EXPECT_EQ(ListIdFromPath("/a/b/ranges.txt"), "ranges.txt");
}

TEST(Paths, MissingFileAndEmptyDirectory) {
  WarninglistSet set;
  core::Status s = set.AddPath("/nonexistent/warninglist.json");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(s.error().location, "/nonexistent/warninglist.json");
  const std::filesystem::path empty =
      std::filesystem::temp_directory_path() / ("tessera_wl_empty_" + std::to_string(::getpid()));
  std::filesystem::create_directories(empty);
  s = set.AddPath(empty);
  std::filesystem::remove_all(empty);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::kNotFound);
}

// ---------------------------------------------------------------------------
// The real MISP lists in ../shared.

std::filesystem::path MispDir() {
  return testing::SharedDir() / "corpora" / "misp" / "warninglists";
}

TEST(RealMispLists, EveryListLoadsAndKnownEntriesMatch) {
  TESSERA_REQUIRE_SHARED();
  WarninglistSet set;
  set.AddBuiltins();
  core::Status s = set.AddPath(MispDir());
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  set.Compile();

  std::vector<std::string> ids;
  for (const ListInfo& info : set.Lists()) {
    if (info.builtin) continue;
    ids.push_back(info.id);
    SCOPED_TRACE(info.id);
    EXPECT_GT(info.entries, 0u);
    EXPECT_EQ(info.skipped_entries, 0u) << info.first_skip_reason;
  }
  EXPECT_EQ(Join(ids),
            "automated-malware-analysis,common-ioc-false-positive,empty-hashes,multicast,"
            "phone_numbers,public-dns-v6,rfc1918,rfc5735,sinkholes,tlds,url-shortener");

  struct Case {
    Kind kind;
    const char* value;
    const char* list;  // must be among the hits
  };
  const Case cases[] = {
      {Kind::kIpv4, "172.20.1.1", "rfc1918"},
      {Kind::kIpv4, "127.0.0.1", "rfc5735"},
      {Kind::kIpv4, "239.1.2.3", "multicast"},
      {Kind::kIpv6, "2001:148f:fffe::1", "public-dns-v6"},
      {Kind::kIpv4, "104.155.11.149", "sinkholes"},
      {Kind::kIpv4, "104.244.13.7", "sinkholes"},  // inside 104.244.12.0/22
      {Kind::kDomain, "com", "tlds"},
      {Kind::kDomain, "xn--11b4c3d", "tlds"},
      {Kind::kDomain, "bit.ly", "url-shortener"},
      {Kind::kDomain, "x.tinyurl.com", "url-shortener"},
      {Kind::kUrl, "https://bit.ly/3abcd", "url-shortener"},
      {Kind::kDomain, "app.any.run", "automated-malware-analysis"},
      {Kind::kUrl, "https://app.any.run/tasks/x", "automated-malware-analysis"},
      {Kind::kMd5, "d41d8cd98f00b204e9800998ecf8427e", "empty-hashes"},
      {Kind::kSha256, "01ba4719c80b6fe911b091a7c05124b64eeece964e09c058ef8f9805daca546b",
       "common-ioc-false-positive"},
      {Kind::kPhoneNumber, "+12125550123", "phone_numbers"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.value);
    const std::vector<Hit> hits = set.Match(c.kind, c.value);
    EXPECT_NE(FindHit(hits, c.list), nullptr) << Join(ListIds(hits));
  }
  // And values on none of them.
  for (const auto& [kind, value] : std::vector<std::pair<Kind, std::string>>{
           {Kind::kIpv4, "93.184.216.34"},
           {Kind::kDomain, "notbit.ly"},
           {Kind::kDomain, "example.comx"},
           {Kind::kPhoneNumber, "+4930123456"},
           {Kind::kMd5, "0123456789abcdef0123456789abcdef"}}) {
    SCOPED_TRACE(value);
    EXPECT_TRUE(set.Match(kind, value).empty()) << Join(ListIds(set.Match(kind, value)));
  }
}

TEST(RealMispLists, EachFileAloneGetsItsFolderName) {
  TESSERA_REQUIRE_SHARED();
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(MispDir())) {
    const std::filesystem::path file = entry.path() / "list.json";
    if (!std::filesystem::exists(file)) continue;
    ++files;
    WarninglistSet set;
    core::Status s = set.AddPath(file);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    ASSERT_EQ(set.Lists().size(), 1u);
    EXPECT_EQ(set.Lists()[0].id, entry.path().filename().string());
    EXPECT_EQ(set.Lists()[0].origin, file.string());
  }
  EXPECT_EQ(files, 11u);
  // schema.json is JSON but no list: a clear error naming it.
  WarninglistSet set;
  core::Status s = set.AddPath(MispDir() / "schema.json");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().location, (MispDir() / "schema.json").string());
  EXPECT_NE(s.error().message.find("not a MISP warninglist"), std::string::npos)
      << s.error().message;
}

}  // namespace
}  // namespace tessera::warninglists
