// IP addresses and networks: hand-written parsers, one pass over the text, no
// allocation on the accepting path beyond the output string (and the notes and
// fields that say something).
//
// IPv4 policy (copied into docs/NORMALIZATION.md):
//  - Accepted: a dotted quad of exactly four ASCII decimal parts, each 0-255,
//    with surrounding whitespace trimmed. "198.51.100.7" -> "198.51.100.7".
//  - Leading zeros in a part of at most three digits ("192.168.001.010") are
//    read as DECIMAL, because zero-padding to width three is how logs and
//    spreadsheets print addresses. That reading is never silent: a note says so
//    and, when inet_aton (and browsers, curl, ping) would read the text
//    differently, names that reading ("inet_aton would read '010' as octal 8,
//    giving 192.168.1.8"). When both readings agree ("001") the note says the
//    zeros were removed.
//  - Refused, with a reason naming what inet_aton makes of the text:
//      a part of four or more digits with a leading zero ("0177.0.0.1": zero
//        padding never makes four digits, so this is octal obfuscation);
//      hex parts ("0x7f.0.0.1");
//      fewer than four parts ("127.1", "0x7f.1");
//      a single integer ("2130706433" -> "integer form; inet_aton reads it as
//        127.0.0.1; write the dotted quad").
//  - Refused with a reason: empty input or parts, more than four parts, a part
//    over 255, a leading or trailing dot, whitespace inside, a port ":80", a
//    prefix length "/24" (that is a network: CanonicalCidr), brackets, signs,
//    letters and any non-ASCII byte (full-width digits "１２７" included).
//
// IPv6 (RFC 4291 §2.2 in, RFC 5952 out):
//  - Full, compressed and mixed forms in any case; groups of 1-4 hex digits; at
//    most one "::" standing for one or more zero groups; a dotted-quad tail only
//    as the last 32 bits, strict (no leading zeros, as inet_pton).
//  - Output: lower case, no leading zeros, the longest run of two or more zero
//    groups compressed (leftmost on a tie), a single zero group not compressed.
//  - RFC 5952 §5: the well-known IPv4-embedding prefixes are written with a
//    dotted tail: IPv4-mapped ::ffff:0:0/96 (::ffff:192.0.2.1), IPv4-translated
//    ::ffff:0:0:0/96 (::ffff:0:192.0.2.1) and the NAT64 prefix 64:ff9b::/96
//    (64:ff9b::192.0.2.1); field "embedded_ipv4" holds the IPv4 address. The
//    deprecated IPv4-compatible form (::192.0.2.1, RFC 4291 §2.5.5.1) is written
//    in hex (::c000:201) with a note, since its dotted form would also turn ::1
//    into ::0.0.0.1.
//  - "[2001:db8::1]" is accepted with the brackets removed and a note; a zone id
//    ("fe80::1%eth0") is refused: it names an interface on one host.
//
// Networks: "address/prefix" with the prefix in decimal, no sign, no leading
// zero, no whitespace, 0-32 or 0-128. Host bits are cleared with a note; /32 and
// /128 become plain addresses (kIpv4 / kIpv6) with a note. Fields of a network:
// prefix_length, first, last.
#include "normalize/ip.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "normalize/identifiers.h"

namespace tessera::normalize {
namespace {

using Words = std::array<uint16_t, 8>;

constexpr bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool IsAlnum(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

using detail::QuoteForMessage;
using detail::TrimAsciiSpace;

char* WriteDecimal(char* p, uint32_t v) {
  char tmp[10];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) *p++ = tmp[--n];
  return p;
}

char* WriteDottedQuad(char* p, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    p = WriteDecimal(p, (v >> shift) & 0xffu);
    if (shift != 0) *p++ = '.';
  }
  return p;
}

std::string FormatIpv4(uint32_t v) {
  char buf[16];
  char* end = WriteDottedQuad(buf, v);
  return std::string(buf, static_cast<size_t>(end - buf));
}

// Strict dotted quad: exactly four parts of 1-3 ASCII digits, no leading zero,
// each <= 255, nothing else. The fast path and the IPv6 tail.
bool ParseDottedQuad(std::string_view s, uint32_t* out) {
  uint32_t value = 0;
  size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
    const size_t start = i;
    uint32_t v = 0;
    while (i < s.size() && IsDigit(s[i]) && i - start < 3) {
      v = v * 10 + static_cast<uint32_t>(s[i] - '0');
      ++i;
    }
    const size_t len = i - start;
    if (len == 0 || v > 255 || (len > 1 && s[start] == '0')) return false;
    value = (value << 8) | v;
  }
  if (i != s.size()) return false;
  *out = value;
  return true;
}

