// The built-in lists. Facts only (address blocks from RFCs and the IANA
// special-purpose registries, operators' published addresses); every entry says
// where it comes from. Bump a list's version when its entries change.
#include "warninglists/builtins.h"

#include <initializer_list>
#include <string>
#include <utility>

namespace tessera::warninglists {
namespace {

struct Entry {
  const char* value;
  const char* note;
};

ListSpec Make(const char* id, const char* name, const char* description, ListType type,
              std::initializer_list<const char*> attributes, std::initializer_list<Entry> entries) {
  ListSpec spec;
  spec.id = id;
  spec.name = name;
  spec.description = description;
  spec.version = 1;
  spec.type = type;
  spec.category = "false-positive";
  spec.origin = "<builtin>";
  spec.builtin = true;
  for (const char* a : attributes) spec.matching_attributes.emplace_back(a);
  for (const Entry& e : entries) {
    spec.entries.emplace_back(e.value);
    spec.notes.emplace_back(e.note);
  }
  return spec;
}

// MISP attribute types an IP-address list applies to; with "url", a URL whose
// host is an IP literal is checked too.
#define TESSERA_IP_ATTRIBUTES "ip-src", "ip-dst", "ip-src|port", "ip-dst|port", "domain|ip"

std::vector<ListSpec> Build() {
  std::vector<ListSpec> lists;

  // IANA IPv4 Special-Purpose Address Registry (RFC 6890 and its updates), the
  // RFC 1918 private blocks, RFC 5771 multicast and RFC 1112 class E.
  lists.push_back(Make(
      "reserved-ipv4", "Reserved, private and special-purpose IPv4 ranges",
      "Addresses that name no public host: private (RFC 1918), shared CGNAT (RFC 6598), "
      "loopback, link-local, documentation (RFC 5737), benchmarking, multicast, reserved. "
      "An indicator on one of them says nothing outside the reporter's own network.",
      ListType::kCidr, {TESSERA_IP_ATTRIBUTES, "url"},
      {
          {"0.0.0.0/8", "\"this network\", RFC 1122 section 3.2.1.3 / RFC 6890"},
          {"10.0.0.0/8", "RFC 1918 private address space"},
          {"100.64.0.0/10", "RFC 6598 shared address space (carrier-grade NAT)"},
          {"127.0.0.0/8", "loopback, RFC 1122 section 3.2.1.3"},
          {"169.254.0.0/16", "link-local, RFC 3927"},
          {"172.16.0.0/12", "RFC 1918 private address space"},
          {"192.0.0.0/24", "IETF protocol assignments, RFC 6890"},
          {"192.0.2.0/24", "documentation TEST-NET-1, RFC 5737"},
          {"192.31.196.0/24", "AS112-v4, RFC 7535"},
          {"192.52.193.0/24", "AMT, RFC 7450"},
          {"192.88.99.0/24", "deprecated 6to4 relay anycast, RFC 7526"},
          {"192.168.0.0/16", "RFC 1918 private address space"},
          {"192.175.48.0/24", "direct delegation AS112 service, RFC 7534"},
          {"198.18.0.0/15", "benchmarking, RFC 2544"},
          {"198.51.100.0/24", "documentation TEST-NET-2, RFC 5737"},
          {"203.0.113.0/24", "documentation TEST-NET-3, RFC 5737"},
          {"224.0.0.0/4", "multicast, RFC 5771"},
          {"233.252.0.0/24", "multicast documentation MCAST-TEST-NET, RFC 5771"},
          {"240.0.0.0/4", "reserved for future use (class E), RFC 1112 section 4"},
          {"255.255.255.255", "limited broadcast, RFC 919 / RFC 8190"},
      }));

  // IANA IPv6 Special-Purpose Address Registry (RFC 6890 and its updates), RFC
  // 4291 scopes. ::ffff:0:0/96 is not listed: an IPv4-mapped address is checked
  // as the IPv4 address it carries.
  lists.push_back(Make(
      "reserved-ipv6", "Reserved, private and special-purpose IPv6 ranges",
      "IPv6 addresses that name no public host: unspecified, loopback, unique local "
      "(RFC 4193), link-local, site-local, multicast, documentation (RFC 3849, RFC 9637), "
      "benchmarking, discard-only and IETF protocol assignments.",
      ListType::kCidr, {TESSERA_IP_ATTRIBUTES, "url"},
      {
          {"::/128", "unspecified address, RFC 4291 section 2.5.2"},
          {"::1/128", "loopback, RFC 4291 section 2.5.3"},
          {"64:ff9b:1::/48", "local-use IPv4/IPv6 translation, RFC 8215"},
          {"100::/64", "discard-only, RFC 6666"},
          {"2001::/23", "IETF protocol assignments, RFC 2928"},
          {"2001:2::/48", "benchmarking, RFC 5180"},
          {"2001:10::/28", "deprecated ORCHID, RFC 4843"},
          {"2001:20::/28", "ORCHIDv2, RFC 7343"},
          {"2001:db8::/32", "documentation, RFC 3849"},
          {"3fff::/20", "documentation, RFC 9637"},
          {"fc00::/7", "unique local addresses, RFC 4193"},
          {"fe80::/10", "link-local unicast, RFC 4291 section 2.5.6"},
          {"fec0::/10", "deprecated site-local, RFC 3879"},
          {"ff00::/8", "multicast, RFC 4291 section 2.7"},
      }));

  // RFC 2606 and RFC 6761 special-use names, RFC 6762 .local, RFC 8375 home.arpa.
  // Not .onion (RFC 7686): onion services are real, and often malicious, hosts.
  lists.push_back(Make(
      "documentation-domains", "Documentation, test and special-use domain names",
      "Names reserved for documentation and testing or that never resolve on the public "
      "DNS: example.com/.net/.org, .test, .example, .invalid, .localhost, .local, "
      "home.arpa. They match with all their subdomains.",
      ListType::kHostname,
      {"domain", "hostname", "domain|ip", "url", "email", "email-src", "email-dst"},
      {
          {"example.com", "documentation domain, RFC 2606 section 3"},
          {"example.net", "documentation domain, RFC 2606 section 3"},
          {"example.org", "documentation domain, RFC 2606 section 3"},
          {"example", "reserved top-level domain, RFC 2606 section 2"},
          {"test", "reserved top-level domain for testing, RFC 2606 section 2 / RFC 6761"},
          {"invalid", "reserved top-level domain that never resolves, RFC 2606 / RFC 6761"},
          {"localhost", "loopback name, RFC 2606 section 2 / RFC 6761 section 6.3"},
          {"local", "multicast DNS link-local names, RFC 6762"},
          {"home.arpa", "residential home networks, RFC 8375"},
      }));

  // The operators' own published resolver addresses.
  lists.push_back(Make(
      "public-dns-resolvers", "Well-known public DNS resolvers",
      "Anycast addresses of the big public DNS resolvers. Malware talks to them as every "
      "other program does; they are no indicator of anything.",
      ListType::kCidr, {TESSERA_IP_ATTRIBUTES},
      {
          {"8.8.8.8", "Google Public DNS"},
          {"8.8.4.4", "Google Public DNS"},
          {"2001:4860:4860::8888", "Google Public DNS"},
          {"2001:4860:4860::8844", "Google Public DNS"},
          {"1.1.1.1", "Cloudflare DNS 1.1.1.1"},
          {"1.0.0.1", "Cloudflare DNS 1.1.1.1"},
          {"1.1.1.2", "Cloudflare DNS 1.1.1.1 for Families (malware blocking)"},
          {"1.0.0.2", "Cloudflare DNS 1.1.1.1 for Families (malware blocking)"},
          {"1.1.1.3", "Cloudflare DNS 1.1.1.1 for Families (malware and adult content)"},
          {"1.0.0.3", "Cloudflare DNS 1.1.1.1 for Families (malware and adult content)"},
          {"2606:4700:4700::1111", "Cloudflare DNS 1.1.1.1"},
          {"2606:4700:4700::1001", "Cloudflare DNS 1.1.1.1"},
          {"9.9.9.9", "Quad9"},
          {"149.112.112.112", "Quad9"},
          {"2620:fe::fe", "Quad9"},
          {"2620:fe::9", "Quad9"},
          {"208.67.222.222", "OpenDNS (Cisco Umbrella)"},
          {"208.67.220.220", "OpenDNS (Cisco Umbrella)"},
          {"208.67.222.123", "OpenDNS FamilyShield"},
          {"208.67.220.123", "OpenDNS FamilyShield"},
          {"2620:119:35::35", "OpenDNS (Cisco Umbrella)"},
          {"2620:119:53::53", "OpenDNS (Cisco Umbrella)"},
      }));

  // Digests of zero bytes, computed (`printf '' | openssl dgst -md5`, -sha1,
  // -sha256, -sha512) and checked by the tests against core/hash.h.
  lists.push_back(Make(
      "empty-file-hashes", "Hashes of the empty file",
      "MD5, SHA-1, SHA-256 and SHA-512 of zero bytes: a sample that hashes to one of "
      "them is an empty file, whatever name it was reported under.",
      ListType::kString,
      {"md5", "sha1", "sha256", "sha512", "filename|md5", "filename|sha1", "filename|sha256",
       "filename|sha512"},
      {
          {"d41d8cd98f00b204e9800998ecf8427e", "MD5 of the empty file"},
          {"da39a3ee5e6b4b0d3255bfef95601890afd80709", "SHA-1 of the empty file"},
          {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
           "SHA-256 of the empty file"},
          {"cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
           "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
           "SHA-512 of the empty file"},
      }));

  // A few dozen of the most visited sites (any public top-sites ranking has them
  // near the top). Domains only: they match with subdomains, but URLs and e-mail
  // addresses on them are not flagged (a phishing page on a big platform, or a
  // sender on a big mail service, is still an indicator).
  const char* top = "very well-known site";
  lists.push_back(Make(
      "top-sites", "Very well-known sites",
      "Domains of a few dozen of the most visited sites and their subdomains. A domain "
      "indicator on one of them is almost always a false positive.",
      ListType::kHostname, {"domain", "hostname", "domain|ip"},
      {
          {"google.com", top},      {"youtube.com", top},       {"facebook.com", top},
          {"instagram.com", top},   {"whatsapp.com", top},      {"twitter.com", top},
          {"x.com", top},           {"wikipedia.org", top},     {"amazon.com", top},
          {"apple.com", top},       {"icloud.com", top},        {"microsoft.com", top},
          {"windows.com", top},     {"windowsupdate.com", top}, {"office.com", top},
          {"live.com", top},        {"bing.com", top},          {"msn.com", top},
          {"linkedin.com", top},    {"netflix.com", top},       {"yahoo.com", top},
          {"reddit.com", top},      {"tiktok.com", top},        {"baidu.com", top},
          {"yandex.ru", top},       {"zoom.us", top},           {"adobe.com", top},
          {"paypal.com", top},      {"ebay.com", top},          {"github.com", top},
          {"stackoverflow.com", top}, {"mozilla.org", top},     {"cloudflare.com", top},
          {"akamai.com", top},      {"imdb.com", top},          {"bbc.co.uk", top},
          {"nytimes.com", top},     {"cnn.com", top},
      }));

  // Cloudflare's published ranges (https://www.cloudflare.com/ips-v4 and ips-v6):
  // shared anycast addresses in front of millions of sites, so an address alone
  // names none of them. Addresses only; URLs on them stay indicators.
  const char* cf = "Cloudflare published range (cloudflare.com/ips)";
  lists.push_back(Make(
      "cloud-ranges", "Shared CDN and cloud front-end ranges",
      "Cloudflare's published IPv4 and IPv6 ranges: shared reverse-proxy addresses, where "
      "one address serves many unrelated sites.",
      ListType::kCidr, {TESSERA_IP_ATTRIBUTES},
      {
          {"173.245.48.0/20", cf}, {"103.21.244.0/22", cf}, {"103.22.200.0/22", cf},
          {"103.31.4.0/22", cf},   {"141.101.64.0/18", cf}, {"108.162.192.0/18", cf},
          {"190.93.240.0/20", cf}, {"188.114.96.0/20", cf}, {"197.234.240.0/22", cf},
          {"198.41.128.0/17", cf}, {"162.158.0.0/15", cf},  {"104.16.0.0/13", cf},
          {"104.24.0.0/14", cf},   {"172.64.0.0/13", cf},   {"131.0.72.0/22", cf},
          {"2400:cb00::/32", cf},  {"2606:4700::/32", cf},  {"2803:f800::/32", cf},
          {"2405:b500::/32", cf},  {"2405:8100::/32", cf},  {"2a06:98c0::/29", cf},
          {"2c0f:f248::/32", cf},
      }));
  return lists;
}

#undef TESSERA_IP_ATTRIBUTES

}  // namespace

const std::vector<ListSpec>& BuiltinLists() {
  static const std::vector<ListSpec> lists = Build();
  return lists;
}

}  // namespace tessera::warninglists
