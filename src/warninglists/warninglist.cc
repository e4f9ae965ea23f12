// WarninglistSet: parsing entries into the compiled matchers, and matching.
//
// Per list type:
//   cidr      -> two binary prefix trees (IPv4, IPv6), payloads on prefix nodes
//   hostname  -> hash map from a canonical domain to payloads; a value is looked
//                up once per label suffix (a.b.example.com, b.example.com, ...)
//   string    -> hash map from the ASCII-lower-cased entry to payloads
//   substring -> one Aho-Corasick automaton over every substring entry
//   regex     -> one RE2 per entry, compiled when the list is added
// A payload names its list, its note and (for cidr, substring, regex) the entry
// as written in hits. Whether a list applies to a value is a bit mask over
// normalize::Kind computed from the list's MISP matching_attributes.
#include "warninglists/warninglist.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <functional>
#include <re2/re2.h>
#include <sstream>
#include <string>
#include <system_error>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "normalize/classify.h"
#include "normalize/domain.h"
#include "normalize/email.h"
#include "normalize/identifiers.h"
#include "normalize/ip.h"
#include "normalize/url.h"
#include "warninglists/aho_corasick.h"
#include "warninglists/builtins.h"
#include "warninglists/cidr_trie.h"

namespace tessera::warninglists {
namespace {

using core::ErrorCode;
using normalize::Kind;

constexpr uint32_t kNoIndex = UINT32_MAX;
constexpr size_t kMaxEntryBytes = 4096;
constexpr uint8_t kSubdomainsOnly = 1;  // hostname entry written "*.example.com"

uint64_t Bit(Kind kind) { return uint64_t{1} << static_cast<int>(kind); }

uint64_t IpKinds() {
  return Bit(Kind::kIpv4) | Bit(Kind::kIpv6) | Bit(Kind::kIpv4Network) | Bit(Kind::kIpv6Network);
}

// MISP attribute types (misp-objects' describeTypes) and the kinds whose values
// they hold. Types not here apply to no value Tessera checks.
uint64_t KindsOfMispType(std::string_view type) {
  struct Row {
    std::string_view type;
    uint64_t kinds;
  };
  static const Row kRows[] = {
      {"ip-src", IpKinds()},
      {"ip-dst", IpKinds()},
      {"ip-src|port", IpKinds()},
      {"ip-dst|port", IpKinds()},
      {"domain|ip", IpKinds() | Bit(Kind::kDomain)},
      {"domain", Bit(Kind::kDomain)},
      {"hostname", Bit(Kind::kDomain)},
      {"hostname|port", Bit(Kind::kDomain)},
      {"url", Bit(Kind::kUrl)},
      {"uri", Bit(Kind::kUrl)},
      {"link", Bit(Kind::kUrl)},
      {"email", Bit(Kind::kEmail)},
      {"email-src", Bit(Kind::kEmail)},
      {"email-dst", Bit(Kind::kEmail)},
      {"email-reply-to", Bit(Kind::kEmail)},
      {"target-email", Bit(Kind::kEmail)},
      {"whois-registrant-email", Bit(Kind::kEmail)},
      {"dns-soa-email", Bit(Kind::kEmail)},
      {"md5", Bit(Kind::kMd5)},
      {"filename|md5", Bit(Kind::kMd5)},
      {"sha1", Bit(Kind::kSha1)},
      {"filename|sha1", Bit(Kind::kSha1)},
      {"sha256", Bit(Kind::kSha256)},
      {"filename|sha256", Bit(Kind::kSha256)},
      {"sha512", Bit(Kind::kSha512)},
      {"filename|sha512", Bit(Kind::kSha512)},
      {"ssdeep", Bit(Kind::kSsdeep)},
      {"filename|ssdeep", Bit(Kind::kSsdeep)},
      {"tlsh", Bit(Kind::kTlsh)},
      {"filename|tlsh", Bit(Kind::kTlsh)},
      {"filename", Bit(Kind::kFileName)},
      {"phone-number", Bit(Kind::kPhoneNumber)},
      {"whois-registrant-phone", Bit(Kind::kPhoneNumber)},
      {"mac-address", Bit(Kind::kMac)},
      {"AS", Bit(Kind::kAsn)},
      {"btc", Bit(Kind::kBitcoinAddress)},
      {"xmr", Bit(Kind::kMoneroAddress)},
      {"iban", Bit(Kind::kIban)},
      {"vulnerability", Bit(Kind::kCve)},
  };
  for (const Row& r : kRows) {
    if (r.type == type) return r.kinds;
  }
  return 0;
}

// The kinds a list applies to: those of its matching_attributes (all when it
// has none), narrowed to what its type can match. A cidr list matches addresses
// (and URL hosts that are addresses), a hostname list domains (and URL hosts,
// e-mail domains).
uint64_t KindMask(const ListSpec& spec) {
  uint64_t mask = 0;
  if (spec.matching_attributes.empty()) {
    mask = ~uint64_t{0};
  } else {
    for (const std::string& a : spec.matching_attributes) mask |= KindsOfMispType(a);
  }
  switch (spec.type) {
    case ListType::kCidr: mask &= IpKinds() | Bit(Kind::kUrl); break;
    case ListType::kHostname: mask &= Bit(Kind::kDomain) | Bit(Kind::kUrl) | Bit(Kind::kEmail); break;
    default: break;
  }
  return mask;
}

bool HasUpper(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && std::strchr(" \t\r\n\v\f", s.front()) != nullptr) s.remove_prefix(1);
  while (!s.empty() && std::strchr(" \t\r\n\v\f", s.back()) != nullptr) s.remove_suffix(1);
  return s;
}

// `text` for a message: at most 60 bytes, non-printable bytes as \xNN.
std::string Quote(std::string_view text) {
  std::string out = "\"";
  size_t n = 0;
  for (unsigned char c : text) {
    if (++n > 60) {
      out += "...";
      break;
    }
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  return out;
}

struct TransparentHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
struct Range {
  uint32_t begin = 0;
  uint32_t end = 0;
};
using KeyMap = std::unordered_map<std::string, Range, TransparentHash, std::equal_to<>>;

// An IP value parsed for the tries: address bytes, prefix length, family.
struct IpValue {
  detail::AddressBytes bytes{};
  int prefix = 0;
  bool v6 = false;
};

bool ParsePrefix(std::string_view text, int max, int* out) {
  if (text.empty() || text.size() > 3) return false;
  int v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v > max) return false;
  *out = v;
  return true;
}

// A canonical address or network ("192.0.2.1", "2001:db8::/32") for the tries.
// False for text that is not one (never a wrong address).
bool ParseIpValue(std::string_view text, bool v6, IpValue* out) {
  std::string_view addr = text;
  out->v6 = v6;
  out->prefix = v6 ? 128 : 32;
  const size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    addr = text.substr(0, slash);
    if (!ParsePrefix(text.substr(slash + 1), out->prefix, &out->prefix)) return false;
  }
  out->bytes = {};
  if (!v6) {
    const uint32_t v = normalize::Ipv4ToUint(addr);
    if (v == 0 && addr != "0.0.0.0") return false;
    for (int i = 0; i < 4; ++i) out->bytes[i] = static_cast<uint8_t>(v >> (24 - 8 * i));
    return true;
  }
  out->bytes = normalize::Ipv6ToBytes(addr);
  const bool all_zero =
      std::all_of(out->bytes.begin(), out->bytes.end(), [](uint8_t b) { return b == 0; });
  return !all_zero || addr == "::";
}

