#include "normalize/domain.h"

#include <idn2.h>
#include <libpsl.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "normalize/public_suffix.h"

namespace tessera::normalize {
namespace {

constexpr size_t kMaxLabel = 63;  // RFC 1035 §2.3.4
constexpr size_t kMaxName = 253;  // RFC 1035 §2.3.4: 255 octets on the wire
constexpr int kIdnFlags = IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT;

// psl_latest reads the system list (newest of it and the built-in copy) once;
// the context is read-only afterwards and safe to share between threads.
const psl_ctx_t* Psl() {
  static const psl_ctx_t* const psl = psl_latest(nullptr);
  return psl;
}

struct IdnFree {
  void operator()(char* p) const { idn2_free(p); }
};
using IdnString = std::unique_ptr<char, IdnFree>;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

std::string DescribeChar(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u > 0x20 && u < 0x7f) return std::string("character '") + c + "'";
  char buf[16];
  std::snprintf(buf, sizeof buf, "byte 0x%02X", u);
  return buf;
}

// IDNA2008 lookup (UTS #46 non-transitional mapping, NFC) of a NUL-terminated name.
// Returns libidn2's rc; `out` receives the A-label form on success.
int IdnLookup(const std::string& name, std::string* out) {
  char* raw = nullptr;
  int rc = idn2_lookup_u8(reinterpret_cast<const uint8_t*>(name.c_str()),
                          reinterpret_cast<uint8_t**>(&raw), kIdnFlags);
  IdnString owned(raw);
  if (rc == IDN2_OK) out->assign(raw);
  return rc;
}

// Checks a lower-case ASCII name label by label (RFC 1035 §2.3.1 LDH rule,
// RFC 5891 §4.2.3.1 hyphens, RFC 3696 §2 numeric TLD). Empty string when fine.
std::string CheckLdh(std::string_view name, bool* has_ace, bool* has_underscore) {
  if (name.size() > kMaxName) {
    return "longer than 253 octets (" + std::to_string(name.size()) + ")";
  }
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    bool last = dot == std::string_view::npos;
    std::string_view label = name.substr(start, last ? std::string_view::npos : dot - start);
    if (label.empty()) return "empty label (\"..\" or a leading dot)";
    if (label.size() > kMaxLabel) {
      return "label longer than 63 octets (" + std::to_string(label.size()) + ")";
    }
    bool all_digits = true;
    for (char c : label) {
      if (IsDigit(c)) continue;
      all_digits = false;
      if (IsLower(c) || c == '-') continue;
      if (c == '_') {
        if (last) return "underscore in the top-level label";
        *has_underscore = true;
        continue;
      }
      if (c == ' ' || c == '\t') return "contains a space";
      if (c == '*') return "a wildcard is only allowed as the whole leftmost label (\"*.\")";
      return DescribeChar(c) + " not allowed in a domain name";
    }
    if (label.front() == '-' || label.back() == '-') {
      return "label '" + std::string(label) + "' starts or ends with a hyphen";
    }
    if (label.size() >= 4 && label[2] == '-' && label[3] == '-') {
      if (label.substr(0, 4) != "xn--") {
        return "label '" + std::string(label) +
               "' has \"--\" in the 3rd and 4th positions (reserved for xn-- A-labels)";
      }
      *has_ace = true;
    }
    if (last) {
      if (all_digits) return "all-numeric top-level label; looks like an IP address";
      return {};
    }
    start = dot + 1;
  }
}

// Bytes of plain host names: lower-case letters, digits, '-' and '.'.
constexpr std::array<uint8_t, 256> kPlainHostBytes = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = 1;
  for (int c = '0'; c <= '9'; ++c) t[c] = 1;
  t['-'] = t['.'] = 1;
  return t;
}();

