#include "store/object_index.h"

#include <arpa/inet.h>

#include <array>
#include <cctype>
#include <cstring>

#include "core/json.h"

namespace tessera::store {
namespace {

using core::Json;

const std::string* StringMember(const Json& object, std::string_view key) {
  const Json* value = object.Find(key);
  return value != nullptr && value->is_string() ? &value->as_string() : nullptr;
}

void AppendStrings(const Json& object, std::string_view key, std::vector<std::string>* out) {
  const Json* value = object.Find(key);
  if (value == nullptr || !value->is_array()) return;
  for (const Json& item : value->as_array()) {
    if (item.is_string()) out->push_back(item.as_string());
  }
}

// The host of a URL: between "://" (or the start) and the first '/', '?', '#',
// without user info and port. IPv6 literals keep their brackets stripped.
std::string_view UrlHost(std::string_view url) {
  size_t start = url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  size_t end = url.find_first_of("/?#", start);
  std::string_view authority = url.substr(start, end == std::string_view::npos ? url.size() - start
                                                                             : end - start);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    return close == std::string_view::npos ? std::string_view{} : authority.substr(1, close - 1);
  }
  if (size_t colon = authority.find(':'); colon != std::string_view::npos) {
    authority = authority.substr(0, colon);
  }
  return authority;
}

ObservableKey MakeKey(std::string kind, std::string value) {
  ObservableKey key;
  key.kind = std::move(kind);
  key.value = std::move(value);
  return key;
}

// Adds the host part of `host` as the key's domain or IP range.
void SetHost(std::string_view host, ObservableKey* key) {
  if (auto range = ParseIpRange(host)) {
    key->ip_low = std::move(range->low);
    key->ip_high = std::move(range->high);
  } else if (!host.empty()) {
    key->reversed_domain = ReverseDomain(host);
  }
}

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void IndexHashes(const Json& object, std::string_view type, std::vector<ObservableKey>* out) {
  const Json* hashes = object.Find("hashes");
  if (hashes == nullptr || !hashes->is_object()) return;
  for (const auto& [algorithm, value] : hashes->as_object()) {
    if (!value.is_string()) continue;
    std::string kind(type);
    kind.append(":").append(algorithm);
    out->push_back(MakeKey(std::move(kind), LowerAscii(value.as_string())));
  }
}

void IndexSco(const Json& object, std::string_view type, ObjectIndex* index) {
  auto& out = index->observables;
  if (type == "file" || type == "artifact" || type == "x509-certificate") {
    IndexHashes(object, type, &out);
  }
  if (type == "autonomous-system") {
    const Json* number = object.Find("number");
    int64_t n = 0;
    if (number != nullptr && number->GetInt64(&n)) {
      out.push_back(MakeKey(std::string(type), "AS" + std::to_string(n)));
    }
    return;
  }
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kValueProperty = {{
      {"file", "name"},
      {"mutex", "name"},
      {"windows-registry-key", "key"},
      {"directory", "path"},
      {"user-account", "account_login"},
      {"x509-certificate", "serial_number"},
      {"software", "name"},
      {"process", "command_line"},
  }};
  std::string_view property = "value";
  for (const auto& [t, p] : kValueProperty) {
    if (t == type) property = p;
  }
  const std::string* value = StringMember(object, property);
  if (value == nullptr || value->empty()) return;
  std::string kind(type);
  if (property != "value") kind.append(":").append(property);
  ObservableKey key = MakeKey(std::move(kind), *value);
  if (type == "ipv4-addr" || type == "ipv6-addr") {
    SetHost(*value, &key);
  } else if (type == "domain-name") {
    key.reversed_domain = ReverseDomain(*value);
  } else if (type == "url") {
    SetHost(UrlHost(*value), &key);
  } else if (type == "email-addr") {
    if (size_t at = value->rfind('@'); at != std::string::npos) {
      SetHost(std::string_view(*value).substr(at + 1), &key);
    }
  }
  out.push_back(std::move(key));
}

// The comparisons `type:path = 'value'` of a STIX pattern, as observable keys:
// "[domain-name:value = 'evil.example']" gives (domain-name, evil.example);
// file hashes give ("file:SHA-256", hex).
void IndexStixPattern(std::string_view pattern, std::vector<ObservableKey>* out) {
  size_t pos = 0;
  while ((pos = pattern.find('=', pos)) != std::string_view::npos) {
    size_t eq = pos++;
    if (eq > 0 && (pattern[eq - 1] == '!' || pattern[eq - 1] == '<' || pattern[eq - 1] == '>')) {
      continue;
    }
    // The value: the quoted string after '='.
    size_t q = eq + 1;
    while (q < pattern.size() && pattern[q] == ' ') ++q;
    if (q >= pattern.size() || pattern[q] != '\'') continue;
    std::string value;
    size_t i = q + 1;
    for (; i < pattern.size() && pattern[i] != '\''; ++i) {
      if (pattern[i] == '\\' && i + 1 < pattern.size()) ++i;
      value.push_back(pattern[i]);
    }
    if (i >= pattern.size()) return;
    // The object path before '=': back over spaces, then to '[', '(' or a space.
    size_t end = eq;
    while (end > 0 && pattern[end - 1] == ' ') --end;
    size_t begin = end;
    while (begin > 0 && pattern[begin - 1] != '[' && pattern[begin - 1] != '(' &&
           pattern[begin - 1] != ' ') {
      --begin;
    }
    std::string_view path = pattern.substr(begin, end - begin);
    size_t colon = path.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view type = path.substr(0, colon);
    std::string_view property = path.substr(colon + 1);
    ObservableKey key;
    if (property.starts_with("hashes.")) {
      std::string_view algorithm = property.substr(7);
      if (algorithm.size() >= 2 && algorithm.front() == '\'' && algorithm.back() == '\'') {
        algorithm = algorithm.substr(1, algorithm.size() - 2);
      }
      key = MakeKey(std::string(type).append(":").append(algorithm), LowerAscii(value));
    } else if (property == "value") {
      key = MakeKey(std::string(type), value);
      if (type == "ipv4-addr" || type == "ipv6-addr") {
        SetHost(value, &key);
      } else if (type == "domain-name") {
        key.reversed_domain = ReverseDomain(value);
      } else if (type == "url") {
        SetHost(UrlHost(value), &key);
      }
    } else if (type == "autonomous-system" && property == "number") {
      key = MakeKey(std::string(type), "AS" + value);
    } else {
      key = MakeKey(std::string(path), value);
    }
    out->push_back(std::move(key));
    pos = i + 1;
  }
}

// The hash algorithms of the STIX hashing-algorithm-ov, as hashes keys.
bool IsHashAlgorithm(std::string_view name) {
  for (std::string_view known : {"MD5", "SHA-1", "SHA-256", "SHA-512", "SHA3-256", "SHA3-512",
                                 "SSDEEP", "TLSH"}) {
    if (name == known) return true;
  }
  return false;
}

bool IsScoType(std::string_view type) {
  static constexpr std::array<std::string_view, 18> kScoTypes = {
      "artifact", "autonomous-system", "directory", "domain-name", "email-addr",
      "email-message", "file", "ipv4-addr", "ipv6-addr", "mac-addr", "mutex",
      "network-traffic", "process", "software", "url", "user-account",
      "windows-registry-key", "x509-certificate"};
  for (std::string_view t : kScoTypes) {
    if (t == type) return true;
  }
  return false;
}

}  // namespace