// ::ffff:a.b.c.d (RFC 4291 section 2.5.5.2) -> the IPv4 address (and prefix).
bool MappedIpv4(const IpValue& v6, IpValue* v4) {
  for (int i = 0; i < 10; ++i) {
    if (v6.bytes[i] != 0) return false;
  }
  if (v6.bytes[10] != 0xff || v6.bytes[11] != 0xff || v6.prefix < 96) return false;
  v4->v6 = false;
  v4->prefix = v6.prefix - 96;
  v4->bytes = {};
  for (int i = 0; i < 4; ++i) v4->bytes[i] = v6.bytes[12 + i];
  return true;
}

// The host of a canonical URL ("http://user@[2001:db8::1]:8080/x" -> "2001:db8::1").
std::string_view UrlHost(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view authority = url.substr(scheme + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  const size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    return close == std::string_view::npos ? std::string_view() : authority.substr(1, close - 1);
  }
  const size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos) authority = authority.substr(0, colon);
  return authority;
}

// MISP writes regexes PHP-style, "/pattern/flags"; a bare pattern is taken as is.
// RE2 matches in time linear in the value, whatever the pattern (no
// backtracking, no recursion): a list cannot make matching hang.
core::Result<std::unique_ptr<re2::RE2>> CompileRegex(std::string_view entry) {
  std::string_view pattern = entry;
  std::string_view flags;
  if (entry.size() >= 2 && entry.front() == '/') {
    const size_t close = entry.rfind('/');
    if (close > 0) {
      pattern = entry.substr(1, close - 1);
      flags = entry.substr(close + 1);
    }
  }
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_never_capture(true);  // only yes or no is asked
  options.set_max_mem(int64_t{1} << 20);
  options.set_case_sensitive(flags.find('i') == std::string_view::npos);
  auto regex = std::make_unique<re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()),
                                          options);
  if (!regex->ok()) {
    return core::MakeError(ErrorCode::kUnsupported, "RE2 refuses it: " + regex->error());
  }
  return regex;
}

}  // namespace