// One inet_aton part (strtoul base 0): "0x" + hex, "0" + octal, or decimal.
std::optional<uint64_t> InetAtonPart(std::string_view p) {
  if (p.empty()) return std::nullopt;
  uint64_t base = 10;
  if (p.size() >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
    base = 16;
    p.remove_prefix(2);
    if (p.empty()) return std::nullopt;
  } else if (p[0] == '0') {
    base = 8;
  }
  uint64_t v = 0;
  for (char c : p) {
    const int d = HexValue(c);
    if (d < 0 || static_cast<uint64_t>(d) >= base) return std::nullopt;
    v = v * base + static_cast<uint64_t>(d);
    if (v > 0xffffffffu) return std::nullopt;
  }
  return v;
}

// What inet_aton(3) makes of `s` ("a", "a.b", "a.b.c", "a.b.c.d", each part in
// C notation, the last filling the remaining bytes), or nullopt if it refuses.
std::optional<uint32_t> InetAtonReading(std::string_view s) {
  uint64_t parts[4];
  size_t count = 0;
  size_t start = 0;
  while (true) {
    const size_t dot = s.find('.', start);
    const std::string_view p =
        s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (count == 4) return std::nullopt;
    const auto v = InetAtonPart(p);
    if (!v) return std::nullopt;
    parts[count++] = *v;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  uint64_t value = 0;
  for (size_t i = 0; i + 1 < count; ++i) {
    if (parts[i] > 0xff) return std::nullopt;
    value |= parts[i] << (8 * (3 - i));
  }
  const uint64_t last_max = 0xffffffffu >> (8 * (count - 1));
  if (parts[count - 1] > last_max) return std::nullopt;
  return static_cast<uint32_t>(value | parts[count - 1]);
}

std::string InetAtonSays(std::string_view s, std::string_view otherwise) {
  const auto reading = InetAtonReading(s);
  if (!reading) return std::string(otherwise);
  return "; inet_aton reads it as " + FormatIpv4(*reading) + "; write the dotted quad";
}

// Parses an IPv4 address (already trimmed). On success sets *out and, when there
// were leading zeros, *note (left as it is otherwise); on failure sets *reason.
bool ParseIpv4(std::string_view s, uint32_t* out, std::string* note, std::string* reason) {
  if (ParseDottedQuad(s, out)) return true;

  if (s.empty()) {
    *reason = "empty";
    return false;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      *reason = "non-ASCII byte at offset " + std::to_string(i) +
                " (only ASCII digits and '.'; full-width and other Unicode digits are refused)";
      return false;
    }
    if (IsAsciiSpace(s[i])) {
      *reason = "whitespace inside the address";
      return false;
    }
  }
  if (s.front() == '[' || s.back() == ']') {
    *reason = "brackets around an IPv4 address; give the address alone";
    return false;
  }
  if (const size_t colon = s.find(':'); colon != std::string_view::npos) {
    const std::string_view after = s.substr(colon + 1);
    bool port = !after.empty() && after.size() <= 5 && s.find('.') < colon;
    for (char c : after) port = port && IsDigit(c);
    *reason = port ? "has a port " + QuoteForMessage(s.substr(colon)) + "; give the address alone"
                   : std::string("contains ':' (an IPv6 address?)");
    return false;
  }
  if (s.find('/') != std::string_view::npos) {
    *reason = "has a prefix length: that is a network, not an address";
    return false;
  }
  if (s.front() == '.') {
    *reason = "leading dot";
    return false;
  }
  if (s.back() == '.') {
    *reason = "trailing dot";
    return false;
  }
  size_t count = 1;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      ++count;
      if (s[i + 1] == '.') {  // safe: s.back() != '.'
        *reason = "empty part (two dots in a row)";
        return false;
      }
    } else if (!IsAlnum(s[i])) {
      *reason = "character " + QuoteForMessage(s.substr(i, 1)) + " is not allowed";
      return false;
    }
  }
  if (count > 4) {
    *reason = std::to_string(count) + " parts; an IPv4 address has 4";
    return false;
  }

  // 1-4 non-empty alphanumeric parts.
  std::array<std::string_view, 4> parts;
  {
    size_t start = 0;
    for (size_t k = 0; k < count; ++k) {
      const size_t dot = s.find('.', start);
      parts[k] =
          s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
      start = dot + 1;
    }
  }
  for (size_t k = 0; k < count; ++k) {
    const std::string_view p = parts[k];
    if (p.size() >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
      *reason = "hex part " + QuoteForMessage(p) + InetAtonSays(s, "; not a decimal number");
      return false;
    }
  }
  for (size_t k = 0; k < count; ++k) {
    for (char c : parts[k]) {
      if (!IsDigit(c)) {
        *reason = "part " + QuoteForMessage(parts[k]) + " is not a decimal number";
        return false;
      }
    }
  }
  if (count < 4) {
    *reason = count == 1 ? std::string("integer form") : std::to_string(count) + " parts";
    *reason += InetAtonSays(s, "; an IPv4 address has 4");
    return false;
  }
  for (size_t k = 0; k < 4; ++k) {
    const std::string_view p = parts[k];
    if (p.size() > 3) {
      if (p[0] == '0') {
        const auto octal = InetAtonPart(p);
        *reason = "part " + QuoteForMessage(p) + " has a leading zero and more than 3 digits";
        if (octal && *octal <= 255) {
          *reason += ": octal notation, which inet_aton reads as " + std::to_string(*octal) +
                     InetAtonSays(s, "");
        }
      } else {
        *reason = "part " + QuoteForMessage(p) + " is greater than 255";
      }
      return false;
    }
  }
  uint32_t value = 0;
  std::string_view differs;  // first zero-led part whose octal reading differs
  for (size_t k = 0; k < 4; ++k) {
    const std::string_view p = parts[k];
    uint32_t v = 0;
    for (char c : p) v = v * 10 + static_cast<uint32_t>(c - '0');
    if (v > 255) {
      *reason = "part " + QuoteForMessage(p) + " is greater than 255";
      return false;
    }
    if (differs.empty() && p.size() > 1 && p[0] == '0') {
      const auto octal = InetAtonPart(p);
      if (!octal || *octal != v) differs = p;
    }
    value = (value << 8) | v;
  }
  // Only zero-led parts get here (the fast path took everything else).
  if (differs.empty()) {
    note->assign("leading zeros removed (decimal and octal readings agree)");
  } else {
    note->assign("leading zeros read as decimal; inet_aton would ");
    const auto octal = InetAtonPart(differs);
    if (octal) {
      note->append("read ").append(QuoteForMessage(differs)).append(" as octal ");
      note->append(std::to_string(*octal));
      if (const auto reading = InetAtonReading(s)) {
        note->append(", giving ").append(FormatIpv4(*reading));
      }
    } else {
      note->append("refuse ").append(QuoteForMessage(differs)).append(" (not an octal number)");
    }
  }
  *out = value;
  return true;
}

