// IBANs (ISO 13616): country code, two check digits, a national BBAN. The
// canonical form is the electronic one: upper case, no spaces.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "normalize/artifacts.h"

namespace tessera::normalize {
namespace {

constexpr Kind kKind = Kind::kIban;

// 'c' in quotes when printable ASCII, else a description: messages stay valid
// UTF-8 whatever the input.
std::string Quoted(char c) {
  if (c >= 32 && c < 127) return std::string{'\'', c, '\''};
  return "a control or non-ASCII byte";
}

struct Country {
  char code[3];
  uint8_t length;
};

// SWIFT IBAN Registry (release 99, 2024), sorted by code for binary search.
// French overseas territories use FR; Åland (AX) uses FI; both are covered by those rows.
constexpr std::array<Country, 89> kCountries = {{
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
    {"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26},
    {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20},
    {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20},
    {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24},
    {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25},
    {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
    {"YE", 30},
}};

constexpr bool CountriesSorted() {
  for (size_t i = 1; i < kCountries.size(); ++i) {
    const Country& a = kCountries[i - 1];
    const Country& b = kCountries[i];
    if (a.code[0] > b.code[0] || (a.code[0] == b.code[0] && a.code[1] >= b.code[1])) return false;
  }
  return true;
}
static_assert(CountriesSorted(), "kCountries must be sorted and unique");

const Country* FindCountry(char a, char b) {
  size_t lo = 0;
  size_t hi = kCountries.size();
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const Country& c = kCountries[mid];
    if (c.code[0] == a && c.code[1] == b) return &c;
    if (c.code[0] < a || (c.code[0] == a && c.code[1] < b)) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return nullptr;
}

char AsciiUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

constexpr size_t kMaxIban = 34;  // ISO 13616-1: at most 34 characters

}  // namespace

core::Result<Observable> CanonicalIban(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);

  Observable out;
  out.kind = kKind;
  // The paper form is often labelled: "IBAN DE89 ...", "IBAN: DE89 ...".
  if (text.size() > 4 && AsciiUpper(text[0]) == 'I' && AsciiUpper(text[1]) == 'B' &&
      AsciiUpper(text[2]) == 'A' && AsciiUpper(text[3]) == 'N' &&
      (text[4] == ' ' || text[4] == ':')) {
    text.remove_prefix(5);
    out.notes.push_back("\"IBAN\" label removed");
  }

  std::array<char, kMaxIban> iban;
  size_t n = 0;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    char u = AsciiUpper(c);
    if (!IsDigit(u) && !IsUpper(u)) {
      return NotA(kKind, Quoted(c) + " is not a letter or digit");
    }
    if (n == kMaxIban) return NotA(kKind, "longer than 34 characters");
    iban[n++] = u;
  }
  if (n < 5) return NotA(kKind, "too short");
  if (!IsUpper(iban[0]) || !IsUpper(iban[1])) {
    return NotA(kKind, "does not start with a country code");
  }
  if (!IsDigit(iban[2]) || !IsDigit(iban[3])) return NotA(kKind, "check digits are not digits");
  const Country* country = FindCountry(iban[0], iban[1]);
  if (country == nullptr) {
    return NotA(kKind, "country " + std::string(iban.data(), 2) + " does not issue IBANs");
  }
  if (n != country->length) {
    return NotA(kKind, "an IBAN for " + std::string(country->code) + " has " +
                           std::to_string(country->length) + " characters, this has " +
                           std::to_string(n));
  }
  // ISO 7064 MOD 97-10: computed check digits are 02..98, so 00, 01 and 99 only
  // pass mod-97 by aliasing 97, 98 and 02.
  int check = (iban[2] - '0') * 10 + (iban[3] - '0');
  if (check < 2 || check > 98) return NotA(kKind, "check digits must be 02 to 98");
  // Move the first four characters to the end, letters as 10..35, then mod 97,
  // folding digit by digit so no big number is built.
  uint32_t rem = 0;
  for (size_t k = 0; k < n; ++k) {
    char c = iban[(k + 4) % n];
    if (IsDigit(c)) {
      rem = (rem * 10 + static_cast<uint32_t>(c - '0')) % 97;
    } else {
      rem = (rem * 100 + static_cast<uint32_t>(c - 'A' + 10)) % 97;
    }
  }
  if (rem != 1) return NotA(kKind, "mod-97 check digits do not match");

  out.value.assign(iban.data(), n);
  out.fields.emplace_back("country", std::string(iban.data(), 2));
  return out;
}

}  // namespace tessera::normalize