struct WarninglistSet::Impl {
  struct Payload {
    uint32_t list = 0;
    uint32_t note = kNoIndex;  // into notes; kNoIndex: the list's name explains
    uint32_t text = kNoIndex;  // into texts: the entry as shown in hits
    uint8_t flags = 0;
  };
  struct ListData {
    ListInfo info;
    uint64_t kinds = 0;
  };
  struct PendingCidr {
    IpValue ip;
    uint32_t payload;
  };
  struct RegexEntry {
    std::unique_ptr<re2::RE2> regex;
    uint32_t payload;
  };

  Limits limits;
  bool compiled = false;
  std::vector<ListInfo> infos;  // parallel to lists, what Lists() returns
  std::vector<ListData> lists;
  std::vector<Payload> payloads;
  std::vector<std::string> notes;
  std::vector<std::string> texts;
  size_t substring_bytes = 0;
  size_t regex_count = 0;

  // Build phase.
  std::vector<PendingCidr> pending_cidrs;
  std::vector<std::pair<std::string, uint32_t>> pending_hosts;
  std::vector<std::pair<std::string, uint32_t>> pending_strings;

  // Compiled.
  detail::CidrTrie trie4{32};
  detail::CidrTrie trie6{128};
  KeyMap hosts;
  KeyMap strings;
  std::vector<uint32_t> host_payloads;
  std::vector<uint32_t> string_payloads;
  detail::AhoCorasick substrings;
  std::vector<RegexEntry> regexes;

  explicit Impl(Limits l) : limits(l) {}

  core::Status Add(const ListSpec& spec);
  void Compile();

  // Matching. `found` holds (list, hit), at most one per list.
  using Found = std::vector<std::pair<uint32_t, Hit>>;
  void MatchValue(Kind kind, std::string_view value, Found* found) const;
  void MatchIp(Kind applies_to, std::string_view value, bool v6, std::string_view subject,
               Found* found) const;
  void MatchHostname(Kind applies_to, std::string_view domain, std::string_view subject,
                     Found* found) const;
  void MatchString(Kind applies_to, std::string_view value, std::string_view subject,
                   Found* found) const;
  void MatchSubstring(Kind applies_to, std::string_view value, Found* found) const;
  void MatchRegex(Kind applies_to, std::string_view value, Found* found) const;

  bool Applies(const Payload& p, Kind kind) const { return (lists[p.list].kinds & Bit(kind)) != 0; }
  const std::string& NoteOf(const Payload& p) const {
    return p.note == kNoIndex ? lists[p.list].info.name : notes[p.note];
  }
  static Hit* FindHit(Found* found, uint32_t list) {
    for (auto& [l, hit] : *found) {
      if (l == list) return &hit;
    }
    return nullptr;
  }
};