// --- IPv6 ---------------------------------------------------------------------

enum class Embedding { kNone, kMapped, kTranslated, kNat64 };

Embedding EmbeddingOf(const Words& w) {
  if (w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0) {
    if (w[4] == 0 && w[5] == 0xffff) return Embedding::kMapped;      // RFC 4291 §2.5.5.2
    if (w[4] == 0xffff && w[5] == 0) return Embedding::kTranslated;  // RFC 2765 §2.1
  }
  if (w[0] == 0x64 && w[1] == 0xff9b && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0) {
    return Embedding::kNat64;  // RFC 6052 §2.1
  }
  return Embedding::kNone;
}

uint32_t LowIpv4(const Words& w) { return (uint32_t{w[6]} << 16) | w[7]; }

// RFC 5952 §4 (and §5 for the embedding prefixes), into `buf` (at least 48 bytes);
// returns the end.
char* WriteIpv6(const Words& w, char* buf) {
  static constexpr char kHex[] = "0123456789abcdef";
  const bool dotted = EmbeddingOf(w) != Embedding::kNone;
  const int limit = dotted ? 6 : 8;
  int best_start = -1;
  int best_len = 1;  // §4.2.2: a single zero group is not compressed
  for (int i = 0; i < limit;) {
    if (w[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < limit && w[j] == 0) ++j;
    if (j - i > best_len) {  // §4.2.3: strictly longer, so the leftmost wins a tie
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  char* p = buf;
  bool need_colon = false;
  for (int i = 0; i < limit;) {
    if (i == best_start) {
      *p++ = ':';
      *p++ = ':';
      i += best_len;
      need_colon = false;
      continue;
    }
    if (need_colon) *p++ = ':';
    const uint16_t g = w[i];
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const int d = (g >> shift) & 0xf;
      if (d != 0 || started || shift == 0) {
        *p++ = kHex[d];
        started = true;
      }
    }
    need_colon = true;
    ++i;
  }
  if (dotted) {
    if (need_colon) *p++ = ':';
    p = WriteDottedQuad(p, LowIpv4(w));
  }
  return p;
}

std::string FormatIpv6(const Words& w) {
  char buf[48];
  char* end = WriteIpv6(w, buf);
  return std::string(buf, static_cast<size_t>(end - buf));
}

// Parses RFC 4291 §2.2 text (no brackets, zone id or surrounding whitespace).
bool ParseIpv6Text(std::string_view s, Words* out, bool* dotted_tail, std::string* reason) {
  *dotted_tail = false;
  if (s.empty()) {
    *reason = "empty";
    return false;
  }
  bool has_colon = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      *reason = "non-ASCII byte at offset " + std::to_string(i);
      return false;
    }
    if (c == '%') {
      *reason = "zone id " + QuoteForMessage(s.substr(i)) +
                " names an interface on one host (RFC 4007 §11); give the address without it";
      return false;
    }
    if (IsAsciiSpace(c)) {
      *reason = "whitespace inside the address";
      return false;
    }
    if (c == '/') {
      *reason = "has a prefix length: that is a network, not an address";
      return false;
    }
    if (c == ':') {
      has_colon = true;
    } else if (HexValue(c) < 0 && c != '.') {
      *reason = "character " + QuoteForMessage(s.substr(i, 1)) + " is not allowed";
      return false;
    }
  }
  if (!has_colon) {
    *reason = "no ':' (an IPv4 address or something else)";
    return false;
  }

  Words w{};
  int n = 0;
  int gap = -1;
  size_t i = 0;
  if (s[0] == ':') {
    if (s.size() < 2 || s[1] != ':') {
      *reason = "starts with a single ':'";
      return false;
    }
    gap = 0;
    i = 2;
  }
  while (i < s.size()) {
    const size_t start = i;
    uint32_t v = 0;
    while (i < s.size() && HexValue(s[i]) >= 0) {
      if (i - start < 4) v = v * 16 + static_cast<uint32_t>(HexValue(s[i]));
      ++i;
    }
    if (i < s.size() && s[i] == '.') {
      const std::string_view tail = s.substr(start);
      if (tail.find(':') != std::string_view::npos) {
        *reason = "a dotted IPv4 part may only be the last 32 bits";
        return false;
      }
      if (n > 6) {
        *reason = "more than 8 groups (the IPv4 part counts as 2)";
        return false;
      }
      uint32_t v4 = 0;
      if (!ParseDottedQuad(tail, &v4)) {
        *reason = "IPv4 part " + QuoteForMessage(tail) +
                  " is not a dotted quad (four decimal parts 0-255, no leading zeros)";
        return false;
      }
      w[n++] = static_cast<uint16_t>(v4 >> 16);
      w[n++] = static_cast<uint16_t>(v4 & 0xffff);
      *dotted_tail = true;
      break;
    }
    const size_t len = i - start;
    if (len == 0) {  // s[i] == ':'
      *reason = (i >= 2 && s[i - 1] == ':' && s[i - 2] == ':')
                    ? std::string("':::' is not allowed")
                    : "empty group at offset " + std::to_string(i);
      return false;
    }
    if (len > 4) {
      *reason = "group " + QuoteForMessage(s.substr(start, len)) + " has more than 4 hex digits";
      return false;
    }
    if (n == 8) {
      *reason = "more than 8 groups";
      return false;
    }
    w[n++] = static_cast<uint16_t>(v);
    if (i == s.size()) break;
    ++i;  // s[i] was ':'
    if (i == s.size()) {
      *reason = "trailing ':'";
      return false;
    }
    if (s[i] == ':') {
      if (gap >= 0) {
        *reason = "more than one '::'";
        return false;
      }
      gap = n;
      ++i;
    }
  }
  if (gap >= 0) {
    if (n == 8) {
      *reason = "'::' stands for at least one zero group, but there are already 8";
      return false;
    }
    const int moved = n - gap;
    for (int k = 0; k < moved; ++k) {
      w[7 - k] = w[n - 1 - k];
      w[n - 1 - k] = 0;
    }
  } else if (n != 8) {
    *reason = std::to_string(n) + " groups; an IPv6 address has 8 (or uses '::')";
    return false;
  }
  *out = w;
  return true;
}

