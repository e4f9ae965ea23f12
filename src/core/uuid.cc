#include "core/uuid.h"

#include <array>

#include <openssl/rand.h>

#include <cstdlib>

#include "core/hash.h"

namespace tessera::core {
namespace {

// Hex digit values by byte; -1 for anything else. A table: ids are parsed per
// reference, so this is on the validator's hot path.
constexpr std::array<int8_t, 256> kHexValues = [] {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int c = '0'; c <= '9'; ++c) table[c] = static_cast<int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) table[c] = static_cast<int8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) table[c] = static_cast<int8_t>(c - 'A' + 10);
  return table;
}();

int HexValue(char c) { return kHexValues[static_cast<unsigned char>(c)]; }

bool IsHyphenPosition(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

}  // namespace

std::string Uuid::ToString() const {
  std::string out;
  AppendTo(&out);
  return out;
}

void Uuid::AppendTo(std::string* out) const {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t at = out->size();
  out->resize(at + 36, '-');
  char* p = out->data() + at;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++p;  // the '-' already there
    *p++ = kHex[bytes[i] >> 4];
    *p++ = kHex[bytes[i] & 0xF];
  }
}

Result<Uuid> ParseUuid(std::string_view text) {
  if (text.size() != 36) {
    return MakeError(ErrorCode::kParse, "UUID must be 36 characters (8-4-4-4-12 hex), got " +
                                            std::to_string(text.size()));
  }
  Uuid uuid;
  size_t byte = 0;
  for (size_t i = 0; i < text.size();) {
    if (IsHyphenPosition(i)) {
      if (text[i] != '-') {
        return MakeError(ErrorCode::kParse, "expected '-' in UUID", "byte " + std::to_string(i));
      }
      ++i;
      continue;
    }
    int hi = HexValue(text[i]);
    int lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) {
      size_t bad = hi < 0 ? i : i + 1;
      return MakeError(ErrorCode::kParse, "invalid hex digit in UUID",
                       "byte " + std::to_string(bad));
    }
    uuid.bytes[byte++] = static_cast<uint8_t>(hi << 4 | lo);
    i += 2;
  }
  return uuid;
}

Uuid UuidV4() {
  Uuid uuid;
  if (RAND_bytes(uuid.bytes.data(), static_cast<int>(uuid.bytes.size())) != 1) {
    // The CSPRNG failing means the process cannot make safe ids at all.
    std::abort();
  }
  uuid.bytes[6] = static_cast<uint8_t>((uuid.bytes[6] & 0x0F) | 0x40);
  uuid.bytes[8] = static_cast<uint8_t>((uuid.bytes[8] & 0x3F) | 0x80);
  return uuid;
}

Uuid UuidV5(const Uuid& name_space, std::string_view name) { return UuidV5(name_space, {name}); }

// RFC 9562 §5.5: SHA-1 over namespace bytes followed by the name, truncated to 128 bits.
Uuid UuidV5(const Uuid& name_space, std::initializer_list<std::string_view> name_parts) {
  // One buffer per thread: ids are computed per observable on hot paths.
  thread_local std::string input;
  input.assign(reinterpret_cast<const char*>(name_space.bytes.data()), name_space.bytes.size());
  for (std::string_view part : name_parts) input.append(part);
  Sha1Digest digest = Sha1(input);
  Uuid uuid;
  for (size_t i = 0; i < uuid.bytes.size(); ++i) uuid.bytes[i] = digest[i];
  uuid.bytes[6] = static_cast<uint8_t>((uuid.bytes[6] & 0x0F) | 0x50);
  uuid.bytes[8] = static_cast<uint8_t>((uuid.bytes[8] & 0x3F) | 0x80);
  return uuid;
}

}  // namespace tessera::core