core::Status WarninglistSet::Impl::Add(const ListSpec& spec) {
  const std::string& origin = spec.origin;
  if (compiled) {
    return core::MakeError(ErrorCode::kInvalidArgument,
                           "the warninglist set is already compiled; build a new set to add "
                           "lists",
                           origin);
  }
  if (spec.id.empty()) {
    return core::MakeError(ErrorCode::kInvalidArgument, "a list needs an id", origin);
  }
  for (const ListData& l : lists) {
    if (l.info.id == spec.id) {
      return core::MakeError(ErrorCode::kInvalidArgument,
                             "a list with id \"" + spec.id + "\" is already loaded (from " +
                                 l.info.origin + ")",
                             origin);
    }
  }
  if (spec.entries.size() > kMaxListEntries) {
    return core::MakeError(ErrorCode::kLimit,
                           "more than " + std::to_string(kMaxListEntries) + " entries", origin);
  }
  if (spec.type == ListType::kSubstring) {
    size_t bytes = 0;
    for (const std::string& e : spec.entries) bytes += std::min(e.size(), kMaxEntryBytes);
    if (substring_bytes + bytes > limits.max_substring_bytes) {
      return core::MakeError(ErrorCode::kLimit,
                             "substring entries of " + std::to_string(bytes) +
                                 " bytes would exceed the set's limit of " +
                                 std::to_string(limits.max_substring_bytes) + " bytes",
                             origin);
    }
  }
  if (spec.type == ListType::kRegex && regex_count + spec.entries.size() > limits.max_regexes) {
    return core::MakeError(ErrorCode::kLimit,
                           std::to_string(spec.entries.size()) +
                               " regex entries would exceed the set's limit of " +
                               std::to_string(limits.max_regexes),
                           origin);
  }

  const auto list_index = static_cast<uint32_t>(lists.size());
  ListData data;
  data.kinds = KindMask(spec);
  ListInfo& info = data.info;
  info.id = spec.id;
  info.name = spec.name;
  info.description = spec.description;
  info.version = spec.version;
  info.type = spec.type;
  info.category = spec.category;
  info.matching_attributes = spec.matching_attributes;
  info.origin = spec.origin;
  info.builtin = spec.builtin;

  // Everything below only appends; on success the list is committed at the end
  // (no error can happen after the first append).
  std::unordered_set<std::string> seen;
  std::vector<RegexEntry> new_regexes;
  auto skip = [&](size_t i, std::string_view entry, const std::string& why) {
    if (info.skipped_entries++ == 0) {
      info.first_skip_reason =
          "/list/" + std::to_string(i) + " " + Quote(entry) + ": " + why;
    }
  };
  auto new_payload = [&](size_t i, std::string text, uint8_t flags) {
    Payload p;
    p.list = list_index;
    p.flags = flags;
    if (i < spec.notes.size() && !spec.notes[i].empty()) {
      p.note = static_cast<uint32_t>(notes.size());
      notes.push_back(spec.notes[i]);
    }
    if (!text.empty()) {
      p.text = static_cast<uint32_t>(texts.size());
      texts.push_back(std::move(text));
    }
    payloads.push_back(p);
    return static_cast<uint32_t>(payloads.size() - 1);
  };

  for (size_t i = 0; i < spec.entries.size(); ++i) {
    const std::string_view raw = spec.entries[i];
    const std::string_view entry = spec.type == ListType::kRegex ? raw : TrimSpace(raw);
    if (entry.empty()) {
      skip(i, raw, "empty");
      continue;
    }
    if (entry.size() > kMaxEntryBytes) {
      skip(i, raw, "longer than " + std::to_string(kMaxEntryBytes) + " bytes");
      continue;
    }
    switch (spec.type) {
      case ListType::kCidr: {
        const bool v6 = entry.find(':') != std::string_view::npos;
        core::Result<normalize::Observable> obs =
            entry.find('/') != std::string_view::npos ? normalize::CanonicalCidr(entry)
            : v6                                      ? normalize::CanonicalIpv6(entry)
                                                      : normalize::CanonicalIpv4(entry);
        if (!obs.ok()) {
          skip(i, raw, obs.error().message);
          break;
        }
        IpValue ip;
        if (!ParseIpValue(obs->value, v6, &ip)) {
          skip(i, raw, "not an IP address or network");
          break;
        }
        if (!seen.insert(obs->value).second) break;
        pending_cidrs.push_back(PendingCidr{ip, new_payload(i, obs->value, 0)});
        break;
      }
      case ListType::kHostname: {
        std::string_view name = entry;
        uint8_t flags = 0;
        if (name.substr(0, 2) == "*.") {
          name.remove_prefix(2);
          flags = kSubdomainsOnly;
        } else if (name.front() == '.') {
          name.remove_prefix(1);
          flags = kSubdomainsOnly;
        }
        normalize::DomainOptions options;
        options.allow_wildcard = false;
        options.allow_single_label = true;
        core::Result<normalize::Observable> obs = normalize::CanonicalDomain(name, options);
        if (!obs.ok()) {
          skip(i, raw, obs.error().message);
          break;
        }
        std::string key = obs->value;
        if (!seen.insert((flags != 0 ? "*." : "") + key).second) break;
        pending_hosts.emplace_back(std::move(key), new_payload(i, {}, flags));
        break;
      }
      case ListType::kString: {
        std::string key = AsciiLower(entry);
        if (!seen.insert(key).second) break;
        pending_strings.emplace_back(std::move(key), new_payload(i, {}, 0));
        break;
      }
      case ListType::kSubstring: {
        std::string key = AsciiLower(entry);
        if (!seen.insert(key).second) break;
        substring_bytes += key.size();
        substrings.Add(key, new_payload(i, key, 0));
        break;
      }
      case ListType::kRegex: {
        core::Result<std::unique_ptr<re2::RE2>> re = CompileRegex(entry);
        if (!re.ok()) {
          skip(i, raw, re.error().message);
          break;
        }
        if (!seen.insert(std::string(entry)).second) break;
        new_regexes.push_back(RegexEntry{std::move(*re), new_payload(i, std::string(entry), 0)});
        break;
      }
    }
  }
  info.entries = seen.size();
  regex_count += new_regexes.size();
  for (RegexEntry& r : new_regexes) regexes.push_back(std::move(r));
  infos.push_back(info);
  lists.push_back(std::move(data));
  return {};
}

