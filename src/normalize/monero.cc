// Monero addresses: a varint network prefix, public spend and view keys (and,
// for integrated addresses, an 8-byte payment id), then the first four bytes of
// Keccak-256 over all that, written in Monero's block-wise base58 (8 bytes ->
// 11 characters per full block; the last, partial block uses kEncodedBlockSizes).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/hash.h"
#include "normalize/artifacts.h"
#include "normalize/keccak.h"

namespace tessera::normalize {
namespace {

constexpr Kind kKind = Kind::kMoneroAddress;

constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

constexpr std::array<int8_t, 128> MakeValues() {
  std::array<int8_t, 128> values{};
  for (auto& v : values) v = -1;
  for (size_t i = 0; i < kAlphabet.size(); ++i) {
    values[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  }
  return values;
}
constexpr std::array<int8_t, 128> kValues = MakeValues();

constexpr size_t kFullBlockBytes = 8;
constexpr size_t kFullEncodedBlock = 11;
// Characters needed for a block of n bytes (n = 0..8): ceil(8n / log2(58)).
constexpr std::array<size_t, 9> kEncodedBlockSizes = {0, 2, 3, 5, 6, 7, 9, 10, 11};

// Bytes in a block of `chars` characters, or -1 when no block has that size.
int DecodedBlockSize(size_t chars) {
  for (size_t n = 0; n < kEncodedBlockSizes.size(); ++n) {
    if (kEncodedBlockSizes[n] == chars) return static_cast<int>(n);
  }
  return -1;
}

// Decodes one block into `out` (big-endian, `bytes` long). False on a bad
// character or a value that does not fit the block.
bool DecodeBlock(std::string_view chars, size_t bytes, uint8_t* out) {
  uint64_t num = 0;
  for (char c : chars) {
    auto u = static_cast<unsigned char>(c);
    int digit = u < 128 ? kValues[u] : -1;
    if (digit < 0) return false;
    // 58^11 exceeds 2^64: an 11-character block can overflow a full 8-byte block.
    if (num > (UINT64_MAX - static_cast<uint64_t>(digit)) / 58) return false;
    num = num * 58 + static_cast<uint64_t>(digit);
  }
  if (bytes < kFullBlockBytes && (num >> (8 * bytes)) != 0) return false;
  for (size_t i = bytes; i-- > 0;) {
    out[i] = static_cast<uint8_t>(num);
    num >>= 8;
  }
  return true;
}

struct Network {
  uint8_t prefix;
  const char* network;
  const char* type;
};

// cryptonote_config.h: CRYPTONOTE_PUBLIC_(INTEGRATED_|SUB)ADDRESS_BASE58_PREFIX.
constexpr std::array<Network, 9> kNetworks = {{
    {18, "mainnet", "standard"},
    {19, "mainnet", "integrated"},
    {42, "mainnet", "subaddress"},
    {53, "testnet", "standard"},
    {54, "testnet", "integrated"},
    {63, "testnet", "subaddress"},
    {24, "stagenet", "standard"},
    {25, "stagenet", "integrated"},
    {36, "stagenet", "subaddress"},
}};

// prefix (1) + spend key (32) + view key (32) [+ payment id (8)] + checksum (4).
constexpr size_t kStandardBytes = 69;
constexpr size_t kIntegratedBytes = 77;

}  // namespace

core::Result<Observable> CanonicalMoneroAddress(std::string_view text) {
  text = detail::TrimAsciiSpace(text);
  if (text.size() != 95 && text.size() != 106) {
    return NotA(kKind, "a Monero address has 95 or 106 characters, this has " +
                           std::to_string(text.size()));
  }
  std::array<uint8_t, kIntegratedBytes> bytes{};
  size_t size = 0;
  for (size_t pos = 0; pos < text.size(); pos += kFullEncodedBlock) {
    std::string_view block = text.substr(pos, kFullEncodedBlock);
    int block_bytes = DecodedBlockSize(block.size());
    // Both lengths are whole blocks plus a 7-character (5-byte) tail.
    if (block_bytes <= 0 || size + static_cast<size_t>(block_bytes) > bytes.size()) {
      return NotA(kKind, "not Monero base58");
    }
    if (!DecodeBlock(block, static_cast<size_t>(block_bytes), bytes.data() + size)) {
      return NotA(kKind, "not Monero base58 (bad character or block overflow)");
    }
    size += static_cast<size_t>(block_bytes);
  }
  if (size != kStandardBytes && size != kIntegratedBytes) return NotA(kKind, "wrong payload size");

  // A one-byte varint prefix: every known prefix is below 0x80.
  const Network* network = nullptr;
  for (const Network& n : kNetworks) {
    if (n.prefix == bytes[0]) network = &n;
  }
  if (network == nullptr) {
    return NotA(kKind, "network prefix " + std::to_string(bytes[0]) + " is not a Monero prefix");
  }
  bool integrated = std::string_view(network->type) == "integrated";
  if (integrated != (size == kIntegratedBytes)) {
    return NotA(kKind, std::string("a ") + network->type + " address must be " +
                           (integrated ? "106" : "95") + " characters");
  }
  size_t body = size - 4;
  detail::Keccak256Digest hash =
      detail::Keccak256(std::string_view(reinterpret_cast<const char*>(bytes.data()), body));
  for (size_t i = 0; i < 4; ++i) {
    if (hash[i] != bytes[body + i]) return NotA(kKind, "Keccak-256 checksum does not match");
  }
  Observable out;
  out.kind = kKind;
  out.value = std::string(text);
  out.fields.reserve(4);
  out.fields.emplace_back("currency", "monero");
  out.fields.emplace_back("network", network->network);
  out.fields.emplace_back("address_type", network->type);
  if (integrated) {
    out.fields.emplace_back(
        "payment_id",
        core::HexEncode(std::string_view(reinterpret_cast<const char*>(bytes.data()) + 65, 8)));
  }
  return out;
}

}  // namespace tessera::normalize