// Parses an IPv6 address (already trimmed), brackets allowed. Notes go to *notes.
bool ParseIpv6(std::string_view s, Words* out, std::vector<std::string>* notes,
               std::string* reason) {
  bool bracketed = false;
  if (!s.empty() && (s.front() == '[' || s.back() == ']')) {
    if (s.size() < 2 || s.front() != '[' || s.back() != ']') {
      *reason = "unbalanced brackets (a port after ']'?)";
      return false;
    }
    s = s.substr(1, s.size() - 2);
    bracketed = true;
  }
  bool dotted_tail = false;
  if (!ParseIpv6Text(s, out, &dotted_tail, reason)) return false;
  if (bracketed) notes->push_back("brackets removed");
  if (dotted_tail && EmbeddingOf(*out) == Embedding::kNone) {
    const bool compatible = (*out)[0] == 0 && (*out)[1] == 0 && (*out)[2] == 0 && (*out)[3] == 0 &&
                            (*out)[4] == 0 && (*out)[5] == 0;
    notes->push_back(compatible
                         ? "IPv4-compatible form is deprecated (RFC 4291 §2.5.5.1); written in hex"
                         : "dotted IPv4 tail written in hex (not a well-known IPv4-embedding "
                           "prefix, RFC 5952 §5)");
  }
  return true;
}