void WarninglistSet::Impl::Compile() {
  if (compiled) return;
  compiled = true;
  for (const PendingCidr& c : pending_cidrs) {
    (c.ip.v6 ? trie6 : trie4).Insert(c.ip.bytes, c.ip.prefix, c.payload);
  }
  pending_cidrs.clear();
  pending_cidrs.shrink_to_fit();
  trie4.Freeze();
  trie6.Freeze();

  auto build = [](std::vector<std::pair<std::string, uint32_t>>* pending, KeyMap* map,
                  std::vector<uint32_t>* out) {
    // Stable: payloads of one key stay in list order.
    std::stable_sort(pending->begin(), pending->end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    map->reserve(pending->size());
    out->reserve(pending->size());
    for (size_t i = 0; i < pending->size();) {
      Range r;
      r.begin = static_cast<uint32_t>(out->size());
      const std::string& key = (*pending)[i].first;
      size_t j = i;
      for (; j < pending->size() && (*pending)[j].first == key; ++j) {
        out->push_back((*pending)[j].second);
      }
      r.end = static_cast<uint32_t>(out->size());
      map->emplace(std::move((*pending)[i].first), r);
      i = j;
    }
    pending->clear();
    pending->shrink_to_fit();
  };
  build(&pending_hosts, &hosts, &host_payloads);
  build(&pending_strings, &strings, &string_payloads);
  substrings.Compile();
}

void WarninglistSet::Impl::MatchIp(Kind applies_to, std::string_view value, bool v6,
                                   std::string_view subject, Found* found) const {
  IpValue ip;
  if (!ParseIpValue(value, v6, &ip)) return;
  auto on_trie = [&](const detail::CidrTrie& trie, const IpValue& probe, std::string_view shown) {
    trie.ForEachContaining(probe.bytes, probe.prefix, [&](uint32_t id, int depth) {
      const Payload& p = payloads[id];
      if (!Applies(p, applies_to)) return;
      const std::string& entry = texts[p.text];
      std::string reason(subject);
      reason += shown;
      const bool same = depth == probe.prefix;
      reason += same ? " is listed" : " is inside ";
      if (!same) reason += entry;
      reason += " (";
      reason += NoteOf(p);
      reason += ')';
      // Deeper prefixes come later: the most specific entry of a list wins.
      if (Hit* hit = FindHit(found, p.list)) {
        hit->entry = entry;
        hit->reason = std::move(reason);
      } else {
        found->emplace_back(p.list, Hit{lists[p.list].info.id, entry, std::move(reason)});
      }
    });
  };
  on_trie(v6 ? trie6 : trie4, ip, value);
  IpValue v4;
  if (v6 && MappedIpv4(ip, &v4)) {
    std::string shown(value);
    shown += " (IPv4-mapped ";
    std::string_view dotted = value.substr(value.rfind(':') + 1);
    shown += dotted;
    shown += ')';
    on_trie(trie4, v4, shown);
  }
}

void WarninglistSet::Impl::MatchHostname(Kind applies_to, std::string_view domain,
                                         std::string_view subject, Found* found) const {
  if (hosts.empty() || domain.empty()) return;
  std::string lowered;
  if (HasUpper(domain)) {
    lowered = AsciiLower(domain);
    domain = lowered;
  }
  if (domain.back() == '.') domain.remove_suffix(1);
  size_t pos = 0;
  while (pos < domain.size()) {
    const std::string_view suffix = domain.substr(pos);
    auto it = hosts.find(suffix);
    if (it != hosts.end()) {
      for (uint32_t k = it->second.begin; k < it->second.end; ++k) {
        const Payload& p = payloads[host_payloads[k]];
        if (!Applies(p, applies_to) || FindHit(found, p.list) != nullptr) continue;
        if (pos == 0 && (p.flags & kSubdomainsOnly) != 0) continue;
        std::string entry = (p.flags & kSubdomainsOnly) != 0 ? "*." : "";
        entry += suffix;
        std::string reason(subject);
        reason += domain;
        if (pos == 0) {
          reason += " is listed (";
        } else {
          reason += " is under ";
          reason += suffix;
          reason += " (";
        }
        reason += NoteOf(p);
        reason += ')';
        found->emplace_back(p.list, Hit{lists[p.list].info.id, std::move(entry), std::move(reason)});
      }
    }
    const size_t dot = domain.find('.', pos);
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
}

void WarninglistSet::Impl::MatchString(Kind applies_to, std::string_view value,
                                       std::string_view subject, Found* found) const {
  if (strings.empty()) return;
  std::string lowered;
  std::string_view key = value;
  if (HasUpper(value)) {
    lowered = AsciiLower(value);
    key = lowered;
  }
  auto it = strings.find(key);
  if (it == strings.end()) return;
  for (uint32_t k = it->second.begin; k < it->second.end; ++k) {
    const Payload& p = payloads[string_payloads[k]];
    if (!Applies(p, applies_to) || FindHit(found, p.list) != nullptr) continue;
    std::string reason(subject);
    reason += value;
    reason += " is listed (";
    reason += NoteOf(p);
    reason += ')';
    found->emplace_back(p.list, Hit{lists[p.list].info.id, it->first, std::move(reason)});
  }
}

void WarninglistSet::Impl::MatchSubstring(Kind applies_to, std::string_view value,
                                          Found* found) const {
  substrings.Scan(value, [&](uint32_t id, size_t) {
    const Payload& p = payloads[id];
    if (!Applies(p, applies_to) || FindHit(found, p.list) != nullptr) return true;
    const std::string& entry = texts[p.text];
    std::string reason(value);
    reason += " contains \"";
    reason += entry;
    reason += "\" (";
    reason += NoteOf(p);
    reason += ')';
    found->emplace_back(p.list, Hit{lists[p.list].info.id, entry, std::move(reason)});
    return true;
  });
}

void WarninglistSet::Impl::MatchRegex(Kind applies_to, std::string_view value,
                                      Found* found) const {
  if (regexes.empty() || value.size() > limits.max_regex_input_bytes) return;
  for (const RegexEntry& r : regexes) {
    const Payload& p = payloads[r.payload];
    if (!Applies(p, applies_to) || FindHit(found, p.list) != nullptr) continue;
    if (!re2::RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), *r.regex)) continue;
    const std::string& entry = texts[p.text];
    std::string reason(value);
    reason += " matches ";
    reason += entry;
    reason += " (";
    reason += NoteOf(p);
    reason += ')';
    found->emplace_back(p.list, Hit{lists[p.list].info.id, entry, std::move(reason)});
  }
}

