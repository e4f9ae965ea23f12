#include "normalize/extract.h"

#include <libpsl.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <unordered_set>

#include "normalize/artifacts.h"
#include "normalize/domain.h"
#include "normalize/email.h"
#include "normalize/filename.h"
#include "normalize/identifiers.h"
#include "normalize/ip.h"
#include "normalize/refang.h"
#include "normalize/url.h"

// How it works: the whole text is refanged once (refang.h), keeping the list of
// replacements so that every position in the refanged text maps back to the input.
// Pass 1 finds URLs ("scheme://" and what follows, up to a terminator); nothing is
// extracted from inside a URL. Pass 2 walks the rest token by token ("runs" of
// letters, digits and . - _ @ % +) and tries, at the start of each run, the
// scanners below in a fixed order; the first that yields a canonical value wins and
// the walk continues after it, otherwise the whole run is skipped. Every candidate
// goes through its kind's canonicalizer, so a value that is not valid (bad checksum,
// octet > 255, unknown TLD) is never reported. docs/NORMALIZATION.md lists the
// false-positive rules.

namespace tessera::normalize {
namespace {

using detail::RefangEdit;

bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool IsUpper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(unsigned char c) { return c >= 'a' && c <= 'z'; }
bool IsAlnum(unsigned char c) { return IsDigit(c) || IsAlpha(c); }
bool IsHex(unsigned char c) { return IsDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }
char Lower(char c) {
  return IsUpper(static_cast<unsigned char>(c)) ? static_cast<char>(c | 0x20) : c;
}
std::string LowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

// Decodes the UTF-8 sequence at s[i] (lenient: a bad byte reads as one U+FFFD).
uint32_t DecodeUtf8(std::string_view s, size_t i, size_t* size) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  *size = 1;
  if (extra == 0 || i + extra >= s.size()) return 0xFFFD;
  uint32_t cp = extra == 3 ? (c & 0x07) : extra == 2 ? (c & 0x0F) : (c & 0x1F);
  for (size_t k = 1; k <= extra; ++k) {
    unsigned char d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (d & 0x3F);
  }
  *size = extra + 1;
  return cp;
}

// Spaces, quotes, brackets and punctuation outside ASCII: they end a token.
bool IsUnicodeBreak(uint32_t cp) {
  return cp == 0xFFFD || cp == 0x00A0 || cp == 0x00AB || cp == 0x00BB ||
         (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
         (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) || cp == 0xFEFF;
}

// True when the byte at s[i] belongs to a name character (ASCII letter or digit, or
// a non-ASCII character that is not punctuation); *size is its length in bytes.
bool IsNameCharAt(std::string_view s, size_t i, size_t* size) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  *size = 1;
  if (c < 0x80) return IsAlnum(c);
  return !IsUnicodeBreak(DecodeUtf8(s, i, size));
}

bool IsKnownTld(std::string_view label) {
  if (label.size() < 2 || label.size() > 63) return false;
  std::string lower = LowerCopy(label);
  return psl_is_public_suffix2(psl_builtin(), lower.c_str(),
                               PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
}

// TLDs that are also everyday file extensions (script.py, archive.zip, README.md,
// libfoo.so): a bare name ending in one is a file unless it was defanged or starts
// with "www.".
bool IsFileExtensionTld(std::string_view tld) {
  static constexpr std::array<std::string_view, 25> kTlds = {
      "zip", "mov", "py", "sh", "pl",  "rs",  "ps", "md", "cc", "so",  "cab", "java", "one",
      "pm",  "mk",  "am", "ac", "map", "pub", "ms", "sc", "gs", "ink", "bz",  "app"};
  return std::find(kTlds.begin(), kTlds.end(), tld) != kTlds.end();
}

// First labels that name program objects, not hosts (document.location.host,
// System.Net): such a bare dotted name is code.
bool IsCodeObject(std::string_view label) {
  static constexpr std::array<std::string_view, 14> kObjects = {
      "document", "window", "this", "self",   "navigator", "console", "location",
      "system",   "math",   "json", "object", "string",    "array",   "process"};
  std::string lower = LowerCopy(label);
  return std::find(kObjects.begin(), kObjects.end(), lower) != kObjects.end();
}

bool IsFileExtension(std::string_view ext) {
  static constexpr std::array<std::string_view, 88> kExtensions = {
      "exe",  "dll", "sys",  "scr",  "cpl",  "ocx", "bat",  "cmd",   "ps1",  "psm1", "vbs",
      "vbe",  "js",  "jse",  "wsf",  "wsh",  "hta", "lnk",  "msi",   "msp",  "jar",  "apk",
      "dmg",  "pkg", "deb",  "rpm",  "elf",  "bin", "so",   "dylib", "doc",  "docx", "docm",
      "dotm", "xls", "xlsx", "xlsm", "xlsb", "ppt", "pptx", "pptm",  "rtf",  "pdf",  "one",
      "iso",  "img", "vhd",  "vhdx", "zip",  "rar", "7z",   "gz",    "tgz",  "tar",  "cab",
      "xz",   "bz2", "py",   "pyc",  "pl",   "rb",  "php",  "asp",   "aspx", "jsp",  "sh",
      "txt",  "log", "dat",  "tmp",  "db",   "ini", "cfg",  "conf",  "xml",  "json", "html",
      "htm",  "svg", "chm",  "inf",  "reg",  "eml", "msg",  "jpg",   "png",  "gif",  "pdb"};
  std::string lower = LowerCopy(ext);
  return std::find(kExtensions.begin(), kExtensions.end(), lower) != kExtensions.end();
}

// Longest token any scanner reads (a domain name is at most 253 bytes, an e-mail
// address 254, a Monero address 106), and longest URL.
constexpr size_t kMaxToken = 320;
constexpr size_t kMaxUrl = 16384;

struct Hit {
  size_t begin = 0;  // in the refanged text
  size_t end = 0;
  Observable observable;
};

class Extractor {
 public:
  Extractor(std::string_view text, const ExtractOptions& options) : text_(text), options_(options) {
    refanged_ = detail::RefangWithEdits(text, &edits_);
    r_ = refanged_;
  }

  std::vector<Extracted> Run() {
    FindUrls();
    size_t from = 0;
    for (const auto& [begin, end] : urls_) {
      ScanTokens(from, begin);
      from = end;
    }
    ScanTokens(from, r_.size());
    return Collect();
  }

 private:
  unsigned char At(size_t i) const { return i < r_.size() ? static_cast<unsigned char>(r_[i]) : 0; }

  // ---- offsets -------------------------------------------------------------

  // The last edit starting at or before refanged position p, or nullptr.
  const RefangEdit* EditAtOrBefore(size_t p) const {
    auto it = std::upper_bound(edits_.begin(), edits_.end(), p,
                               [](size_t pos, const RefangEdit& e) { return pos < e.out_begin; });
    if (it == edits_.begin()) return nullptr;
    return &*(it - 1);
  }

  size_t MapBegin(size_t p) const {
    const RefangEdit* e = EditAtOrBefore(p);
    if (e == nullptr) return p;
    if (p < e->out_begin + e->out_size) return e->in_begin;
    return e->in_begin + e->in_size + (p - e->out_begin - e->out_size);
  }

  size_t MapEnd(size_t p) const {
    if (p == 0) return 0;
    const RefangEdit* e = EditAtOrBefore(p - 1);
    if (e == nullptr) return p;
    if (p - 1 < e->out_begin + e->out_size) return e->in_begin + e->in_size;
    return e->in_begin + e->in_size + (p - e->out_begin - e->out_size);
  }

  bool Defanged(size_t begin, size_t end) const {
    auto it = std::lower_bound(
        edits_.begin(), edits_.end(), begin,
        [](const RefangEdit& e, size_t pos) { return e.out_begin + e.out_size < pos; });
    return it != edits_.end() && it->out_begin <= end;
  }

  void Add(size_t begin, size_t end, Observable observable) {
    hits_.push_back(Hit{begin, end, std::move(observable)});
  }

  // ---- pass 1: URLs ----------------------------------------------------------

  // Bytes that end a URL: blanks and controls, quotes, angle brackets, and
  // characters RFC 3986 does not allow unencoded.
  static bool EndsUrl(unsigned char c) {
    if (c <= 0x20 || c == 0x7f) return true;
    switch (c) {
      case '"':
      case '\'':
      case '`':
      case '<':
      case '>':
      case '\\':
      case '^':
      case '{':
      case '}':
      case '|':
      case '[':
      case ']':
        return true;
      default:
        return false;
    }
  }

  // End of a URL body that starts at `from` (just after "://" or at the host of a
  // scheme-less URL), trailing punctuation and unbalanced closing brackets removed.
  size_t UrlBodyEnd(size_t from, size_t scheme_begin) const {
    size_t i = from;
    if (At(i) == '[') {  // RFC 3986 §3.2.2: IP-literal
      size_t close = r_.find(']', i);
      if (close == std::string_view::npos || close - i > 64) return from;
      i = close + 1;
    }
    while (i < r_.size() && i - from < kMaxUrl) {
      unsigned char c = At(i);
      if (c < 0x80) {
        if (EndsUrl(c)) break;
        ++i;
        continue;
      }
      size_t size = 1;
      if (IsUnicodeBreak(DecodeUtf8(r_, i, &size))) break;
      i += size;
    }
    // HTML escapes of characters that cannot be in a URL end it.
    std::string_view body = r_.substr(from, i - from);
    for (std::string_view entity : {"&gt;", "&lt;", "&quot;", "&#39;", "&#x27;", "&apos;"}) {
      size_t pos = body.find(entity);
      if (pos != std::string_view::npos) body = body.substr(0, pos);
    }
    size_t end = from + body.size();
    bool plus_wrapped = scheme_begin > 0 && At(scheme_begin - 1) == '+';
    std::string_view kept = r_.substr(from, end - from);
    auto open = std::count(kept.begin(), kept.end(), '(');
    auto close = std::count(kept.begin(), kept.end(), ')');
    while (end > from) {
      unsigned char c = At(end - 1);
      if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '*' ||
          (c == '+' && plus_wrapped)) {
        --end;
        continue;
      }
      if (c == ')' && open < close) {  // "(see http://x.com/a)": not the URL's
        --close;
        --end;
        continue;
      }
      break;
    }
    return end;
  }

  static std::string DecodeAmpersands(std::string_view url) {
    std::string out;
    out.reserve(url.size());
    for (size_t i = 0; i < url.size(); ++i) {
      if (url.substr(i, 5) == "&amp;") {
        out += '&';
        i += 4;
      } else {
        out += url[i];
      }
    }
    return out;
  }

  void FindUrls() {
    size_t pos = 0;
    size_t consumed_to = 0;
    while ((pos = r_.find("://", pos)) != std::string_view::npos) {
      size_t scheme_begin = pos;
      while (scheme_begin > 0 && IsAlpha(At(scheme_begin - 1))) --scheme_begin;
      size_t scheme_size = pos - scheme_begin;
      if (scheme_begin < consumed_to || scheme_size < 2 || scheme_size > 10 ||
          (scheme_begin > 0 && IsAlnum(At(scheme_begin - 1)))) {
        pos += 3;
        continue;
      }
      size_t end = UrlBodyEnd(pos + 3, scheme_begin);
      if (end <= pos + 3) {
        pos += 3;
        continue;
      }
      std::string candidate = DecodeAmpersands(r_.substr(scheme_begin, end - scheme_begin));
      UrlOptions url_options;
      core::Result<Observable> url = CanonicalUrl(candidate, url_options);
      if (!url.ok()) {
        // No second attempt inside a refused URL ("ab://ab://..." stays linear); its
        // text is still scanned for other tokens in pass 2.
        pos = end;
        continue;
      }
      Add(scheme_begin, end, std::move(url).value());
      urls_.emplace_back(scheme_begin, end);
      consumed_to = end;
      pos = end;
    }
  }

  // ---- pass 2: tokens --------------------------------------------------------

  static bool IsRunByte(unsigned char c) {
    return IsAlnum(c) || c >= 0x80 || c == '.' || c == '-' || c == '_' || c == '@' || c == '%' ||
           c == '+';
  }

  void ScanTokens(size_t begin, size_t end) {
    size_t i = begin;
    while (i < end) {
      unsigned char c = At(i);
      size_t size = 1;
      if (c < 0x80 ? !IsAlnum(c) : !IsNameCharAt(r_, i, &size)) {
        if (c == ':' && At(i + 1) == ':' && (i == 0 || !IsHex(At(i - 1)))) {
          size_t matched = TryIpv6(i, end);
          if (matched > i) {
            i = matched;
            continue;
          }
        }
        i += size;
        continue;
      }
      size_t matched = TryAll(i, end);
      if (matched > i) {
        i = matched;
        continue;
      }
      while (i < end && IsRunByte(At(i))) ++i;
    }
  }

  size_t TryAll(size_t i, size_t end) {
    // One look at the token decides which scanners can match at all; most words
    // of prose need none.
    size_t run_end = i;
    bool has_dot = false;
    bool has_at = false;
    // Nothing any scanner reads is longer than kMaxToken; looking further would make
    // long runs ("a@b.com@c.com@...") quadratic.
    while (run_end < end && run_end - i < kMaxToken && IsRunByte(At(run_end))) {
      has_dot = has_dot || At(run_end) == '.';
      has_at = has_at || At(run_end) == '@';
      ++run_end;
    }
    size_t alnum = AlnumRun(i, end);
    unsigned char c = At(i);
    unsigned char after_alnum = At(i + alnum);
    size_t m = i;
    if (has_at) {
      m = TryEmail(i, end);
      if (m > i) return m;
    }
    if (IsDigit(c) && has_dot) {
      m = TryIpv4(i, end);
      if (m > i) return m;
    }
    if (IsHex(c) && (after_alnum == ':' || after_alnum == '-' || after_alnum == '.')) {
      m = TryMac(i, end);
      if (m > i) return m;
      if (after_alnum == ':') {
        m = TryIpv6(i, end);
        if (m > i) return m;
      }
    }
    if ((c | 0x20) == 'c' && alnum == 3) {
      m = TryCve(i, end);
      if (m > i) return m;
    }
    if ((c | 0x20) == 'a' && alnum >= 2) {
      m = TryAsn(i, end);
      if (m > i) return m;
    }
    if (alnum >= 32) {
      if (c == '0' && (At(i + 1) == 'x' || At(i + 1) == 'X')) {
        m = TryEthereum(i, end);
        if (m > i) return m;
      }
      m = TryHash(i, end);
      if (m > i) return m;
    }
    if (alnum >= 14) {
      m = TryWallet(i, end);
      if (m > i) return m;
    }
    if (IsUpper(c) && alnum >= 4) {
      m = TryIban(i, end);
      if (m > i) return m;
    }
    if (has_dot) {
      m = TryDomain(i, end);
      if (m > i) return m;
      if (options_.file_names) {
        m = TryFileName(i, end);
        if (m > i) return m;
      }
    }
    return i;
  }

  // Length of the alphanumeric run at i (ASCII only).
  size_t AlnumRun(size_t i, size_t end) const {
    size_t j = i;
    while (j < end && j - i < kMaxToken && IsAlnum(At(j))) ++j;
    return j - i;
  }

  // True when the token that ends at `j` really ends there (not inside a longer word).
  bool EndsToken(size_t j) const {
    if (j >= r_.size()) return true;
    unsigned char c = At(j);
    if (c == '_') return false;
    size_t size = 1;
    return !(c < 0x80 ? IsAlnum(c) : IsNameCharAt(r_, j, &size));
  }

  // Host labels from i: name characters, '-' and '_', separated by single dots.
  // Returns the end (a trailing dot is not included) and the number of labels.
  size_t ScanHost(size_t i, size_t end, int* labels, size_t* last_label) const {
    size_t j = i;
    *labels = 0;
    *last_label = i;
    while (j < end && j - i <= kMaxToken) {
      size_t label_begin = j;
      while (j < end) {
        size_t size = 1;
        unsigned char c = At(j);
        if (c == '-' || c == '_' || (c < 0x80 ? IsAlnum(c) : IsNameCharAt(r_, j, &size))) {
          j += size;
        } else {
          break;
        }
      }
      if (j == label_begin) break;
      ++*labels;
      *last_label = label_begin;
      if (j + 1 < end && At(j) == '.') {
        size_t size = 1;
        unsigned char next = At(j + 1);
        if (next < 0x80 ? IsAlnum(next) : IsNameCharAt(r_, j + 1, &size)) {
          ++j;
          continue;
        }
      }
      break;
    }
    if (*labels == 0 || j - i > kMaxToken) {
      *labels = 0;
      return i;
    }
    return j;
  }

  static bool PlausibleTld(std::string_view tld) {
    if (tld.size() >= 4 && LowerCopy(tld.substr(0, 4)) == "xn--") return true;
    bool has_non_ascii = false;
    for (char ch : tld) {
      unsigned char c = static_cast<unsigned char>(ch);
      if (c >= 0x80) {
        has_non_ascii = true;
      } else if (!IsAlpha(c)) {
        return false;
      }
    }
    return has_non_ascii || IsKnownTld(tld);
  }

  size_t TryEmail(size_t i, size_t end) {
    size_t j = i;
    while (j < end && j - i < kMaxToken) {
      unsigned char c = At(j);
      if (IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-') {
        ++j;
      } else {
        break;
      }
    }
    if (j == i || At(j) != '@' || At(j - 1) == '.') return i;
    if (At(j + 1) == '[') {  // RFC 5321 §4.1.3: address literal, user@[192.0.2.1]
      size_t close = r_.find(']', j + 1);
      if (close == std::string_view::npos || close - j > 48) return i;
      core::Result<Observable> literal = CanonicalEmail(r_.substr(i, close + 1 - i));
      if (!literal.ok()) return i;
      Add(i, close + 1, std::move(literal).value());
      return close + 1;
    }
    int labels = 0;
    size_t last_label = 0;
    size_t host_end = ScanHost(j + 1, end, &labels, &last_label);
    if (labels < 2 || !PlausibleTld(r_.substr(last_label, host_end - last_label))) return i;
    core::Result<Observable> email = CanonicalEmail(r_.substr(i, host_end - i));
    if (!email.ok()) return i;
    Add(i, host_end, std::move(email).value());
    return host_end;
  }

  // The word before position i on the same line ("version", "ver"), lower case.
  std::string WordBefore(size_t i) const {
    size_t j = i;
    while (j > 0 && (At(j - 1) == ' ' || At(j - 1) == '\t')) --j;
    if (j > 0 && At(j - 1) == '.') --j;
    size_t word_end = j;
    while (j > 0 && IsAlpha(At(j - 1))) --j;
    return LowerCopy(r_.substr(j, word_end - j));
  }

  size_t TryIpv4(size_t i, size_t end) {
    size_t j = i;
    for (int part = 0; part < 4; ++part) {
      size_t digits = 0;
      while (j < end && IsDigit(At(j)) && digits < 4) {
        ++j;
        ++digits;
      }
      if (digits == 0 || digits > 3) return i;
      if (part < 3) {
        if (At(j) != '.') return i;
        ++j;
      }
    }
    if (IsDigit(At(j)) || !EndsToken(j)) return i;
    if (At(j) == '.' && IsDigit(At(j + 1))) return i;  // 1.2.3.4.5: not an address
    std::string before = WordBefore(i);
    if (before == "version" || before == "ver" || before == "build") return i;
    std::string_view address = r_.substr(i, j - i);
    if (At(j) == '/' && IsDigit(At(j + 1))) {
      size_t k = j + 1;
      while (k < end && IsDigit(At(k)) && k - j <= 3) ++k;
      if (k - j - 1 <= 2 && EndsToken(k) && !(At(k) == '.' && IsDigit(At(k + 1)))) {
        core::Result<Observable> network = CanonicalCidr(r_.substr(i, k - i));
        if (network.ok()) {
          Add(i, k, std::move(network).value());
          return k;
        }
      }
    }
    core::Result<Observable> ip = CanonicalIpv4(address);
    if (!ip.ok()) return i;
    Add(i, j, std::move(ip).value());
    return j;
  }

  size_t TryIpv6(size_t i, size_t end) {
    if (i > 0 && (IsHex(At(i - 1)) || At(i - 1) == ':')) return i;
    size_t j = i;
    int colons = 0;
    bool has_digit = false;
    bool has_double = false;
    while (j < end && j - i < 46) {
      unsigned char c = At(j);
      if (c == ':') {
        ++colons;
        if (At(j + 1) == ':') has_double = true;
      } else if (IsDigit(c)) {
        has_digit = true;
      } else if (!IsHex(c) && !(c == '.' && colons >= 2)) {
        break;
      }
      ++j;
    }
    // Trailing punctuation: a single ':' or '.' is not part of the address.
    while (j > i && (At(j - 1) == '.' || (At(j - 1) == ':' && At(j - 2) != ':'))) {
      if (At(j - 1) == ':') --colons;
      --j;
    }
    if (colons < 2 || !has_digit || (!has_double && colons != 7)) return i;
    if (!EndsToken(j) || At(j) == '%') return i;
    if (At(j) == '/' && IsDigit(At(j + 1))) {
      size_t k = j + 1;
      while (k < end && IsDigit(At(k)) && k - j <= 4) ++k;
      if (k - j - 1 <= 3 && EndsToken(k)) {
        core::Result<Observable> network = CanonicalCidr(r_.substr(i, k - i));
        if (network.ok()) {
          Add(i, k, std::move(network).value());
          return k;
        }
      }
    }
    core::Result<Observable> ip = CanonicalIpv6(r_.substr(i, j - i));
    if (!ip.ok()) return i;
    Add(i, j, std::move(ip).value());
    return j;
  }

  size_t TryMac(size_t i, size_t end) {
    size_t j = i;
    unsigned char separator = At(i + 2);
    if (separator == ':' || separator == '-') {
      for (int group = 0; group < 6; ++group) {
        if (!(IsHex(At(j)) && IsHex(At(j + 1)))) return i;
        j += 2;
        if (group < 5) {
          if (At(j) != separator) return i;
          ++j;
        }
      }
      if (At(j) == separator && IsHex(At(j + 1))) return i;
    } else if (At(i + 4) == '.') {
      for (int group = 0; group < 3; ++group) {
        for (int k = 0; k < 4; ++k) {
          if (!IsHex(At(j))) return i;
          ++j;
        }
        if (group < 2) {
          if (At(j) != '.') return i;
          ++j;
        }
      }
      if (At(j) == '.' && IsAlnum(At(j + 1))) return i;
    } else {
      return i;
    }
    if (j > end || !EndsToken(j)) return i;
    core::Result<Observable> mac = CanonicalMac(r_.substr(i, j - i));
    if (!mac.ok()) return i;
    Add(i, j, std::move(mac).value());
    return j;
  }

  size_t TryCve(size_t i, size_t end) {
    if ((At(i) | 0x20) != 'c' || (At(i + 1) | 0x20) != 'v' || (At(i + 2) | 0x20) != 'e') return i;
    size_t j = i + 3;
    if (At(j) != '-' && At(j) != ' ') return i;
    ++j;
    size_t year = j;
    while (j < end && IsDigit(At(j)) && j - year < 5) ++j;
    if (j - year != 4 || At(j) != '-') return i;
    ++j;
    size_t number = j;
    while (j < end && IsDigit(At(j)) && j - number < 8) ++j;
    if (j - number < 4 || !EndsToken(j)) return i;
    std::string id = "CVE-";
    id.append(r_.substr(year, 4)).append("-").append(r_.substr(number, j - number));
    core::Result<Observable> cve = CanonicalCve(id);
    if (!cve.ok()) return i;
    Add(i, j, std::move(cve).value());
    return j;
  }

  // "AS64500", "as64500", "ASN64500", "ASN 64500", "AS 64500" (upper case only:
  // "such as 2014" is prose).
  size_t TryAsn(size_t i, size_t end) {
    size_t j = i;
    std::string_view prefix;
    if (LowerCopy(r_.substr(i, 3)) == "asn") {
      prefix = r_.substr(i, 3);
    } else if (LowerCopy(r_.substr(i, 2)) == "as") {
      prefix = r_.substr(i, 2);
    } else {
      return i;
    }
    bool upper_or_lower =
        std::all_of(prefix.begin(), prefix.end(), [](char c) { return IsUpper(c); }) ||
        std::all_of(prefix.begin(), prefix.end(), [](char c) { return IsLower(c); });
    if (!upper_or_lower) return i;
    j += prefix.size();
    if (At(j) == ' ') {
      if (prefix.size() == 2 && !IsUpper(static_cast<unsigned char>(prefix[0]))) return i;
      ++j;
    }
    size_t digits = j;
    while (j < end && IsDigit(At(j)) && j - digits < 11) ++j;
    if (j == digits || j - digits > 10 || !EndsToken(j)) return i;
    if (At(j) == '.' && IsDigit(At(j + 1))) return i;
    std::string text = "AS";
    text.append(r_.substr(digits, j - digits));
    core::Result<Observable> asn = CanonicalAsn(text);
    if (!asn.ok()) return i;
    Add(i, j, std::move(asn).value());
    return j;
  }

  size_t TryEthereum(size_t i, size_t end) {
    size_t j = i + 2;
    while (j < end && IsHex(At(j))) ++j;
    if (j - i != 42 || !EndsToken(j)) return i;
    core::Result<Observable> address = CanonicalEthereumAddress(r_.substr(i, j - i));
    if (!address.ok()) return i;
    Add(i, j, std::move(address).value());
    return j;
  }

  // MD5, SHA-1, SHA-256, SHA-512 (exact hex lengths) and TLSH: the hex run must be
  // the whole token, so longer runs and their substrings are never read as hashes.
  size_t TryHash(size_t i, size_t end) {
    size_t j = i;
    if (At(i) == 'T' && At(i + 1) == '1') j = i + 2;
    size_t hex_begin = j;
    bool has_digit = false;
    bool has_letter = false;
    while (j < end && IsHex(At(j))) {
      if (IsDigit(At(j))) {
        has_digit = true;
      } else {
        has_letter = true;
      }
      ++j;
    }
    size_t length = j - hex_begin;
    bool tlsh = hex_begin != i;
    if (tlsh ? length != 70 : (length != 32 && length != 40 && length != 64 && length != 128)) {
      return i;
    }
    if (!has_digit || !has_letter || !EndsToken(j)) return i;
    core::Result<Observable> hash = CanonicalHash(r_.substr(i, j - i));
    if (!hash.ok()) return i;
    Add(i, j, std::move(hash).value());
    return j;
  }

  // Bitcoin (base58check, bech32) and Monero addresses: checksum-validated, so a
  // random word never passes.
  size_t TryWallet(size_t i, size_t end) {
    size_t length = AlnumRun(i, end);
    size_t j = i + length;
    if (!EndsToken(j)) return i;
    unsigned char c = At(i);
    std::string_view token = r_.substr(i, length);
    std::string lower_prefix = LowerCopy(token.substr(0, 3));
    if (((c == '1' || c == '3') && length >= 26 && length <= 35) ||
        ((lower_prefix == "bc1" || lower_prefix == "tb1") && length >= 14 && length <= 90)) {
      core::Result<Observable> btc = CanonicalBitcoinAddress(token);
      if (btc.ok()) {
        Add(i, j, std::move(btc).value());
        return j;
      }
    }
    if ((c == '4' || c == '8') && (length == 95 || length == 106)) {
      core::Result<Observable> xmr = CanonicalMoneroAddress(token);
      if (xmr.ok()) {
        Add(i, j, std::move(xmr).value());
        return j;
      }
    }
    return i;
  }

  // IBAN: country code, check digits, then the BBAN either in one piece or in
  // groups of four separated by single spaces (the printed form).
  size_t TryIban(size_t i, size_t end) {
    if (!(IsUpper(At(i)) && IsUpper(At(i + 1)) && IsDigit(At(i + 2)) && IsDigit(At(i + 3)))) {
      return i;
    }
    size_t j = i + 4;
    std::string compact(r_.substr(i, 4));
    auto is_bban = [](unsigned char c) { return IsDigit(c) || IsUpper(c); };
    if (At(j) == ' ') {
      while (At(j) == ' ' && is_bban(At(j + 1)) && compact.size() < 34) {
        size_t group = j + 1;
        size_t k = group;
        while (k < end && is_bban(At(k)) && k - group < 5) ++k;
        if (k - group > 4) break;
        compact.append(r_.substr(group, k - group));
        j = k;
        if (k - group < 4) break;
      }
    } else {
      while (j < end && is_bban(At(j)) && compact.size() < 35) compact += r_[j++];
    }
    if (compact.size() < 15 || compact.size() > 34 || !EndsToken(j)) return i;
    core::Result<Observable> iban = CanonicalIban(compact);
    if (!iban.ok()) return i;
    Add(i, j, std::move(iban).value());
    return j;
  }

  size_t TryDomain(size_t i, size_t end) {
    int labels = 0;
    size_t last_label = 0;
    size_t j = ScanHost(i, end, &labels, &last_label);
    if (labels < 2) return i;
    std::string_view tld = r_.substr(last_label, j - last_label);
    if (!PlausibleTld(tld)) return i;
    unsigned char before = i > 0 ? At(i - 1) : 0;
    unsigned char after = At(j);
    if (after == '@' || after == '(') return i;  // a local part, a function call
    bool defanged = Defanged(i, j);
    if (!defanged) {
      // A path component or a detection name ("Win32/Agent.AD"), a variable.
      if (before == '/' || before == '\\' || before == '$') return i;
      for (char ch : tld) {
        if (IsUpper(static_cast<unsigned char>(ch))) return i;  // ASP.NET, Spy.AHK.AD
      }
      size_t first_dot = r_.find('.', i);
      if (IsCodeObject(r_.substr(i, first_dot - i))) return i;
    }
    std::string_view name = r_.substr(i, j - i);
    if (options_.normalize.assume_http_without_scheme && after == '/') {
      size_t url_end = UrlBodyEnd(j, i);
      core::Result<Observable> url =
          CanonicalUrl(DecodeAmpersands(r_.substr(i, url_end - i)),
                       UrlOptions{.assume_http_without_scheme = true, .keep_fragment = false});
      if (url.ok()) {
        Add(i, url_end, std::move(url).value());
        return url_end;
      }
    }
    core::Result<Observable> domain = CanonicalDomain(name);
    if (!domain.ok()) return i;
    const std::string& value = domain->value;
    std::string_view canonical_tld = value;
    size_t dot = canonical_tld.rfind('.');
    if (dot == std::string_view::npos) return i;
    canonical_tld = canonical_tld.substr(dot + 1);
    if (!IsKnownTld(canonical_tld)) return i;
    if (!defanged && IsFileExtensionTld(canonical_tld) && value.rfind("www.", 0) != 0) return i;
    Add(i, j, std::move(domain).value());
    return j;
  }

  size_t TryFileName(size_t i, size_t end) {
    size_t j = i;
    size_t last_dot = std::string_view::npos;
    while (j < end && j - i < kMaxToken) {
      unsigned char c = At(j);
      if (c == '.') {
        last_dot = j;
      } else if (!(IsAlnum(c) || c == '-' || c == '_' || c == '~' || c == '$' || c >= 0x80)) {
        break;
      }
      ++j;
    }
    while (j > i && At(j - 1) == '.') --j;
    if (last_dot == std::string_view::npos || last_dot + 1 >= j || last_dot == i) return i;
    if (!IsFileExtension(r_.substr(last_dot + 1, j - last_dot - 1))) return i;
    core::Result<Observable> file = CanonicalFileName(r_.substr(i, j - i));
    if (!file.ok()) return i;
    Add(i, j, std::move(file).value());
    return j;
  }

  // ---- results ---------------------------------------------------------------

  std::vector<Extracted> Collect() {
    std::vector<size_t> order(hits_.size());
    for (size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return hits_[a].begin < hits_[b].begin; });
    std::vector<Extracted> out;
    std::unordered_set<std::string> seen;
    for (size_t index : order) {
      Hit& hit = hits_[index];
      std::string key(KindName(hit.observable.kind));
      key += '\n';
      key += hit.observable.value;
      if (!seen.insert(std::move(key)).second) continue;
      size_t begin = MapBegin(hit.begin);
      size_t end = std::max(begin, MapEnd(hit.end));
      Extracted extracted;
      extracted.offset = begin;
      extracted.raw = std::string(text_.substr(begin, end - begin));
      extracted.observable = std::move(hit.observable);
      out.push_back(std::move(extracted));
    }
    return out;
  }

  std::string_view text_;
  const ExtractOptions& options_;
  std::vector<RefangEdit> edits_;
  std::string refanged_;
  std::string_view r_;
  std::vector<std::pair<size_t, size_t>> urls_;
  std::vector<Hit> hits_;
};

}  // namespace

std::vector<Extracted> ExtractObservables(std::string_view text, const ExtractOptions& options) {
  return Extractor(text, options).Run();
}

}  // namespace tessera::normalize
