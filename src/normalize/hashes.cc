// Hash digests. Rules (docs/NORMALIZATION.md):
//  - Hex digests are told apart by length: 32 MD5, 40 SHA-1, 64 SHA-256,
//    128 SHA-512; upper or mixed case is lower-cased. Any other length is
//    refused ("35 hex digits: truncated or not a hash").
//  - TLSH: "T1" + 70 hex digits; the prefix is kept upper case ("t1" accepted)
//    and the hex lower-cased like every other digest. The legacy form without
//    the prefix (70 hex digits, a length no other digest has) gets "T1" in front
//    with a note, so both spellings of one digest become one value. "TNULL" (the
//    TLSH of too little input) is refused.
//  - SSDEEP: "blocksize:chunk:chunk", blocksize decimal 3 x 2^n without leading
//    zero, chunks in the base64 alphabet (at most 64 characters each). Case is
//    KEPT: the chunks are base64, and lower-casing would change the digest.
//    ssdeep's `"file name"` suffix after ',' is refused with a reason.
//  - All-zero hex digests are kept with a note (a placeholder, not a real hash);
//    digests of empty input (MD5 d41d8cd9..., SHA-256 e3b0c442..., ...) with a
//    note too: they match every empty file.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "normalize/identifiers.h"

namespace tessera::normalize {

namespace detail {

std::string QuoteForMessage(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "'";
  const size_t limit = text.size() > 48 ? 45 : text.size();
  for (size_t i = 0; i < limit; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c >= 0x7f || c == '\\') {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (limit < text.size()) out += "...";
  out += '\'';
  return out;
}

}  // namespace detail

namespace {

using detail::QuoteForMessage;

constexpr bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr char ToLowerAscii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
constexpr bool IsBase64(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' ||
         c == '/';
}

bool IsHashKind(Kind kind) {
  switch (kind) {
    case Kind::kMd5:
    case Kind::kSha1:
    case Kind::kSha256:
    case Kind::kSha512:
    case Kind::kSsdeep:
    case Kind::kTlsh:
      return true;
    default:
      return false;
  }
}

// Digests of the empty input, lower case.
constexpr std::array<std::string_view, 4> kEmptyInputDigests = {
    "d41d8cd98f00b204e9800998ecf8427e",
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
    "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
};

// Builds errors for CanonicalHash (kind unknown) or CanonicalHashAs (kind given).
struct HashErrors {
  std::optional<Kind> want;
  core::Error Make(std::string reason) const {
    if (want) return NotA(*want, std::move(reason));
    return core::MakeError(core::ErrorCode::kValidation, "not a valid hash: " + reason);
  }
};

bool Fail(std::string* reason, std::string why) {
  *reason = std::move(why);
  return false;
}

// An SSDEEP digest (`s` holds a ':') into `*out`; false with the reason in `*reason`.
bool ParseSsdeep(std::string_view s, Observable* out, std::string* reason) {
  const size_t c1 = s.find(':');
  const size_t c2 = s.find(':', c1 + 1);
  const std::string_view block = s.substr(0, c1);
  bool label = !block.empty();
  for (char c : block)
    label = label && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-');
  bool numeric = !block.empty();
  for (char c : block) numeric = numeric && c >= '0' && c <= '9';
  if (label && !numeric && c2 == std::string_view::npos) {
    return Fail(reason,
                "has a label " + QuoteForMessage(s.substr(0, c1 + 1)) + "; give the digest alone");
  }
  if (c2 == std::string_view::npos || s.find(':', c2 + 1) != std::string_view::npos) {
    return Fail(reason, "an ssdeep hash has three parts, blocksize:chunk:chunk");
  }
  if (!numeric) {
    return Fail(reason, "ssdeep block size " + QuoteForMessage(block) + " is not a number");
  }
  if (block.size() > 1 && block[0] == '0') {
    return Fail(reason, "leading zero in the ssdeep block size " + QuoteForMessage(block));
  }
  uint64_t bs = 0;
  for (char c : block) {
    bs = bs * 10 + static_cast<uint64_t>(c - '0');
    if (bs > 0xffffffffu) return Fail(reason, "ssdeep block size is too large");
  }
  // ssdeep block sizes are 3 * 2^n (SSDEEP_MIN_BLOCKSIZE 3, doubled each step).
  if (bs < 3 || bs % 3 != 0 || ((bs / 3) & (bs / 3 - 1)) != 0) {
    return Fail(reason, "ssdeep block size " + std::to_string(bs) +
                            " is not 3 x 2^n; ssdeep never produces it");
  }
  const std::string_view chunk1 = s.substr(c1 + 1, c2 - c1 - 1);
  const std::string_view chunk2 = s.substr(c2 + 1);
  for (const std::string_view chunk : {chunk1, chunk2}) {
    for (size_t i = 0; i < chunk.size(); ++i) {
      if (chunk[i] == ',') {
        return Fail(reason, "has a file name after ','; give the hash alone");
      }
      if (!IsBase64(chunk[i])) {
        return Fail(reason, "character " + QuoteForMessage(chunk.substr(i, 1)) +
                                " is not in the base64 alphabet of ssdeep chunks");
      }
    }
    if (chunk.size() > 64) return Fail(reason, "ssdeep chunk longer than 64 characters");
  }
  detail::ObservableWriter writer(out, Kind::kSsdeep);
  writer.value().assign(s);  // case kept: base64
  if (chunk1.empty() && chunk2.empty()) {
    writer.Note("empty ssdeep signature: the hash of empty or tiny input");
  }
  return true;
}

// A hex digest or TLSH (no ':' in `s`, trimmed, not empty) into `*out`; false with
// the reason in `*reason`.
bool ParseHexDigest(std::string_view s, Observable* out, std::string* reason) {
  if (s == "TNULL" || s == "tnull") {
    reason->assign("TNULL: TLSH had too little input to hash; it matches nothing");
    return false;
  }

  std::string_view hex = s;
  bool tlsh_prefix = false;
  if (s.size() == 72 && (s[0] == 'T' || s[0] == 't') && s[1] == '1') {
    hex = s.substr(2);
    tlsh_prefix = true;
  }
  if (hex.size() >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) {
    reason->assign("'0x' prefix; give the hex digits alone");
    return false;
  }
  for (size_t i = 0; i < hex.size(); ++i) {
    if (!IsHex(hex[i])) {
      reason->assign("character ").append(QuoteForMessage(hex.substr(i, 1)));
      reason->append(" at offset ").append(std::to_string(i + (tlsh_prefix ? 2 : 0)));
      reason->append(" is not a hex digit");
      return false;
    }
  }

  Kind kind;
  switch (hex.size()) {
    case 32:
      kind = Kind::kMd5;
      break;
    case 40:
      kind = Kind::kSha1;
      break;
    case 64:
      kind = Kind::kSha256;
      break;
    case 128:
      kind = Kind::kSha512;
      break;
    case 70:
      kind = Kind::kTlsh;
      break;
    default:
      reason->assign(std::to_string(hex.size()));
      reason->append(
          " hex digits: truncated or not a hash (MD5 has 32, SHA-1 40, SHA-256 64, "
          "SHA-512 128, TLSH 70)");
      return false;
  }
  detail::ObservableWriter writer(out, kind);
  std::string& value = writer.value();
  if (kind == Kind::kTlsh) {
    value.assign("T1");
    for (char c : hex) value += ToLowerAscii(c);
    if (!tlsh_prefix) writer.Note("legacy TLSH without the 'T1' version prefix; prefix added");
    return true;
  }
  value.resize(hex.size());
  bool all_zero = true;
  for (size_t i = 0; i < hex.size(); ++i) {
    value[i] = ToLowerAscii(hex[i]);
    all_zero = all_zero && hex[i] == '0';
  }
  if (all_zero) writer.Note("all zeros: placeholder, not a real hash");
  for (std::string_view empty : kEmptyInputDigests) {
    if (value == empty) writer.Note("digest of empty input: matches every empty file");
  }
  return true;
}

core::Result<Observable> ParseHash(std::string_view text, const HashErrors& err) {
  const std::string_view s = detail::TrimAsciiSpace(text);
  if (s.empty()) return err.Make("empty");
  Observable obs;
  std::string reason;
  const bool ok = s.find(':') != std::string_view::npos ? ParseSsdeep(s, &obs, &reason)
                                                        : ParseHexDigest(s, &obs, &reason);
  if (!ok) return err.Make(std::move(reason));
  return obs;
}

}  // namespace

core::Result<Observable> CanonicalHash(std::string_view text) {
  return ParseHash(text, HashErrors{std::nullopt});
}

namespace detail {

bool CanonicalizeHashAs(Kind kind, std::string_view text, Observable* out, std::string* reason) {
  const std::string_view s = detail::TrimAsciiSpace(text);
  if (s.empty()) return Fail(reason, "empty");
  const bool ok = s.find(':') != std::string_view::npos ? ParseSsdeep(s, out, reason)
                                                        : ParseHexDigest(s, out, reason);
  if (!ok) return false;
  if (out->kind != kind) {
    reason->assign("this is a ").append(KindName(out->kind)).append(" hash, not ");
    reason->append(KindName(kind));
    return false;
  }
  return true;
}

}  // namespace detail

core::Result<Observable> CanonicalHashAs(Kind kind, std::string_view text) {
  if (!IsHashKind(kind)) {
    return core::MakeError(
        core::ErrorCode::kInvalidArgument,
        "CanonicalHashAs: " + std::string(KindName(kind)) + " is not a hash kind");
  }
  auto result = ParseHash(text, HashErrors{kind});
  if (result.ok() && result->kind != kind) {
    return NotA(kind, "this is a " + std::string(KindName(result->kind)) + " hash, not " +
                          std::string(KindName(kind)));
  }
  return result;
}

}  // namespace tessera::normalize