void AddEmbeddedField(const Words& w, Observable* obs) {
  if (EmbeddingOf(w) != Embedding::kNone) {
    obs->fields.emplace_back("embedded_ipv4", FormatIpv4(LowIpv4(w)));
  }
}

Observable MakeIpv6(const Words& w, std::vector<std::string> notes) {
  Observable obs;
  obs.kind = Kind::kIpv6;
  obs.value = FormatIpv6(w);
  obs.notes = std::move(notes);
  AddEmbeddedField(w, &obs);
  return obs;
}

// Prefix length: 1-3 decimal digits, no sign, no leading zero, <= max.
bool ParsePrefixLength(std::string_view p, int max, int* out, std::string* reason) {
  if (p.empty()) {
    *reason = "empty prefix length after '/'";
    return false;
  }
  if (p[0] == '-' || p[0] == '+') {
    *reason = "sign in the prefix length " + QuoteForMessage(p);
    return false;
  }
  int v = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (IsAsciiSpace(c)) {
      *reason = "whitespace in the prefix length";
      return false;
    }
    if (!IsDigit(c)) {
      *reason = "prefix length " + QuoteForMessage(p) + " is not a decimal number";
      return false;
    }
    if (i >= 3) {
      *reason = "prefix length " + QuoteForMessage(p) + " is greater than " + std::to_string(max);
      return false;
    }
    v = v * 10 + (c - '0');
  }
  if (p.size() > 1 && p[0] == '0') {
    *reason = "leading zero in the prefix length " + QuoteForMessage(p);
    return false;
  }
  if (v > max) {
    *reason = "prefix length " + std::to_string(v) + " is greater than " + std::to_string(max);
    return false;
  }
  *out = v;
  return true;
}

}  // namespace

