// UUIDs (RFC 9562): random version 4 (OpenSSL's CSPRNG) and name-based version 5
// (SHA-1), as STIX 2.1 ids use them. Value types; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tessera::core {

struct Uuid {
  std::array<uint8_t, 16> bytes{};

  int version() const { return bytes[6] >> 4; }
  // True for the RFC 4122/9562 variant (bits 10xx in byte 8).
  bool is_rfc_variant() const { return (bytes[8] & 0xC0) == 0x80; }
  // Lower-case 8-4-4-4-12 form.
  std::string ToString() const;
  // The same, appended to *out (no temporary string).
  void AppendTo(std::string* out) const;
  friend bool operator==(const Uuid&, const Uuid&) = default;
};

// Parses the 8-4-4-4-12 hex form (either case).
Result<Uuid> ParseUuid(std::string_view text);

Uuid UuidV4();
Uuid UuidV5(const Uuid& name_space, std::string_view name);
// The same with the name given in pieces, hashed as if concatenated.
Uuid UuidV5(const Uuid& name_space, std::initializer_list<std::string_view> name_parts);

}  // namespace tessera::core