bool IsNamedType(std::string_view type) {
  return type == "threat-actor" || type == "malware" || type == "intrusion-set" ||
         type == "campaign" || type == "tool";
}

std::string ReverseDomain(std::string_view domain) {
  while (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
  std::string out;
  out.reserve(domain.size() + 1);
  while (!domain.empty()) {
    size_t dot = domain.rfind('.');
    std::string_view label = dot == std::string_view::npos ? domain : domain.substr(dot + 1);
    for (char c : label) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    out.push_back('.');
    domain = dot == std::string_view::npos ? std::string_view{} : domain.substr(0, dot);
  }
  return out;
}

std::optional<IpRange> ParseIpRange(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  std::string address(text);
  int prefix = -1;
  if (size_t slash = address.find('/'); slash != std::string::npos) {
    std::string_view digits = std::string_view(address).substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    prefix = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      prefix = prefix * 10 + (c - '0');
    }
    address.resize(slash);
  }
  std::array<unsigned char, 16> bytes{};
  int bits = 128;
  in_addr v4{};
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) {
    bytes[10] = bytes[11] = 0xff;
    std::memcpy(bytes.data() + 12, &v4, 4);
    if (prefix > 32) return std::nullopt;
    if (prefix >= 0) prefix += 96;
  } else if (inet_pton(AF_INET6, address.c_str(), bytes.data()) != 1) {
    return std::nullopt;
  }
  if (prefix > bits) return std::nullopt;
  if (prefix < 0) prefix = bits;
  IpRange range;
  range.low.assign(reinterpret_cast<const char*>(bytes.data()), 16);
  range.high = range.low;
  for (int bit = prefix; bit < bits; ++bit) {
    auto mask = static_cast<char>(0x80 >> (bit % 8));
    range.low[bit / 8] = static_cast<char>(range.low[bit / 8] & ~mask);
    range.high[bit / 8] = static_cast<char>(range.high[bit / 8] | mask);
  }
  return range;
}