void WarninglistSet::Impl::MatchValue(Kind kind, std::string_view value, Found* found) const {
  if (value.empty()) return;
  switch (kind) {
    case Kind::kIpv4:
    case Kind::kIpv4Network: MatchIp(kind, value, false, {}, found); return;
    case Kind::kIpv6:
    case Kind::kIpv6Network: MatchIp(kind, value, true, {}, found); return;
    case Kind::kDomain:
      MatchHostname(kind, value, {}, found);
      MatchString(kind, value, {}, found);
      break;
    case Kind::kUrl: {
      MatchString(kind, value, {}, found);
      const std::string_view host = UrlHost(value);
      if (host.empty()) break;
      if (host.find(':') != std::string_view::npos) {
        MatchIp(kind, host, true, "URL host ", found);
      } else if (!host.empty() && host.back() >= '0' && host.back() <= '9') {
        MatchIp(kind, host, false, "URL host ", found);  // a domain never ends in a digit
      } else {
        MatchHostname(kind, host, "URL host ", found);
        MatchString(kind, host, "URL host ", found);
      }
      break;
    }
    case Kind::kEmail: {
      MatchString(kind, value, {}, found);
      const size_t at = value.rfind('@');
      if (at != std::string_view::npos && at + 1 < value.size() && value[at + 1] != '[') {
        const std::string_view domain = value.substr(at + 1);
        MatchHostname(kind, domain, "e-mail domain ", found);
        MatchString(kind, domain, "e-mail domain ", found);
      }
      break;
    }
    default: MatchString(kind, value, {}, found); break;
  }
  MatchSubstring(kind, value, found);
  MatchRegex(kind, value, found);
}

