// Digests and MACs through OpenSSL 3: SHA-1, SHA-256, HMAC-SHA-256, plus hex and
// base64 helpers. Stateless functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tessera::core {

using Sha1Digest = std::array<uint8_t, 20>;
using Sha256Digest = std::array<uint8_t, 32>;

Sha1Digest Sha1(std::string_view data);
Sha256Digest Sha256(std::string_view data);
Sha256Digest HmacSha256(std::string_view key, std::string_view data);

// Lower-case hex of any byte string.
std::string HexEncode(std::string_view bytes);
template <size_t N>
std::string HexEncode(const std::array<uint8_t, N>& digest) {
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), N));
}
// Decodes hex (either case, even length); nullopt on anything else.
std::optional<std::string> HexDecode(std::string_view hex);

// RFC 4648 base64 with padding. Decode is strict (padding required, no whitespace).
std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace tessera::core
