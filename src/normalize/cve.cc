// CVE identifiers. Rules (docs/NORMALIZATION.md): "CVE-YYYY-NNNN..." in any case
// -> upper case. Year 1999..2100; sequence number 4 to 19 digits (the CVE JSON
// schema's ^CVE-[0-9]{4}-[0-9]{4,19}$), and, per the CVE ID syntax, a leading zero
// only in the four-digit form (CVE-2014-0001, never CVE-2014-00001). Only ASCII
// '-' separates the parts: an en or em dash, '_' or a space is refused naming it.
#include <string>
#include <string_view>
#include <utility>

#include "normalize/identifiers.h"

namespace tessera::normalize {
namespace {

constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }
constexpr char Upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

// Why the separator at the start of `s` is not '-', or nullptr if it is.
const char* BadSeparator(std::string_view s) {
  if (!s.empty() && s[0] == '-') return nullptr;
  if (s.substr(0, 3) == "\xe2\x80\x93") return "an en dash; write '-'";
  if (s.substr(0, 3) == "\xe2\x80\x94") return "an em dash; write '-'";
  if (s.substr(0, 3) == "\xe2\x80\x90" || s.substr(0, 3) == "\xe2\x80\x91") {
    return "a Unicode hyphen; write '-'";
  }
  if (!s.empty() && s[0] == '_') return "'_' between the parts; write '-'";
  if (!s.empty() && (s[0] == ' ' || s[0] == '\t')) return "whitespace between the parts; write '-'";
  return "the parts are separated by '-': CVE-YYYY-NNNN";
}

}  // namespace

namespace detail {

bool CanonicalizeCve(std::string_view text, Observable* out, std::string* reason) {
  auto refuse = [reason](std::string why) {
    *reason = std::move(why);
    return false;
  };
  std::string_view s = detail::TrimAsciiSpace(text);
  if (s.size() < 3 || Upper(s[0]) != 'C' || Upper(s[1]) != 'V' || Upper(s[2]) != 'E') {
    return refuse("does not start with 'CVE-'");
  }
  s.remove_prefix(3);
  if (const char* bad = BadSeparator(s)) return refuse(bad);
  s.remove_prefix(1);
  const std::string_view year = s.substr(0, 4);
  bool digits = year.size() == 4;
  for (char c : year) digits = digits && IsDigit(c);
  if (!digits) return refuse("the year is not four digits");
  s.remove_prefix(4);
  const int y =
      (year[0] - '0') * 1000 + (year[1] - '0') * 100 + (year[2] - '0') * 10 + (year[3] - '0');
  if (y < 1999 || y > 2100) {
    return refuse("year " + std::string(year) + " is outside 1999..2100");
  }
  if (const char* bad = BadSeparator(s)) return refuse(bad);
  s.remove_prefix(1);
  for (size_t i = 0; i < s.size(); ++i) {
    if (!IsDigit(s[i])) {
      return refuse("character " + detail::QuoteForMessage(s.substr(i, 1)) +
                    " in the sequence number");
    }
  }
  if (s.size() < 4) return refuse("sequence number has fewer than 4 digits");
  if (s.size() > 19) return refuse("sequence number has more than 19 digits");
  if (s.size() > 4 && s[0] == '0') {
    return refuse("leading zero in a sequence number of more than 4 digits");
  }
  ObservableWriter writer(out, Kind::kCve);
  writer.value().assign("CVE-").append(year).append("-").append(s);
  writer.Field("year", year);
  return true;
}

}  // namespace detail

core::Result<Observable> CanonicalCve(std::string_view text) {
  Observable obs;
  std::string reason;
  if (!detail::CanonicalizeCve(text, &obs, &reason)) return NotA(Kind::kCve, std::move(reason));
  return obs;
}

}  // namespace tessera::normalize