// ---------------------------------------------------------------------------

WarninglistSet::WarninglistSet(Limits limits) : impl_(std::make_unique<Impl>(limits)) {}
WarninglistSet::~WarninglistSet() = default;
WarninglistSet::WarninglistSet(WarninglistSet&&) noexcept = default;
WarninglistSet& WarninglistSet::operator=(WarninglistSet&&) noexcept = default;

core::Status WarninglistSet::AddList(const ListSpec& list) { return impl_->Add(list); }

core::Status WarninglistSet::AddMispJson(std::string_view json, std::string_view origin,
                                         std::string_view id) {
  core::Result<ListSpec> spec = ParseMispWarninglist(json, origin);
  if (!spec.ok()) return spec.error();
  spec->id = id.empty() ? ListIdFromPath(origin) : std::string(id);
  return impl_->Add(*spec);
}

core::Status WarninglistSet::AddPath(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    return core::MakeError(ErrorCode::kNotFound, "no such file or directory", path.string());
  }
  std::vector<fs::path> files;
  if (fs::is_directory(status)) {
    for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().filename() == "list.json" && it->is_regular_file(ec)) {
        files.push_back(it->path());
      }
    }
    if (ec) return core::MakeError(ErrorCode::kIo, ec.message(), path.string());
    if (files.empty()) {
      return core::MakeError(ErrorCode::kNotFound,
                             "no list.json file under this directory (the misp-warninglists "
                             "layout is lists/<name>/list.json)",
                             path.string());
    }
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  for (const fs::path& file : files) {
    const std::string name = file.string();
    const uintmax_t size = fs::file_size(file, ec);
    if (ec) return core::MakeError(ErrorCode::kIo, ec.message(), name);
    if (size > kMaxListJsonBytes) {
      return core::MakeError(ErrorCode::kLimit,
                             "list file larger than " + std::to_string(kMaxListJsonBytes >> 20) +
                                 " MiB",
                             name);
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) return core::MakeError(ErrorCode::kIo, "cannot open", name);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) return core::MakeError(ErrorCode::kIo, "cannot read", name);
    TESSERA_RETURN_IF_ERROR(AddMispJson(buffer.str(), name));
  }
  return {};
}

