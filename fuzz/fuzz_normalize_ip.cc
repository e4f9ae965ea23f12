// libFuzzer target for the IP and token canonicalizers (normalize/ip.h,
// normalize/identifiers.h): every function runs on the input, and whatever one
// accepts must be a fixed point: Canonical(Canonical(x).value) succeeds with the
// same value and kind. A /32 or /128 network must come back as an address that
// the address canonicalizer keeps; a canonical address must survive its numeric
// form. Aborts on any mismatch.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "normalize/identifiers.h"
#include "normalize/ip.h"

namespace {

namespace normalize = tessera::normalize;
using Result = tessera::core::Result<normalize::Observable>;

[[noreturn]] void Fail(const char* what, std::string_view input, std::string_view detail) {
  std::fprintf(stderr, "fuzz_normalize_ip: %s\n  input:  %.*s\n  detail: %.*s\n", what,
               static_cast<int>(input.size() > 2000 ? 2000 : input.size()), input.data(),
               static_cast<int>(detail.size() > 2000 ? 2000 : detail.size()), detail.data());
  std::abort();
}

// The canonicalizer that must keep a value of `kind` unchanged.
Result Again(normalize::Kind kind, std::string_view value, Result (*original)(std::string_view)) {
  switch (kind) {
    case normalize::Kind::kIpv4:
      return normalize::CanonicalIpv4(value);
    case normalize::Kind::kIpv6:
      return normalize::CanonicalIpv6(value);
    case normalize::Kind::kIpv4Network:
    case normalize::Kind::kIpv6Network:
      return normalize::CanonicalCidr(value);
    default:
      return original(value);
  }
}

void CheckFixedPoint(const char* name, Result (*canonicalize)(std::string_view),
                     std::string_view input) {
  const Result first = canonicalize(input);
  if (!first.ok()) {
    if (first.error().message.empty()) Fail("refused without a reason", input, name);
    return;
  }
  if (first->value.empty()) Fail("accepted an empty value", input, name);
  const Result second = Again(first->kind, first->value, canonicalize);
  if (!second.ok()) {
    Fail("canonical form is refused", first->value, second.error().message);
  }
  if (second->value != first->value)
    Fail("canonical form is not a fixed point", first->value, second->value);
  if (second->kind != first->kind) Fail("canonical form changed kind", input, first->value);

  if (first->kind == normalize::Kind::kIpv4) {
    const uint32_t v = normalize::Ipv4ToUint(first->value);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff,
                  v & 0xff);
    if (first->value != buf)
      Fail("Ipv4ToUint disagrees with the canonical form", first->value, buf);
  }
  if (first->kind == normalize::Kind::kIpv6) {
    // The bytes, written back as the full eight-group form, must canonicalize to
    // the same value.
    const auto bytes = normalize::Ipv6ToBytes(first->value);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%x:%x:%x:%x:%x:%x:%x:%x", bytes[0] << 8 | bytes[1],
                  bytes[2] << 8 | bytes[3], bytes[4] << 8 | bytes[5], bytes[6] << 8 | bytes[7],
                  bytes[8] << 8 | bytes[9], bytes[10] << 8 | bytes[11], bytes[12] << 8 | bytes[13],
                  bytes[14] << 8 | bytes[15]);
    const Result full = normalize::CanonicalIpv6(buf);
    if (!full.ok() || full->value != first->value) {
      Fail("Ipv6ToBytes disagrees with the canonical form", first->value, buf);
    }
  }
}

Result AsnStrict(std::string_view text) { return normalize::CanonicalAsn(text, false); }
Result AsnBare(std::string_view text) { return normalize::CanonicalAsn(text, true); }
Result HashAsMd5(std::string_view text) {
  return normalize::CanonicalHashAs(normalize::Kind::kMd5, text);
}
Result HashAsTlsh(std::string_view text) {
  return normalize::CanonicalHashAs(normalize::Kind::kTlsh, text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckFixedPoint("CanonicalIpv4", normalize::CanonicalIpv4, text);
  CheckFixedPoint("CanonicalIpv6", normalize::CanonicalIpv6, text);
  CheckFixedPoint("CanonicalCidr", normalize::CanonicalCidr, text);
  CheckFixedPoint("CanonicalHash", normalize::CanonicalHash, text);
  CheckFixedPoint("CanonicalHashAs(md5)", HashAsMd5, text);
  CheckFixedPoint("CanonicalHashAs(tlsh)", HashAsTlsh, text);
  CheckFixedPoint("CanonicalAsn", AsnStrict, text);
  CheckFixedPoint("CanonicalAsn(allow_bare)", AsnBare, text);
  CheckFixedPoint("CanonicalCve", normalize::CanonicalCve, text);
  CheckFixedPoint("CanonicalMac", normalize::CanonicalMac, text);
  // Precondition-violating calls must still be safe (no crash, no UB).
  (void)normalize::Ipv4ToUint(text);
  (void)normalize::Ipv6ToBytes(text);
  return 0;
}
