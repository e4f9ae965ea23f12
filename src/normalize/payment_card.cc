// Payment card numbers (ISO/IEC 7812 PANs): Luhn-checked, issuer identified by
// prefix, and never kept in clear: the value is a keyed hash.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/hash.h"
#include "normalize/artifacts.h"

namespace tessera::normalize {
namespace {

constexpr Kind kKind = Kind::kPaymentCard;
constexpr size_t kMinDigits = 12;
constexpr size_t kMaxDigits = 19;
// "last4" is only given when enough digits stay hidden: on shorter PANs the BIN
// and last four together leave too few unknown digits (PCI DSS 3.4 allows at
// most first six and last four, which for a 12-digit PAN is nearly all of it).
constexpr size_t kMinDigitsForLast4 = 15;

struct Brand {
  const char* name;
  // Length rule: digit counts allowed, as a bitmask over 12..19 (bit n - 12).
  unsigned lengths;
};

constexpr unsigned Len(size_t n) { return 1u << (n - kMinDigits); }
constexpr unsigned kAnyLength = 0xff;

constexpr Brand kVisa = {"visa", Len(13) | Len(16) | Len(19)};
constexpr Brand kMastercard = {"mastercard", Len(16)};
constexpr Brand kAmex = {"amex", Len(15)};
constexpr Brand kDiscover = {"discover", Len(16) | Len(17) | Len(18) | Len(19)};
constexpr Brand kJcb = {"jcb", Len(16) | Len(17) | Len(18) | Len(19)};
constexpr Brand kUnionPay = {"unionpay", Len(16) | Len(17) | Len(18) | Len(19)};
constexpr Brand kDiners = {"diners", Len(14) | Len(15) | Len(16) | Len(17) | Len(18) | Len(19)};
constexpr Brand kMaestro = {"maestro", kAnyLength};

// The issuer from the leading digits, or nullptr. Order matters where ranges
// nest (6011 Discover inside the Maestro 6x range).
const Brand* IssuerOf(std::string_view d) {
  auto prefix = [&](size_t n) {
    int v = 0;
    for (size_t i = 0; i < n; ++i) v = v * 10 + (d[i] - '0');
    return v;
  };
  int p2 = prefix(2);
  int p3 = prefix(3);
  int p4 = prefix(4);
  if (d[0] == '4') return &kVisa;
  if (p2 == 34 || p2 == 37) return &kAmex;
  if (p2 == 36 || (p3 >= 300 && p3 <= 305) || p2 == 38 || p2 == 39) return &kDiners;
  if (p4 >= 3528 && p4 <= 3589) return &kJcb;
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return &kMastercard;
  if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65) return &kDiscover;
  if (p2 == 62) return &kUnionPay;
  if (p2 == 50 || (p2 >= 56 && p2 <= 69)) return &kMaestro;
  return nullptr;
}

// ISO/IEC 7812-1 Annex B: from the right, double every second digit.
bool LuhnValid(std::string_view d) {
  int sum = 0;
  bool dbl = false;
  for (size_t i = d.size(); i-- > 0;) {
    int v = d[i] - '0';
    if (dbl) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
    dbl = !dbl;
  }
  return sum % 10 == 0;
}

}  // namespace

core::Result<Observable> CanonicalPaymentCard(std::string_view text, std::string_view hmac_key) {
  if (hmac_key.empty()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "payment cards need an HMAC key: an unkeyed hash of a card number "
                           "can be reversed by enumerating the card space");
  }
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);

  // Digit groups separated by single spaces or hyphens. The error messages never
  // quote the input: it may be a real card number.
  std::array<char, kMaxDigits> digits;
  size_t n = 0;
  bool after_separator = true;  // no separator first
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      if (n == kMaxDigits) return NotA(kKind, "more than 19 digits");
      digits[n++] = c;
      after_separator = false;
    } else if (c == ' ' || c == '-') {
      if (after_separator) return NotA(kKind, "separators must sit between digit groups");
      after_separator = true;
    } else {
      return NotA(kKind, "only digits, spaces and hyphens are allowed");
    }
  }
  if (after_separator && n > 0) return NotA(kKind, "separators must sit between digit groups");
  if (n < kMinDigits) return NotA(kKind, "fewer than 12 digits");
  std::string_view pan(digits.data(), n);
  if (!LuhnValid(pan)) return NotA(kKind, "Luhn check digit does not match");
  const Brand* brand = IssuerOf(pan);
  if (brand == nullptr) return NotA(kKind, "no known card issuer has this prefix");
  if ((brand->lengths & Len(n)) == 0) {
    return NotA(kKind,
                std::string(brand->name) + " numbers do not have " + std::to_string(n) + " digits");
  }

  Observable out;
  out.kind = kKind;
  out.value = core::HexEncode(core::HmacSha256(hmac_key, pan));
  out.fields.reserve(3);
  out.fields.emplace_back("bin", std::string(pan.substr(0, 6)));
  if (n >= kMinDigitsForLast4) out.fields.emplace_back("last4", std::string(pan.substr(n - 4)));
  out.fields.emplace_back("brand", brand->name);
  return out;
}

}  // namespace tessera::normalize