void WarninglistSet::AddBuiltins() {
  for (const ListSpec& spec : BuiltinLists()) {
    core::Status s = impl_->Add(spec);
    // Only a duplicate id (builtins added twice) or a compiled set can fail.
    (void)s;
  }
}

void WarninglistSet::Compile() { impl_->Compile(); }
bool WarninglistSet::compiled() const { return impl_->compiled; }
const std::vector<ListInfo>& WarninglistSet::Lists() const { return impl_->infos; }

std::vector<Hit> WarninglistSet::Match(Kind kind, std::string_view value) const {
  std::vector<Hit> hits;
  if (!impl_->compiled) return hits;
  Impl::Found found;
  impl_->MatchValue(kind, value, &found);
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  hits.reserve(found.size());
  for (auto& [list, hit] : found) hits.push_back(std::move(hit));
  return hits;
}

std::vector<Hit> WarninglistSet::Match(std::string_view stix_type, std::string_view value) const {
  const bool network = value.find('/') != std::string_view::npos;
  if (stix_type == "ipv4-addr") return Match(network ? Kind::kIpv4Network : Kind::kIpv4, value);
  if (stix_type == "ipv6-addr") return Match(network ? Kind::kIpv6Network : Kind::kIpv6, value);
  if (stix_type == "domain-name") return Match(Kind::kDomain, value);
  if (stix_type == "url") return Match(Kind::kUrl, value);
  if (stix_type == "email-addr") return Match(Kind::kEmail, value);
  if (stix_type == "mac-addr") return Match(Kind::kMac, value);
  if (stix_type == "file") {
    const bool hex = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
    if (hex) {
      switch (value.size()) {
        case 32: return Match(Kind::kMd5, value);
        case 40: return Match(Kind::kSha1, value);
        case 64: return Match(Kind::kSha256, value);
        case 128: return Match(Kind::kSha512, value);
        default: break;
      }
    }
    return Match(Kind::kFileName, value);
  }
  return {};
}

core::Result<WarninglistSet::TokenResult> WarninglistSet::MatchToken(std::string_view token) const {
  TokenResult result;
  normalize::Classification c = normalize::Classify(token);
  if (c.kinds.empty()) {
    // A single label ("localhost", "com") is no domain indicator for normalize,
    // but lists do name some.
    normalize::DomainOptions options;
    options.allow_single_label = true;
    options.allow_wildcard = false;
    core::Result<normalize::Observable> single = normalize::CanonicalDomain(token, options);
    if (!single.ok() || single->value.find('.') != std::string::npos) {
      return core::MakeError(ErrorCode::kValidation,
                             c.reason.empty() ? "not an observable" : c.reason);
    }
    result.as.push_back(std::move(*single));
  } else {
    for (Kind kind : c.kinds) {
      core::Result<normalize::Observable> obs = normalize::NormalizeAs(kind, token);
      if (obs.ok()) result.as.push_back(std::move(*obs));
    }
    if (result.as.empty()) {
      core::Result<normalize::Observable> obs = normalize::Normalize(token);
      return obs.ok() ? core::Error{ErrorCode::kValidation, "not an observable", {}} : obs.error();
    }
  }
  for (const normalize::Observable& obs : result.as) {
    for (Hit& hit : Match(obs.kind, obs.value)) {
      const bool dup = std::any_of(result.hits.begin(), result.hits.end(),
                                   [&](const Hit& h) { return h.list == hit.list; });
      if (!dup) result.hits.push_back(std::move(hit));
    }
  }
  return result;
}

std::string ListIdFromPath(std::string_view path) {
  const std::filesystem::path p{std::string(path)};
  if (p.filename() == "list.json" && p.has_parent_path() &&
      !p.parent_path().filename().empty()) {
    return p.parent_path().filename().string();
  }
  if (p.extension() == ".json") return p.stem().string();
  return p.filename().string();
}

}  // namespace tessera::warninglists
