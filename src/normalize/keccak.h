// Keccak-256 as Ethereum and Monero use it: the original Keccak submission's
// padding (0x01 ... 0x80), not FIPS 202 SHA3-256's (0x06 ... 0x80), so the two
// digests differ. OpenSSL 3.0 only offers SHA3, hence our own Keccak-f[1600].
// Internal to normalize (wallet checksums). Stateless; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace tessera::normalize::detail {

using Keccak256Digest = std::array<uint8_t, 32>;

// Keccak-256 of `data` (rate 1088 bits, capacity 512, 256-bit output).
// Keccak256("") = c5d24601...5d85a470; Keccak256("abc") = 4e03657a...a12d6c45.
Keccak256Digest Keccak256(std::string_view data);

}  // namespace tessera::normalize::detail
