// Bitcoin addresses: legacy base58check (P2PKH, P2SH) and SegWit bech32 (BIP 173,
// witness v0) / bech32m (BIP 350, witness v1+). Decoding works in fixed-size
// buffers; the only allocations are the Observable's strings.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/hash.h"
#include "normalize/artifacts.h"

namespace tessera::normalize {
namespace {

constexpr Kind kKind = Kind::kBitcoinAddress;

// 'c' in quotes when printable ASCII, else a description: messages stay valid
// UTF-8 whatever the input.
std::string Quoted(char c) {
  if (c >= 32 && c < 127) return std::string{'\'', c, '\''};
  return "a control or non-ASCII byte";
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

Observable MakeAddress(std::string value, std::string_view network, std::string_view type) {
  Observable out;
  out.kind = kKind;
  out.value = std::move(value);
  out.fields.reserve(3);
  out.fields.emplace_back("currency", "bitcoin");
  out.fields.emplace_back("network", std::string(network));
  out.fields.emplace_back("address_type", std::string(type));
  return out;
}

// ---- Legacy base58check ------------------------------------------------------

constexpr std::string_view kBase58Alphabet =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

constexpr std::array<int8_t, 128> MakeBase58Values() {
  std::array<int8_t, 128> values{};
  for (auto& v : values) v = -1;
  for (size_t i = 0; i < kBase58Alphabet.size(); ++i) {
    values[static_cast<unsigned char>(kBase58Alphabet[i])] = static_cast<int8_t>(i);
  }
  return values;
}
constexpr std::array<int8_t, 128> kBase58Values = MakeBase58Values();

// version (1) + hash160 (20) + checksum (4).
constexpr size_t kLegacyBytes = 25;

core::Result<Observable> CanonicalLegacy(std::string_view text) {
  // 25 bytes encode to 26..35 characters (25..34 with a zero hash; we keep the
  // decoder's own size check as the real rule).
  if (text.size() < 25 || text.size() > 35) {
    return NotA(
        kKind, "a base58 address has 25 to 35 characters, this has " + std::to_string(text.size()));
  }
  std::array<uint8_t, kLegacyBytes> bytes{};
  size_t leading_ones = 0;
  while (leading_ones < text.size() && text[leading_ones] == '1') ++leading_ones;
  for (size_t i = leading_ones; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    int digit = c < 128 ? kBase58Values[c] : -1;
    if (digit < 0) {
      return NotA(kKind, Quoted(static_cast<char>(c)) + " is not in the base58 alphabet");
    }
    uint32_t carry = static_cast<uint32_t>(digit);
    for (size_t j = kLegacyBytes; j-- > 0;) {
      carry += 58u * bytes[j];
      bytes[j] = static_cast<uint8_t>(carry);
      carry >>= 8;
    }
    if (carry != 0) return NotA(kKind, "base58 payload is longer than 25 bytes");
  }
  // Base58 spells each leading zero byte as one '1'; anything else is a number
  // of the wrong size.
  size_t zero_bytes = 0;
  while (zero_bytes < kLegacyBytes && bytes[zero_bytes] == 0) ++zero_bytes;
  if (zero_bytes != leading_ones) {
    return NotA(kKind, "base58 payload is not 25 bytes");
  }
  std::string_view payload(reinterpret_cast<const char*>(bytes.data()), 21);
  core::Sha256Digest once = core::Sha256(payload);
  core::Sha256Digest twice =
      core::Sha256(std::string_view(reinterpret_cast<const char*>(once.data()), once.size()));
  for (size_t i = 0; i < 4; ++i) {
    if (twice[i] != bytes[21 + i]) return NotA(kKind, "base58check checksum does not match");
  }
  std::string_view network;
  std::string_view type;
  switch (bytes[0]) {
    case 0x00:
      network = "mainnet";
      type = "p2pkh";
      break;
    case 0x05:
      network = "mainnet";
      type = "p2sh";
      break;
    case 0x6f:
      network = "testnet";
      type = "p2pkh";
      break;
    case 0xc4:
      network = "testnet";
      type = "p2sh";
      break;
    default: {
      static constexpr char kHex[] = "0123456789abcdef";
      std::string version = "0x";
      version += kHex[bytes[0] >> 4];
      version += kHex[bytes[0] & 15];
      return NotA(kKind, "version byte " + version +
                             " is not a Bitcoin P2PKH/P2SH version (another coin?)");
    }
  }
  return MakeAddress(std::string(text), network, type);
}

// ---- SegWit bech32 / bech32m ----------------------------------------------------

constexpr std::string_view kBech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

constexpr std::array<int8_t, 128> MakeBech32Values() {
  std::array<int8_t, 128> values{};
  for (auto& v : values) v = -1;
  for (size_t i = 0; i < kBech32Charset.size(); ++i) {
    values[static_cast<unsigned char>(kBech32Charset[i])] = static_cast<int8_t>(i);
  }
  return values;
}
constexpr std::array<int8_t, 128> kBech32Values = MakeBech32Values();

// BIP 173 "Checksum": the BCH code's generator.
uint32_t PolymodStep(uint32_t chk, uint8_t value) {
  uint32_t top = chk >> 25;
  chk = ((chk & 0x1ffffff) << 5) ^ value;
  if (top & 1) chk ^= 0x3b6a57b2;
  if (top & 2) chk ^= 0x26508e6d;
  if (top & 4) chk ^= 0x1ea119fa;
  if (top & 8) chk ^= 0x3d4233dd;
  if (top & 16) chk ^= 0x2a1462b3;
  return chk;
}

constexpr uint32_t kBech32Constant = 1;            // BIP 173
constexpr uint32_t kBech32mConstant = 0x2bc830a3;  // BIP 350

core::Result<Observable> CanonicalSegwit(std::string_view text) {
  // BIP 173: at most 90 characters, US-ASCII 33..126, one case throughout.
  if (text.size() > 90) return NotA(kKind, "a bech32 address has at most 90 characters");
  bool has_lower = false;
  bool has_upper = false;
  for (char c : text) {
    if (c < 33 || c > 126) return NotA(kKind, "bech32 allows only printable ASCII");
    has_lower |= (c >= 'a' && c <= 'z');
    has_upper |= (c >= 'A' && c <= 'Z');
  }
  if (has_lower && has_upper) return NotA(kKind, "bech32 address mixes upper and lower case");

  size_t sep = text.rfind('1');
  // Callers route here only on a "bc1"/"tb1"/"bcrt1" prefix, so sep >= 2.
  std::string_view hrp_text = text.substr(0, sep);
  std::string_view data_text = text.substr(sep + 1);
  std::array<char, 4> hrp_buf{};
  if (hrp_text.size() > hrp_buf.size()) return NotA(kKind, "unknown bech32 prefix");
  for (size_t i = 0; i < hrp_text.size(); ++i) hrp_buf[i] = AsciiLower(hrp_text[i]);
  std::string_view hrp(hrp_buf.data(), hrp_text.size());
  std::string_view network;
  if (hrp == "bc") {
    network = "mainnet";
  } else if (hrp == "tb") {
    network = "testnet";
  } else if (hrp == "bcrt") {
    return NotA(kKind, "regtest address (a private test chain, never a public indicator)");
  } else {
    return NotA(kKind, "unknown bech32 prefix \"" + std::string(hrp) + "\"");
  }
  // Witness version + at least one program character + 6 checksum characters.
  if (data_text.size() < 8) return NotA(kKind, "bech32 data part is too short");

  std::array<uint8_t, 90> data{};
  for (size_t i = 0; i < data_text.size(); ++i) {
    auto c = static_cast<unsigned char>(AsciiLower(data_text[i]));
    int v = kBech32Values[c];  // c < 127 checked above
    if (v < 0) {
      std::string reason = "character '";
      reason += data_text[i];
      reason += "' is not in the bech32 alphabet";
      return NotA(kKind, std::move(reason));
    }
    data[i] = static_cast<uint8_t>(v);
  }
  // BIP 173: polymod over hrp-expanded (high bits, 0, low bits) then the data.
  uint32_t chk = 1;
  for (char c : hrp) chk = PolymodStep(chk, static_cast<uint8_t>(c) >> 5);
  chk = PolymodStep(chk, 0);
  for (char c : hrp) chk = PolymodStep(chk, static_cast<uint8_t>(c) & 31);
  for (size_t i = 0; i < data_text.size(); ++i) chk = PolymodStep(chk, data[i]);
  bool is_bech32m;
  if (chk == kBech32Constant) {
    is_bech32m = false;
  } else if (chk == kBech32mConstant) {
    is_bech32m = true;
  } else {
    return NotA(kKind, "bech32 checksum does not match");
  }

  uint8_t version = data[0];
  if (version > 16) return NotA(kKind, "witness version above 16");
  // BIP 350: v0 keeps bech32, v1..v16 must use bech32m.
  if (version == 0 && is_bech32m) return NotA(kKind, "witness v0 with a bech32m checksum");
  if (version != 0 && !is_bech32m) {
    return NotA(kKind,
                "witness v" + std::to_string(version) + " with a bech32 (not bech32m) checksum");
  }
  // Regroup the 5-bit program into bytes; padding must be under 5 bits and zero.
  std::array<uint8_t, 64> program{};
  size_t program_size = 0;
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 1; i + 6 < data_text.size(); ++i) {
    acc = (acc << 5) | data[i];
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      program[program_size++] = static_cast<uint8_t>(acc >> bits);
      acc &= (1u << bits) - 1;
    }
  }
  if (bits >= 5 || acc != 0) return NotA(kKind, "bech32 program has invalid padding");
  // BIP 141: programs are 2..40 bytes; v0 only 20 (P2WPKH) or 32 (P2WSH).
  if (program_size < 2 || program_size > 40) {
    return NotA(kKind,
                "witness program of " + std::to_string(program_size) + " bytes (2 to 40 allowed)");
  }
  std::string type;
  if (version == 0) {
    if (program_size == 20) {
      type = "p2wpkh";
    } else if (program_size == 32) {
      type = "p2wsh";
    } else {
      return NotA(kKind,
                  "witness v0 program must be 20 or 32 bytes, not " + std::to_string(program_size));
    }
  } else if (version == 1 && program_size == 32) {
    type = "p2tr";  // BIP 341
  } else {
    type = "segwit-v" + std::to_string(version);
  }
  std::string value(text);
  for (char& c : value) c = AsciiLower(c);
  Observable out = MakeAddress(std::move(value), network, type);
  if (has_upper) out.notes.push_back("upper-case bech32 written in lower case");
  return out;
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (AsciiLower(text[i]) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

core::Result<Observable> CanonicalBitcoinAddress(std::string_view text) {
  text = detail::TrimAsciiSpace(text);
  if (text.empty()) return NotA(kKind, "empty");
  if (StartsWithNoCase(text, "bc1") || StartsWithNoCase(text, "tb1") ||
      StartsWithNoCase(text, "bcrt1")) {
    return CanonicalSegwit(text);
  }
  return CanonicalLegacy(text);
}

}  // namespace tessera::normalize
