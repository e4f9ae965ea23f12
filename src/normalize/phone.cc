// Phone numbers in E.164 form: "+", a country calling code assigned by ITU-T
// (E.164 list of assigned country codes, Annex to ITU OB 1125 and updates), and
// the national significant number. No numbering-plan database: beyond the
// country code only NANP (+1) lengths are checked.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "normalize/artifacts.h"

namespace tessera::normalize {
namespace {

constexpr Kind kKind = Kind::kPhoneNumber;

// 'c' in quotes when printable ASCII, else a description: messages stay valid
// UTF-8 whatever the input.
std::string Quoted(char c) {
  if (c >= 32 && c < 127) return std::string{'\'', c, '\''};
  return "a control or non-ASCII byte";
}

// Country calling codes in use. E.164 codes are prefix-free (no code is the
// start of another), so a number's code is the one of its first 1-3 digits that
// is listed. Includes the non-geographic codes fraud traffic uses (800 freephone,
// 808 shared cost, 870 Inmarsat, 881 satellite, 882/883 international networks,
// 888 OCHA, 979 premium rate). Spare and retired codes (e.g. 259, 384, 388, 671,
// 684, 878, 991) are refused.
// clang-format off
constexpr int kAssignedCodes[] = {
    1,   7,   20,  27,  30,  31,  32,  33,  34,  36,  39,  40,  41,  43,  44,  45,  46,
    47,  48,  49,  51,  52,  53,  54,  55,  56,  57,  58,  60,  61,  62,  63,  64,  65,
    66,  81,  82,  84,  86,  90,  91,  92,  93,  94,  95,  98,
    211, 212, 213, 216, 218,                                          // North Africa
    220, 221, 222, 223, 224, 225, 226, 227, 228, 229,                 // West Africa
    230, 231, 232, 233, 234, 235, 236, 237, 238, 239,                 //
    240, 241, 242, 243, 244, 245, 246, 247, 248, 249,                 // Central Africa
    250, 251, 252, 253, 254, 255, 256, 257, 258,                      // East Africa
    260, 261, 262, 263, 264, 265, 266, 267, 268, 269,                 // Southern Africa
    290, 291, 297, 298, 299,                                          //
    350, 351, 352, 353, 354, 355, 356, 357, 358, 359,                 // Europe
    370, 371, 372, 373, 374, 375, 376, 377, 378, 379,                 //
    380, 381, 382, 383, 385, 386, 387, 389,                           //
    420, 421, 423,                                                    //
    500, 501, 502, 503, 504, 505, 506, 507, 508, 509,                 // Americas
    590, 591, 592, 593, 594, 595, 596, 597, 598, 599,                 //
    670, 672, 673, 674, 675, 676, 677, 678, 679,                      // Oceania
    680, 681, 682, 683, 685, 686, 687, 688, 689, 690, 691, 692,       //
    800, 808, 850, 852, 853, 855, 856, 870, 880, 881, 882, 883, 886,  // Asia, global
    888,                                                              //
    960, 961, 962, 963, 964, 965, 966, 967, 968,                      // Middle East
    970, 971, 972, 973, 974, 975, 976, 977, 979,                      //
    992, 993, 994, 995, 996, 997, 998,                                // Central Asia
};
// clang-format on

constexpr std::array<bool, 1000> MakeAssigned() {
  std::array<bool, 1000> assigned{};
  for (int code : kAssignedCodes) assigned[static_cast<size_t>(code)] = true;
  return assigned;
}
// 1-, 2- and 3-digit codes occupy disjoint ranges (no code starts with 0).
constexpr std::array<bool, 1000> kAssigned = MakeAssigned();

constexpr size_t kMaxDigits = 15;  // E.164 §6.1
constexpr size_t kMinDigits = 8;
// Niue (+683) and Tokelau (+690) subscriber numbers have four digits.
constexpr size_t kMinDigitsShortPlans = 7;

bool StartsWithNoCase(std::string_view text, std::string_view lower_prefix) {
  if (text.size() < lower_prefix.size()) return false;
  for (size_t i = 0; i < lower_prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != lower_prefix[i]) return false;
  }
  return true;
}

}  // namespace