namespace detail {

bool CanonicalizeIpv4(std::string_view text, Observable* out, std::string* reason) {
  text = TrimAsciiSpace(text);
  ObservableWriter writer(out, Kind::kIpv4);
  uint32_t v = 0;
  if (!ParseDottedQuad(text, &v)) {
    std::string note;
    if (!ParseIpv4(text, &v, &note, reason)) return false;
    if (!note.empty()) writer.Note(note);  // leading zeros
  }
  char buf[16];
  char* end = WriteDottedQuad(buf, v);
  writer.value().assign(buf, static_cast<size_t>(end - buf));
  return true;
}

bool CanonicalizeIpv6(std::string_view text, Observable* out, std::string* reason) {
  text = TrimAsciiSpace(text);
  Words w{};
  std::vector<std::string> notes;
  if (!ParseIpv6(text, &w, &notes, reason)) return false;
  ObservableWriter writer(out, Kind::kIpv6);
  char buf[48];
  char* end = WriteIpv6(w, buf);
  writer.value().assign(buf, static_cast<size_t>(end - buf));
  for (const std::string& note : notes) writer.Note(note);
  if (EmbeddingOf(w) != Embedding::kNone) {
    end = WriteDottedQuad(buf, LowIpv4(w));
    writer.Field("embedded_ipv4", std::string_view(buf, static_cast<size_t>(end - buf)));
  }
  return true;
}

}  // namespace detail

core::Result<Observable> CanonicalIpv4(std::string_view text) {
  Observable obs;
  std::string reason;
  if (!detail::CanonicalizeIpv4(text, &obs, &reason)) return NotA(Kind::kIpv4, std::move(reason));
  return obs;
}

core::Result<Observable> CanonicalIpv6(std::string_view text) {
  Observable obs;
  std::string reason;
  if (!detail::CanonicalizeIpv6(text, &obs, &reason)) return NotA(Kind::kIpv6, std::move(reason));
  return obs;
}

