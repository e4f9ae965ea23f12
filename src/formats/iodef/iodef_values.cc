#include "formats/iodef/iodef_values.h"

#include <cctype>
#include <cstdint>
#include <string>

#include "core/hash.h"
#include "formats/strings.h"

namespace tessera::formats::iodef {
namespace {

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

bool IsHex(std::string_view s) {
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

std::optional<normalize::Kind> KindForBytes(size_t bytes) {
  switch (bytes) {
    case 16: return normalize::Kind::kMd5;
    case 20: return normalize::Kind::kSha1;
    case 32: return normalize::Kind::kSha256;
    case 64: return normalize::Kind::kSha512;
    default: return std::nullopt;
  }
}

}  // namespace

std::optional<stix::TlpLevel> RestrictionLevel(std::string_view restriction,
                                               std::string_view ext_restriction) {
  std::string r = Lower(restriction);
  if (r == "public" || r == "white" || r == "clear") return stix::TlpLevel::kClear;
  if (r == "partner" || r == "green") return stix::TlpLevel::kGreen;
  if (r == "need-to-know" || r == "amber") return stix::TlpLevel::kAmber;
  if (r == "private" || r == "red") return stix::TlpLevel::kRed;
  if (r == "ext-value" && !ext_restriction.empty()) {
    std::string ext = Lower(ext_restriction);
    if (auto level = stix::TlpLevelFromTlp2Value(ext)) return level;
    if (auto level = stix::TlpLevelFromTag(ext)) return level;
    return stix::TlpLevelFromTag("tlp:" + ext);
  }
  return std::nullopt;
}

std::optional<normalize::Kind> AddressKind(std::string_view category) {
  using normalize::Kind;
  std::string c = Lower(category);
  if (c == "ipv4-addr") return Kind::kIpv4;
  if (c == "ipv4-net" || c == "ipv4-net-mask") return Kind::kIpv4Network;
  if (c == "ipv6-addr") return Kind::kIpv6;
  if (c == "ipv6-net" || c == "ipv6-net-mask") return Kind::kIpv6Network;
  if (c == "e-mail" || c == "email") return Kind::kEmail;
  if (c == "mac") return Kind::kMac;
  if (c == "asn") return Kind::kAsn;
  if (c == "site-uri" || c == "uri" || c == "url") return Kind::kUrl;
  if (c == "domain-name" || c == "fqdn" || c == "domain") return Kind::kDomain;
  return std::nullopt;
}

std::string Unwrap(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (!IsSpace(text[i])) {
      out += text[i++];
      continue;
    }
    size_t j = i;
    bool newline = false;
    for (; j < text.size() && IsSpace(text[j]); ++j) {
      if (text[j] == '\n') newline = true;
    }
    if (!newline && i > 0 && j < text.size()) out.append(text.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string Collapse(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (IsSpace(c)) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string ExpandHive(std::string_view key) {
  static constexpr std::pair<std::string_view, std::string_view> kHives[] = {
      {"HKLM", "HKEY_LOCAL_MACHINE"}, {"HKCU", "HKEY_CURRENT_USER"},
      {"HKCR", "HKEY_CLASSES_ROOT"},  {"HKU", "HKEY_USERS"},
      {"HKCC", "HKEY_CURRENT_CONFIG"},
  };
  size_t slash = key.find('\\');
  std::string_view hive = key.substr(0, slash);
  for (const auto& [short_name, full] : kHives) {
    if (Lower(hive) == Lower(short_name)) {
      return std::string(full) + (slash == std::string_view::npos ? "" : std::string(key.substr(slash)));
    }
  }
  return std::string(key);
}

std::optional<std::string> Ipv4NetMaskToCidr(std::string_view text) {
  size_t sep = text.find_first_of("/ ");
  if (sep == std::string_view::npos) return std::nullopt;
  std::string_view address = text.substr(0, sep);
  std::string_view mask = text.substr(sep + 1);
  uint32_t bits = 0;
  int parts = 0;
  size_t i = 0;
  while (i <= mask.size() && parts < 4) {
    size_t dot = mask.find('.', i);
    std::string_view part = mask.substr(i, dot == std::string_view::npos ? mask.size() - i : dot - i);
    if (part.empty() || part.size() > 3) return std::nullopt;
    unsigned value = 0;
    for (char c : part) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value > 255) return std::nullopt;
    bits = (bits << 8) | value;
    ++parts;
    if (dot == std::string_view::npos) break;
    i = dot + 1;
  }
  if (parts != 4) return std::nullopt;
  int prefix = 0;
  while (prefix < 32 && (bits & (uint32_t{1} << (31 - prefix))) != 0) ++prefix;
  // The host part (below the prefix) must be all zeros: a contiguous mask.
  uint64_t host_mask = (uint64_t{1} << (32 - prefix)) - 1;
  if ((bits & host_mask) != 0) return std::nullopt;
  return std::string(address) + "/" + std::to_string(prefix);
}

std::optional<Digest> DecodeDigest(std::string_view algorithm, std::string_view value) {
  std::string name = Lower(algorithm);
  size_t hash = name.rfind('#');
  if (hash != std::string::npos) name = name.substr(hash + 1);
  std::optional<normalize::Kind> kind;
  if (name == "md5") {
    kind = normalize::Kind::kMd5;
  } else if (name == "sha1") {
    kind = normalize::Kind::kSha1;
  } else if (name == "sha256") {
    kind = normalize::Kind::kSha256;
  } else if (name == "sha512") {
    kind = normalize::Kind::kSha512;
  }
  std::string text = Unwrap(value);
  std::string compact;
  for (char c : text) {
    if (!IsSpace(c)) compact += c;
  }
  if (compact.empty()) return std::nullopt;
  Digest out;
  // XML-DSig: base64 of the digest bytes.
  if (auto decoded = core::Base64Decode(compact)) {
    std::optional<normalize::Kind> by_length = KindForBytes(decoded->size());
    if (by_length && (!kind || *kind == *by_length)) {
      out.kind = *by_length;
      out.hex = core::HexEncode(*decoded);
      return out;
    }
    // Base64 of the text "0x<hex>" (as in the RFC 8274 examples).
    std::string_view inner = *decoded;
    if (inner.size() > 2 && (inner.substr(0, 2) == "0x" || inner.substr(0, 2) == "0X") &&
        IsHex(inner.substr(2))) {
      std::optional<normalize::Kind> inner_kind = KindForBytes((inner.size() - 2) / 2);
      if ((inner.size() % 2) == 0 && inner_kind && (!kind || *kind == *inner_kind)) {
        out.kind = *inner_kind;
        out.hex = Lower(inner.substr(2));
        out.note = "DigestValue is base64 of the text '" + std::string(inner) +
                   "', not of the digest bytes; read as that hex value";
        return out;
      }
    }
  }
  // Plain hex.
  std::string_view hex = compact;
  if (hex.size() > 2 && (hex.substr(0, 2) == "0x" || hex.substr(0, 2) == "0X")) hex.remove_prefix(2);
  if (IsHex(hex) && hex.size() % 2 == 0) {
    std::optional<normalize::Kind> hex_kind = KindForBytes(hex.size() / 2);
    if (hex_kind && (!kind || *kind == *hex_kind)) {
      out.kind = *hex_kind;
      out.hex = Lower(hex);
      out.note = "DigestValue is hex, not base64; read as hex";
      return out;
    }
  }
  return std::nullopt;
}

}  // namespace tessera::formats::iodef