// The common case of CheckLdh: a lower-case name of letters, digits, hyphens and
// dots, in labels of 1-63 octets that neither start nor end with a hyphen nor
// have "--" in the 3rd and 4th positions, with a last label that is not all
// digits, at most 253 octets. CheckLdh accepts such a name without setting its
// flags; it also accepts others (A-labels, underscores) and says what is wrong.
bool IsPlainHostName(std::string_view name) {
  if (name.empty() || name.size() > kMaxName) return false;
  // The bytes, without a branch per byte (letters and digits come in any order),
  // eight from one load.
  uint8_t plain = 1;
  size_t i = 0;
  for (; i + 8 <= name.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, name.data() + i, 8);
    for (int k = 0; k < 64; k += 8) plain &= kPlainHostBytes[(word >> k) & 0xff];
  }
  for (; i < name.size(); ++i) plain &= kPlainHostBytes[static_cast<unsigned char>(name[i])];
  if (plain == 0) return false;
  // The labels, dot to dot.
  size_t start = 0;
  while (true) {
    const size_t dot = name.find('.', start);
    const size_t end = dot == std::string_view::npos ? name.size() : dot;
    const size_t size = end - start;
    if (size == 0 || size > kMaxLabel) return false;
    if (name[start] == '-' || name[end - 1] == '-') return false;
    if (size >= 4 && name[start + 2] == '-' && name[start + 3] == '-') return false;
    if (dot == std::string_view::npos) {
      bool all_digits = true;
      for (size_t k = start; k < end; ++k) all_digits = all_digits && IsDigit(name[k]);
      return !all_digits;
    }
    start = dot + 1;
  }
}

// RFC 5891 §5.4: an A-label must decode to a valid U-label that encodes back to it.
std::string CheckALabels(std::string_view name) {
  size_t start = 0;
  std::string label;
  std::string encoded;
  while (start <= name.size()) {
    size_t dot = name.find('.', start);
    if (dot == std::string_view::npos) dot = name.size();
    label.assign(name.substr(start, dot - start));
    if (label.size() >= 4 && label.compare(0, 4, "xn--") == 0) {
      int rc = IdnLookup(label, &encoded);
      if (rc != IDN2_OK) {
        return "label '" + label + "' is not a valid IDNA2008 A-label: " + idn2_strerror(rc);
      }
      if (encoded != label) {
        return "label '" + label + "' is not the canonical A-label (IDNA2008 gives '" + encoded +
               "')";
      }
    }
    start = dot + 1;
  }
  return {};
}

}  // namespace

