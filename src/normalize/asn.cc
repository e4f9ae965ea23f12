// Autonomous system numbers. Rules (docs/NORMALIZATION.md):
//  - "AS64500", "as64500", "ASN64500", "AS 64500", "ASN 64500" -> "AS64500"
//    (prefix in any case, at most one space after it). A bare "64500" only when
//    the caller says the context is an AS number (allow_bare).
//  - asplain 1..4294967295; asdot "X.Y" (X, Y 0..65535) -> asplain X*65536+Y
//    with a note (RFC 5396). Leading zeros are removed with a note.
//  - AS0 is refused (RFC 7607: it marks space that must not be routed, never a
//    network). Special numbers are accepted with a note saying what they are:
//    AS_TRANS 23456 (RFC 6793), documentation 64496-64511 and 65536-65551
//    (RFC 5398), private use 64512-65534 and 4200000000-4294967294 (RFC 6996),
//    reserved 65535 and 4294967295 (RFC 7300) and 65552-131071 (IANA).
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "normalize/identifiers.h"

namespace tessera::normalize {
namespace {

constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }
constexpr char Upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

// Decimal digits (leading zeros allowed, flagged); false on anything else or > max.
bool ParseDecimal(std::string_view s, uint64_t max, uint64_t* out, bool* leading_zero) {
  if (s.empty()) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (!IsDigit(c)) return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
    if (v > max) return false;
  }
  if (s.size() > 1 && s[0] == '0') *leading_zero = true;
  *out = v;
  return true;
}

const char* SpecialNote(uint64_t n) {
  if (n == 23456) return "AS_TRANS (RFC 6793): a stand-in for a 4-byte AS number, not a network";
  if ((n >= 64496 && n <= 64511) || (n >= 65536 && n <= 65551)) {
    return "documentation AS number (RFC 5398): for examples, never routed";
  }
  if ((n >= 64512 && n <= 65534) || (n >= 4200000000u && n <= 4294967294u)) {
    return "private-use AS number (RFC 6996): not unique across networks";
  }
  if (n == 65535 || n == 4294967295u) return "reserved AS number (RFC 7300): never assigned";
  if (n >= 65552 && n <= 131071) return "reserved AS number (IANA): not assigned";
  return nullptr;
}

}  // namespace

namespace detail {

bool CanonicalizeAsn(std::string_view text, bool allow_bare, Observable* out, std::string* reason) {
  auto refuse = [reason](std::string why) {
    *reason = std::move(why);
    return false;
  };
  const std::string_view s = detail::TrimAsciiSpace(text);
  if (s.empty()) return refuse("empty");
  std::string_view number = s;
  if (s.size() >= 2 && Upper(s[0]) == 'A' && Upper(s[1]) == 'S') {
    number.remove_prefix(s.size() >= 3 && Upper(s[2]) == 'N' ? 3 : 2);
    if (!number.empty() && number[0] == ' ') number.remove_prefix(1);
    if (number.empty()) return refuse("no number after " + detail::QuoteForMessage(s));
  } else if (!IsDigit(s[0])) {
    return refuse("does not start with 'AS' or a number");
  } else if (!allow_bare) {
    return refuse("a bare number is not an AS number here; write 'AS' in front");
  }

  std::string asdot_note;
  bool leading_zero = false;
  uint64_t n = 0;
  const size_t dot = number.find('.');
  if (dot == std::string_view::npos) {
    for (char c : number) {
      if (!IsDigit(c)) {
        return refuse("character " + detail::QuoteForMessage(std::string_view(&c, 1)) +
                      " in the number " + detail::QuoteForMessage(number));
      }
    }
    if (!ParseDecimal(number, 0xffffffffu, &n, &leading_zero)) {
      return refuse(detail::QuoteForMessage(number) +
                    " is greater than 4294967295, the largest AS number");
    }
  } else {
    const std::string_view high = number.substr(0, dot);
    const std::string_view low = number.substr(dot + 1);
    uint64_t h = 0;
    uint64_t l = 0;
    if (!ParseDecimal(high, 65535, &h, &leading_zero) ||
        !ParseDecimal(low, 65535, &l, &leading_zero)) {
      return refuse("asdot " + detail::QuoteForMessage(number) +
                    " is not two numbers 0-65535 joined by '.'");
    }
    n = h * 65536 + l;
    asdot_note.assign("asdot ").append(number).append(" written as asplain AS");
    asdot_note.append(std::to_string(n)).append(" (RFC 5396)");
  }
  if (n == 0) {
    return refuse(
        "AS0 is reserved (RFC 7607): it marks address space that must not "
        "be routed and never identifies a network");
  }
  ObservableWriter writer(out, Kind::kAsn);
  char digits[16];
  const char* end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  const std::string_view number_text(digits, static_cast<size_t>(end - digits));
  writer.value().assign("AS").append(number_text);
  writer.Field("number", number_text);
  if (!asdot_note.empty()) writer.Note(asdot_note);
  if (leading_zero) writer.Note("leading zeros removed");
  if (const char* special = SpecialNote(n)) writer.Note(special);
  return true;
}

}  // namespace detail

core::Result<Observable> CanonicalAsn(std::string_view text, bool allow_bare) {
  Observable obs;
  std::string reason;
  if (!detail::CanonicalizeAsn(text, allow_bare, &obs, &reason)) {
    return NotA(Kind::kAsn, std::move(reason));
  }
  return obs;
}

}  // namespace tessera::normalize
