#include "observable_gen.h"

#include <array>
#include <cctype>
#include <string_view>

namespace tessera::bench {
namespace {
constexpr std::array<std::string_view, 12> kTlds = {"com", "net", "org", "info", "ru",  "cn",
                                                    "de",  "io",  "co.uk", "xyz", "top", "com.br"};
}  // namespace

std::string ObservableGenerator::Label(size_t min, size_t max) {
  static constexpr std::string_view kChars = "abcdefghijklmnopqrstuvwxyz0123456789";
  size_t n = min + rng_() % (max - min + 1);
  std::string s;
  for (size_t i = 0; i < n; ++i) s += kChars[rng_() % (i == 0 ? 26 : kChars.size())];
  return s;
}

std::string ObservableGenerator::Hex(size_t n, bool upper) {
  static constexpr std::string_view kLower = "0123456789abcdef";
  static constexpr std::string_view kUpper = "0123456789ABCDEF";
  std::string s;
  for (size_t i = 0; i < n; ++i) s += (upper ? kUpper : kLower)[rng_() % 16];
  return s;
}

std::string ObservableGenerator::Domain() {
  std::string d = Label(4, 14);
  if (rng_() % 3 == 0) d = Label(2, 8) + "." + d;
  return d + "." + std::string(kTlds[rng_() % kTlds.size()]);
}

std::string ObservableGenerator::Next() {
  if (!last_.empty() && rng_() % 10 == 0) return last_;  // ~10% repeats
  std::string s;
  uint64_t pick = rng_() % 100;
  auto octet = [&] { return std::to_string(1 + rng_() % 254); };
  if (pick < 22) {  // IPv4, some defanged, some zero-padded
    std::string a = octet(), b = octet(), c = octet(), d = octet();
    switch (rng_() % 4) {
      case 0: s = a + "." + b + "." + c + "[.]" + d; break;
      case 1: s = a + "." + b + "." + std::string(3 - c.size(), '0') + c + "." + d; break;
      default: s = a + "." + b + "." + c + "." + d; break;
    }
  } else if (pick < 44) {  // domains: case, trailing dot, defanged
    s = Domain();
    switch (rng_() % 4) {
      case 0: for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch))); break;
      case 1: s += "."; break;
      case 2: s.replace(s.rfind('.'), 1, "[.]"); break;
      default: break;
    }
  } else if (pick < 64) {  // URLs: hxxp, default port, dot segments, escapes
    std::string host = Domain();
    std::string path = "/" + Label(3, 10) + "/" + Label(3, 12) + ".php";
    switch (rng_() % 5) {
      case 0: s = "hxxp://" + host + path; break;
      case 1: s = "http://" + host + ":80/a/../" + path.substr(1); break;
      case 2: s = "HTTPS://" + host + path + "?id=" + std::to_string(rng_() % 100000); break;
      case 3: s = "http://" + host + "/%7e" + Label(3, 8); break;
      default: s = "https://" + host + path; break;
    }
  } else if (pick < 80) {  // hashes
    switch (rng_() % 3) {
      case 0: s = Hex(32, rng_() % 2 == 0); break;
      case 1: s = Hex(40, rng_() % 2 == 0); break;
      default: s = Hex(64, rng_() % 2 == 0); break;
    }
  } else if (pick < 88) {  // e-mail
    s = Label(3, 10) + (rng_() % 3 == 0 ? "[@]" : "@") + Domain();
  } else if (pick < 92) {  // IPv6
    s = "2001:DB8:" + Hex(4, false) + "::" + Hex(3, true);
  } else if (pick < 95) {
    s = "AS" + std::to_string(1 + rng_() % 400000);
  } else if (pick < 98) {
    s = "cve-20" + std::to_string(10 + rng_() % 15) + "-" + std::to_string(1000 + rng_() % 90000);
  } else {
    s = Hex(2, true) + "-" + Hex(2, true) + "-" + Hex(2, true) + "-" + Hex(2, true) + "-" +
        Hex(2, true) + "-" + Hex(2, true);
  }
  last_ = s;
  return s;
}

}  // namespace tessera::bench