namespace detail {

bool CanonicalizeDomain(std::string_view text, const DomainOptions& options, Observable* out,
                        std::string* reason) {
  std::string_view s = detail::TrimAsciiSpace(text);
  if (s.empty()) {
    *reason = "empty";
    return false;
  }
  ObservableWriter writer(out, Kind::kDomain);
  bool dot_removed = false;
  if (s.back() == '.') {
    s.remove_suffix(1);
    dot_removed = true;
    if (s.empty()) {
      *reason = "only the root '.'";
      return false;
    }
  }
  bool wildcard = false;
  if (s.size() >= 2 && s[0] == '*' && s[1] == '.') {
    if (!options.allow_wildcard) {
      *reason = "a wildcard ('*.') is not allowed here";
      return false;
    }
    wildcard = true;
    s.remove_prefix(2);
  } else if (s == "*") {
    *reason = "only a wildcard";
    return false;
  }

  bool non_ascii = false;
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      non_ascii = true;
      break;
    }
  }
  std::string& name = writer.value();
  if (non_ascii) {
    for (char c : s) {
      if (c == '\0') {
        *reason = DescribeChar(c) + " not allowed in a domain name";
        return false;
      }
      if (IsSpace(c)) {
        *reason = "contains a space";
        return false;
      }
    }
    // UTS #46 mapping folds case, width and the ideographic full stop; IDNA2008
    // (RFC 5891) then checks every label and converts it to an A-label.
    int rc = IdnLookup(std::string(s), &name);
    if (rc != IDN2_OK) {
      *reason = std::string("IDNA2008: ") + idn2_strerror(rc);
      return false;
    }
    if (!dot_removed && !name.empty() && name.back() == '.') {
      name.pop_back();
      dot_removed = true;
    }
  } else {
    name.assign(s);
    for (char& c : name) {  // branch-free: letters of both cases come in any order
      c = static_cast<char>(c + (static_cast<unsigned char>(c - 'A') < 26 ? 'a' - 'A' : 0));
    }
  }

  bool has_ace = false;
  bool has_underscore = false;
  if (!IsPlainHostName(name)) {
    std::string problem = CheckLdh(name, &has_ace, &has_underscore);
    if (!problem.empty()) {
      *reason = std::move(problem);
      return false;
    }
  }
  if (has_ace && !non_ascii) {
    std::string problem = CheckALabels(name);
    if (!problem.empty()) {
      *reason = std::move(problem);
      return false;
    }
  }
  size_t last_dot = name.rfind('.');
  if (last_dot == std::string::npos && !options.allow_single_label) {
    *reason = "a single label ('" + name + "'); not a name an indicator can point to";
    return false;
  }

  if (const PublicSuffixList* list = PublicSuffixList::System()) {
    PublicSuffixList::Match match = list->Find(name);
    const std::string_view view = name;
    if (match.suffix_offset > 0) {
      size_t dot = view.rfind('.', match.suffix_offset - 2);
      size_t start = dot == std::string::npos ? 0 : dot + 1;
      writer.Field("registrable_domain", view.substr(start));
    }
    writer.Field("public_suffix", view.substr(match.suffix_offset));
    if (!match.listed) {
      writer.Note()
          .append("TLD '")
          .append(view.substr(match.suffix_offset))
          .append("' is not in the public suffix list");
    } else if (match.suffix_offset == 0) {
      writer.Note("is a public suffix");
    }
  } else if (const psl_ctx_t* psl = Psl()) {
    // Without the list file: libpsl's built-in copy. One walk instead of
    // psl_registrable_domain's second one: the registrable domain is the public
    // suffix plus the label to its left (what libpsl computes).
    const char* suffix = psl_unregistrable_domain(psl, name.c_str());
    int fields = 0;
    if (suffix != nullptr && suffix != name.c_str()) {
      size_t suffix_at = static_cast<size_t>(suffix - name.c_str());
      size_t dot = name.rfind('.', suffix_at - 2);
      size_t start = dot == std::string::npos ? 0 : dot + 1;
      writer.Field("registrable_domain", std::string_view(name).substr(start));
      ++fields;
    }
    if (suffix != nullptr) {
      writer.Field("public_suffix", suffix);
      ++fields;
    }
    bool registrable = fields == 2;
    const char* tld = last_dot == std::string::npos ? name.c_str() : name.c_str() + last_dot + 1;
    // A multi-label suffix is an explicit rule; only a one-label one can come from
    // the implicit '*' rule for a TLD the list does not know.
    if (suffix == tld && !psl_is_public_suffix2(psl, tld, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE)) {
      writer.Note().append("TLD '").append(tld).append("' is not in the public suffix list");
    } else if (!registrable) {
      writer.Note("is a public suffix");
    }
  }
  if (has_ace) {
    char* raw = nullptr;
    if (idn2_to_unicode_8z8z(name.c_str(), &raw, 0) == IDN2_OK) {
      IdnString unicode(raw);
      writer.Field("unicode").append(wildcard ? "*." : "").append(raw);
    }
  } else if (non_ascii) {
    writer.Note("Unicode characters mapped to ASCII (UTS #46)");
  }
  if (wildcard) {
    name.insert(0, "*.");
    writer.Field("wildcard", "true");
  }
  if (dot_removed) writer.Note("trailing dot removed");
  if (has_underscore) {
    writer.Note("underscore in a label: valid in DNS, not in a host name (RFC 952)");
  }
  return true;
}

}  // namespace detail

core::Result<Observable> CanonicalDomain(std::string_view text, const DomainOptions& options) {
  Observable out;
  std::string reason;
  if (!detail::CanonicalizeDomain(text, options, &out, &reason)) {
    return NotA(Kind::kDomain, std::move(reason));
  }
  return out;
}

bool IsKnownTopLevelDomain(std::string_view tld) {
  if (const PublicSuffixList* list = PublicSuffixList::System()) {
    // TLDs are at most 63 octets; lower-case into a stack buffer, no allocation.
    if (tld.empty() || tld.size() > 63 || tld.find('.') != std::string_view::npos) return false;
    char lower[63];
    for (size_t i = 0; i < tld.size(); ++i) {
      char c = tld[i];
      lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
    }
    return list->Find(std::string_view(lower, tld.size())).listed;
  }
  const psl_ctx_t* psl = Psl();
  if (psl == nullptr || tld.empty() || tld.find('.') != std::string_view::npos) return false;
  std::string z(tld);
  for (char& c : z) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return psl_is_public_suffix2(psl, z.c_str(), PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
}

std::string ReversedLabels(std::string_view canonical_domain) {
  std::string out;
  out.reserve(canonical_domain.size());
  size_t end = canonical_domain.size();
  while (true) {
    size_t dot = canonical_domain.rfind('.', end == 0 ? 0 : end - 1);
    if (end == 0 || dot == std::string_view::npos) {
      out.append(canonical_domain.substr(0, end));
      break;
    }
    out.append(canonical_domain.substr(dot + 1, end - dot - 1));
    out.push_back('.');
    end = dot;
  }
  return out;
}

}  // namespace tessera::normalize