std::string NormalizePattern(std::string_view pattern) {
  std::string out;
  out.reserve(pattern.size());
  bool pending_space = false;
  // A space separates two word characters ("IN", "OR", names); anywhere else it
  // carries no meaning.
  auto is_word = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
           c == ':' || c == '$' || static_cast<unsigned char>(c) >= 0x80;
  };
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space && is_word(c) && is_word(out.back())) out.push_back(' ');
    pending_space = false;
    if (c == '\'' || c == '"') {
      // Copy the quoted string verbatim, escapes included.
      char quote = c;
      out.push_back(c);
      for (++i; i < pattern.size(); ++i) {
        out.push_back(pattern[i]);
        if (pattern[i] == '\\' && i + 1 < pattern.size()) {
          out.push_back(pattern[++i]);
        } else if (pattern[i] == quote) {
          break;
        }
      }
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string NormalizeName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      out.push_back(c);
    } else if (std::isalnum(u)) {
      out.push_back(static_cast<char>(std::tolower(u)));
    }
  }
  return out;
}

core::Result<ObjectIndex> IndexObject(const stix::StixObject& object) {
  auto parsed = core::ParseJson(object.json);
  if (!parsed.ok()) return parsed.error();
  const Json& json = *parsed;
  if (!json.is_object()) {
    return core::MakeError(core::ErrorCode::kValidation, "a STIX object must be a JSON object",
                           object.id);
  }
  ObjectIndex index;
  const std::string& type = object.type;
  if (const Json* revoked = json.Find("revoked"); revoked != nullptr && revoked->is_bool()) {
    index.revoked = revoked->as_bool();
  }
  if (const std::string* until = StringMember(json, "valid_until")) index.valid_until = *until;
  AppendStrings(json, "labels", &index.labels);
  if (const std::string* name = StringMember(json, "name")) index.names.push_back(*name);
  AppendStrings(json, "aliases", &index.names);
  AppendStrings(json, "x_mitre_aliases", &index.names);

  if (IsScoType(type) || (!json.Find("created") && json.Find("value") != nullptr)) {
    IndexSco(json, type, &index);
    // SCOs are one object per value even when a producer gave a random id
    // (STIX 2.1 §2.9 only says SHOULD for deterministic ids): identify them
    // by their identifying values too. Names and command lines do not
    // identify (two files may share a name).
    for (const ObservableKey& key : index.observables) {
      size_t colon = key.kind.find(':');
      bool identifying = colon == std::string::npos || IsHashAlgorithm(key.kind.substr(colon + 1));
      if (!identifying) continue;
      std::string identity = "sco|";
      identity.append(key.kind).append("|").append(key.value);
      index.identity_keys.push_back(std::move(identity));
    }
  } else if (type == "indicator") {
    const std::string* pattern = StringMember(json, "pattern");
    const std::string* pattern_type = StringMember(json, "pattern_type");
    if (pattern != nullptr && pattern_type != nullptr) {
      std::string key = "indicator|";
      key.append(*pattern_type).append("|").append(NormalizePattern(*pattern));
      index.identity_keys.push_back(std::move(key));
      if (*pattern_type == "stix") IndexStixPattern(*pattern, &index.observables);
    }
  } else if (type == "relationship") {
    if (const std::string* s = StringMember(json, "source_ref")) index.source_ref = *s;
    if (const std::string* t = StringMember(json, "target_ref")) index.target_ref = *t;
    if (const std::string* r = StringMember(json, "relationship_type")) {
      index.relationship_type = *r;
    }
  } else if (type == "sighting") {
    if (const std::string* s = StringMember(json, "sighting_of_ref")) {
      index.sighting_refs.push_back(*s);
    }
    AppendStrings(json, "observed_data_refs", &index.sighting_refs);
    AppendStrings(json, "where_sighted_refs", &index.sighting_refs);
  }
  if (IsNamedType(type)) {
    for (const std::string& name : index.names) {
      std::string normalized = NormalizeName(name);
      if (normalized.empty()) continue;
      std::string key(type);
      key.append("|").append(normalized);
      bool seen = false;
      for (const std::string& k : index.identity_keys) seen = seen || k == key;
      if (!seen) index.identity_keys.push_back(std::move(key));
    }
  }
  return index;
}

}  // namespace tessera::store