core::Result<Observable> CanonicalCidr(std::string_view text) {
  text = TrimAsciiSpace(text);
  const size_t slash = text.find('/');
  // IPv6 when a ':' comes before any '.' ("::ffff:192.0.2.0/120"); "1.2.3.4:80/24"
  // stays IPv4 and is refused for its port.
  const size_t first_colon = text.find(':');
  const bool v6 = (!text.empty() && text.front() == '[') ||
                  (first_colon != std::string_view::npos && first_colon < text.find('.'));
  const Kind net_kind = v6 ? Kind::kIpv6Network : Kind::kIpv4Network;
  if (slash == std::string_view::npos) {
    return NotA(net_kind, "no prefix length ('/24'); an address alone is not a network");
  }
  const std::string_view addr_text = text.substr(0, slash);
  const std::string_view prefix_text = text.substr(slash + 1);
  if (prefix_text.find('/') != std::string_view::npos) {
    return NotA(net_kind, "more than one '/'");
  }
  std::vector<std::string> notes;
  std::string reason;
  int prefix = 0;

  if (!v6) {
    uint32_t addr = 0;
    std::string note;
    if (!ParseIpv4(addr_text, &addr, &note, &reason)) {
      return NotA(net_kind, "address: " + reason);
    }
    if (!note.empty()) notes.push_back(std::move(note));
    if (!ParsePrefixLength(prefix_text, 32, &prefix, &reason)) {
      return NotA(net_kind, std::move(reason));
    }
    const uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
    const uint32_t first = addr & mask;
    const uint32_t last = first | ~mask;
    Observable obs;
    const std::string prefix_str = std::to_string(prefix);
    if (prefix == 32) {
      obs.kind = Kind::kIpv4;
      obs.value = FormatIpv4(addr);
      notes.push_back("/32 is a single address; written without the prefix length");
      obs.notes = std::move(notes);
      return obs;
    }
    obs.kind = Kind::kIpv4Network;
    obs.value = FormatIpv4(first) + "/" + prefix_str;
    if (first != addr) {
      notes.push_back("host bits were set (" + FormatIpv4(addr) + "/" + prefix_str +
                      "); cleared to " + obs.value);
    }
    if (prefix == 0) notes.push_back("/0 is every IPv4 address");
    obs.notes = std::move(notes);
    obs.fields.emplace_back("prefix_length", prefix_str);
    obs.fields.emplace_back("first", FormatIpv4(first));
    obs.fields.emplace_back("last", FormatIpv4(last));
    return obs;
  }

  Words addr{};
  if (!ParseIpv6(addr_text, &addr, &notes, &reason)) {
    return NotA(net_kind, "address: " + reason);
  }
  if (!ParsePrefixLength(prefix_text, 128, &prefix, &reason)) {
    return NotA(net_kind, std::move(reason));
  }
  if (prefix == 128) {
    notes.push_back("/128 is a single address; written without the prefix length");
    return MakeIpv6(addr, std::move(notes));
  }
  Words first{};
  Words last{};
  for (int i = 0; i < 8; ++i) {
    const int bits = std::clamp(prefix - 16 * i, 0, 16);
    const auto mask = static_cast<uint16_t>(bits == 0 ? 0 : (0xffffu << (16 - bits)) & 0xffffu);
    first[i] = addr[i] & mask;
    last[i] = static_cast<uint16_t>(first[i] | static_cast<uint16_t>(~mask));
  }
  const std::string prefix_str = std::to_string(prefix);
  Observable obs;
  obs.kind = Kind::kIpv6Network;
  obs.value = FormatIpv6(first) + "/" + prefix_str;
  if (first != addr) {
    notes.push_back("host bits were set (" + FormatIpv6(addr) + "/" + prefix_str +
                    "); cleared to " + obs.value);
  }
  if (prefix == 0) notes.push_back("/0 is every IPv6 address");
  obs.notes = std::move(notes);
  obs.fields.emplace_back("prefix_length", prefix_str);
  obs.fields.emplace_back("first", FormatIpv6(first));
  obs.fields.emplace_back("last", FormatIpv6(last));
  return obs;
}

uint32_t Ipv4ToUint(std::string_view canonical_ipv4) {
  uint32_t v = 0;
  return ParseDottedQuad(canonical_ipv4, &v) ? v : 0;
}

std::array<uint8_t, 16> Ipv6ToBytes(std::string_view canonical_ipv6) {
  std::array<uint8_t, 16> bytes{};
  Words w{};
  bool dotted = false;
  std::string reason;
  if (!ParseIpv6Text(canonical_ipv6, &w, &dotted, &reason)) return bytes;
  for (int i = 0; i < 8; ++i) {
    bytes[2 * i] = static_cast<uint8_t>(w[i] >> 8);
    bytes[2 * i + 1] = static_cast<uint8_t>(w[i] & 0xff);
  }
  return bytes;
}

}  // namespace tessera::normalize
