// MAC addresses (48-bit). Rules (docs/NORMALIZATION.md): "00:1A:2B:3C:4D:5E",
// "00-1a-2b-3c-4d-5e", "001a.2b3c.4d5e" (Cisco) and "001a2b3c4d5e" -> lower-case
// colon form "00:1a:2b:3c:4d:5e" (STIX 2.1 §6.10). One separator throughout.
// Colon groups of one hex digit, as BSD and macOS print them ("0:1a:2b:3c:4d:5e"),
// are padded with a note. 64-bit EUI-64 identifiers are refused; the broadcast
// address and all zeros are accepted with a note.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "normalize/identifiers.h"

namespace tessera::normalize {
namespace {

constexpr int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr const char* kEui64 = "a 64-bit EUI-64 identifier, not a 48-bit MAC address";

}  // namespace

namespace detail {

bool CanonicalizeMac(std::string_view text, Observable* out, std::string* reason) {
  auto refuse = [reason](std::string why) {
    *reason = std::move(why);
    return false;
  };
  const std::string_view s = detail::TrimAsciiSpace(text);
  if (s.empty()) return refuse("empty");
  std::array<uint8_t, 12> nibbles{};  // 12 hex digits
  bool padded = false;

  size_t sep_at = 0;
  while (sep_at < s.size() && HexValue(s[sep_at]) >= 0) ++sep_at;
  if (sep_at == s.size()) {  // bare hex
    if (s.size() == 16) return refuse(kEui64);
    if (s.size() != 12) {
      return refuse(std::to_string(s.size()) + " hex digits; a MAC address has 12");
    }
    for (size_t i = 0; i < 12; ++i) nibbles[i] = static_cast<uint8_t>(HexValue(s[i]));
  } else {
    const char sep = s[sep_at];
    if (sep != ':' && sep != '-' && sep != '.') {
      return refuse("character " + detail::QuoteForMessage(s.substr(sep_at, 1)) +
                    " is not allowed");
    }
    const size_t width = sep == '.' ? 4 : 2;  // digits per group
    const size_t groups_48 = sep == '.' ? 3 : 6;
    const size_t groups_64 = sep == '.' ? 4 : 8;
    // Split into groups of hex digits.
    std::array<std::string_view, 9> groups;
    size_t count = 0;
    size_t start = 0;
    for (size_t i = 0; i <= s.size(); ++i) {
      if (i < s.size() && HexValue(s[i]) >= 0) continue;
      if (i < s.size() && s[i] != sep) {
        const bool other_sep = s[i] == ':' || s[i] == '-' || s[i] == '.';
        return refuse(other_sep ? std::string("mixed separators")
                                : "character " + detail::QuoteForMessage(s.substr(i, 1)) +
                                      " is not allowed");
      }
      if (count == groups.size()) return refuse("too many groups");
      groups[count++] = s.substr(start, i - start);
      start = i + 1;
    }
    if (count == groups_64) {
      bool full = true;
      for (size_t g = 0; g < count; ++g) full = full && groups[g].size() == width;
      if (full) return refuse(kEui64);
    }
    if (count != groups_48) {
      return refuse(std::to_string(count) + " groups; a MAC address has " +
                    std::to_string(groups_48));
    }
    for (size_t g = 0; g < count; ++g) {
      const std::string_view group = groups[g];
      if (group.empty()) return refuse("empty group");
      if (group.size() > width) {
        return refuse("group " + detail::QuoteForMessage(group) + " has more than " +
                      std::to_string(width) + " hex digits");
      }
      if (group.size() < width) {
        if (sep != ':' || group.size() != 1) {
          return refuse("group " + detail::QuoteForMessage(group) + " has fewer than " +
                        std::to_string(width) + " hex digits");
        }
        padded = true;
      }
      const size_t base = g * width;
      for (size_t k = 0; k < width; ++k) {
        const size_t from_end = width - 1 - k;  // right-align the group
        nibbles[base + k] = from_end < group.size()
                                ? static_cast<uint8_t>(HexValue(group[group.size() - 1 - from_end]))
                                : 0;
      }
    }
  }

  static constexpr char kHex[] = "0123456789abcdef";
  char buf[17];
  bool all_zero = true;
  bool all_ones = true;
  for (size_t i = 0; i < 12; ++i) {
    buf[i / 2 * 3 + i % 2] = kHex[nibbles[i]];
    if (i % 2 == 1 && i < 11) buf[i / 2 * 3 + 2] = ':';
    all_zero = all_zero && nibbles[i] == 0;
    all_ones = all_ones && nibbles[i] == 0xf;
  }
  ObservableWriter writer(out, Kind::kMac);
  writer.value().assign(buf, sizeof buf);
  if (padded) writer.Note("one-digit groups padded with a leading zero");
  if (all_ones) writer.Note("broadcast address ff:ff:ff:ff:ff:ff, not one interface");
  if (all_zero) writer.Note("all zeros: placeholder, not a real interface");
  return true;
}

}  // namespace detail

core::Result<Observable> CanonicalMac(std::string_view text) {
  Observable obs;
  std::string reason;
  if (!detail::CanonicalizeMac(text, &obs, &reason)) return NotA(Kind::kMac, std::move(reason));
  return obs;
}

}  // namespace tessera::normalize