core::Result<Observable> CanonicalPhoneNumber(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);

  Observable out;
  out.kind = kKind;
  if (StartsWithNoCase(text, "tel:")) {
    text.remove_prefix(4);
    out.notes.push_back("tel: prefix removed");
    // RFC 3966 parameters (";ext=12", ";phone-context=...") are not part of the number.
    size_t params = text.find(';');
    if (params != std::string_view::npos) {
      text = text.substr(0, params);
      out.notes.push_back("tel: URI parameters dropped");
    }
  }
  if (!text.empty() && text[0] == '+') {
    text.remove_prefix(1);
  } else if (text.size() >= 2 && text[0] == '0' && text[1] == '0') {
    text.remove_prefix(2);
    out.notes.push_back("00 international prefix read as +");
  } else {
    return NotA(kKind, "no country code (+ or 00 prefix); the country is not guessed");
  }

  // One spare slot for a "(0)" that may be dropped below.
  std::array<char, kMaxDigits + 1> digits;
  size_t n = 0;
  size_t trunk_at = kMaxDigits + 1;  // index of the "(0)" digit, if any
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool trunk = c == '(' && trunk_at > kMaxDigits && n > 0 && text.substr(i, 3) == "(0)";
    if (trunk) {
      trunk_at = n;
      c = '0';
      i += 2;
    }
    if (c >= '0' && c <= '9') {
      if (n == digits.size()) return NotA(kKind, "more than 15 digits (E.164 maximum)");
      digits[n++] = c;
    } else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')') {
      return NotA(kKind, Quoted(c) + " is not a digit or separator");
    }
  }
  if (n == 0) return NotA(kKind, "no digits");

  if (digits[0] == '0') return NotA(kKind, "country codes do not start with 0");
  size_t cc_len = 0;
  int code = 0;
  for (size_t len = 1; len <= 3 && len <= n; ++len) {
    code = code * 10 + (digits[len - 1] - '0');
    if (kAssigned[static_cast<size_t>(code)]) {
      cc_len = len;
      break;
    }
  }
  if (cc_len == 0) {
    return NotA(kKind, "+" + std::string(digits.data(), n < 3 ? n : 3) +
                           " does not start with an assigned country code");
  }
  if (trunk_at <= kMaxDigits && trunk_at < cc_len) {
    return NotA(kKind, "(0) inside the country code");
  }
  if (trunk_at <= kMaxDigits) {
    // "+44 (0)20 ...": the national trunk prefix, dialled only inside the country.
    // Italy (+39) and San Marino (+378) keep the 0: it is part of their numbers.
    if (code == 39 || code == 378) {
      out.notes.push_back("(0) kept: the 0 is part of the national number here");
    } else {
      for (size_t i = trunk_at; i + 1 < n; ++i) digits[i] = digits[i + 1];
      --n;
      out.notes.push_back("trunk prefix (0) removed");
    }
  }
  if (n > kMaxDigits) return NotA(kKind, "more than 15 digits (E.164 maximum)");
  size_t min = (code == 683 || code == 690) ? kMinDigitsShortPlans : kMinDigits;
  if (n < min) {
    return NotA(kKind, "too short (" + std::to_string(n) + " digits; at least " +
                           std::to_string(min) + ")");
  }
  if (code == 1) {
    // NANP: NPA-NXX-XXXX, ten digits; area code and exchange start with 2-9.
    if (n != 11) return NotA(kKind, "+1 numbers have ten digits after the country code");
    if (digits[1] < '2' || digits[4] < '2') {
      return NotA(kKind, "+1 area codes and exchange codes start with 2-9");
    }
  }

  out.value.reserve(n + 1);
  out.value = "+";
  out.value.append(digits.data(), n);
  out.fields.emplace_back("country_code", std::string(digits.data(), cc_len));
  return out;
}

}  // namespace tessera::normalize
