// Ethereum addresses: "0x" + 40 hex digits, canonical in the EIP-55 checksum
// spelling (Keccak-256 of the lower-case hex decides each letter's case).
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "normalize/artifacts.h"
#include "normalize/keccak.h"

namespace tessera::normalize {
namespace {

constexpr Kind kKind = Kind::kEthereumAddress;

// 'c' in quotes when printable ASCII, else a description: messages stay valid
// UTF-8 whatever the input.
std::string Quoted(char c) {
  if (c >= 32 && c < 127) return std::string{'\'', c, '\''};
  return "a control or non-ASCII byte";
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

core::Result<Observable> CanonicalEthereumAddress(std::string_view text) {
  text = detail::TrimAsciiSpace(text);
  // Forty bare hex digits are as likely a SHA-1 as an address: the prefix decides.
  if (text.size() < 2 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) {
    return NotA(kKind, "missing the 0x prefix");
  }
  std::string_view hex = text.substr(2);
  if (hex.size() != 40) {
    return NotA(kKind,
                "an address has 40 hex digits after 0x, this has " + std::to_string(hex.size()));
  }
  std::array<char, 40> lower;
  bool has_lower = false;
  bool has_upper = false;
  for (size_t i = 0; i < 40; ++i) {
    char c = hex[i];
    if (!IsHexDigit(c)) {
      return NotA(kKind, Quoted(c) + " is not a hex digit");
    }
    has_lower |= (c >= 'a' && c <= 'f');
    has_upper |= (c >= 'A' && c <= 'F');
    lower[i] = (c >= 'A' && c <= 'F') ? static_cast<char>(c + 32) : c;
  }
  // EIP-55: hash the lower-case hex (as ASCII); letter i is upper case when
  // nibble i of the hash is >= 8.
  detail::Keccak256Digest hash = detail::Keccak256(std::string_view(lower.data(), lower.size()));
  Observable out;
  out.kind = kKind;
  out.value.reserve(42);
  out.value = "0x";
  for (size_t i = 0; i < 40; ++i) {
    char c = lower[i];
    uint8_t nibble = (i % 2 == 0) ? (hash[i / 2] >> 4) : (hash[i / 2] & 0x0f);
    if (c >= 'a' && nibble >= 8) c = static_cast<char>(c - 32);
    out.value += c;
  }
  if (has_lower && has_upper) {
    // Mixed case carries a checksum; a wrong one means a mistyped address.
    if (std::string_view(out.value).substr(2) != hex) {
      return NotA(kKind, "EIP-55 checksum (letter case) does not match");
    }
  } else if (out.value != text) {
    out.notes.push_back("input had no EIP-55 checksum; checksum case applied");
  }
  out.fields.emplace_back("currency", "ethereum");
  return out;
}

}  // namespace tessera::normalize
