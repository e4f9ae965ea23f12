#include "normalize/classify.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <utility>

#include "normalize/artifacts.h"
#include "normalize/domain.h"
#include "normalize/email.h"
#include "normalize/filename.h"
#include "normalize/identifiers.h"
#include "normalize/ip.h"
#include "normalize/refang.h"
#include "normalize/url.h"

namespace tessera::normalize {
namespace {

// ASCII only, as the C locale the tools run in (the <cctype> functions cost a call
// per byte).
constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
constexpr char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(s[i]) != prefix[i]) return false;
  }
  return true;
}

// What the candidate tests look at, from one pass over the token.
struct Shape {
  bool has_scheme = false;             // "://"
  size_t at = std::string_view::npos;  // the first '@'
  int colons = 0;
  bool has_dot = false;
  bool has_slash = false;
  bool all_hex = false;  // and not empty
  bool any_digit = false;
  bool digits_and_separators = false;  // digits, ' ' and '-' only
};

enum : uint8_t {
  kHexDigit = 1,  // 0-9 a-f A-F
  kDecimal = 2,   // 0-9
  kCardByte = 4,  // 0-9 ' ' '-': what a card number is written with
  kColon = 8,
  kAt = 16,
  kDot = 32,
  kSlash = 64,
};

constexpr std::array<uint8_t, 256> kByteClasses = [] {
  std::array<uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = kHexDigit | kDecimal | kCardByte;
  for (int c = 'a'; c <= 'f'; ++c) t[c] = kHexDigit;
  for (int c = 'A'; c <= 'F'; ++c) t[c] = kHexDigit;
  t[' '] = t['-'] = kCardByte;
  t[':'] = kColon;
  t['@'] = kAt;
  t['.'] = kDot;
  t['/'] = kSlash;
  return t;
}();

// Per byte: its classes in the low byte, the classes it is not in in the high one,
// so that one OR over a token says which classes some byte is in and which ones
// every byte is in.
constexpr std::array<uint16_t, 256> kClassBits = [] {
  std::array<uint16_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = static_cast<uint16_t>(kByteClasses[c] | (~kByteClasses[c] & 0xff) << 8);
  }
  return t;
}();

Shape ShapeOf(std::string_view token) {
  // Eight bytes a step, from one load (a plain byte loop gets "vectorized" by GCC
  // into byte shuffling through the stack that costs more than it saves).
  uint32_t bits = 0;
  size_t i = 0;
  for (; i + 8 <= token.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, token.data() + i, 8);
    for (int k = 0; k < 64; k += 8) bits |= kClassBits[(word >> k) & 0xff];
  }
  for (; i < token.size(); ++i) bits |= kClassBits[static_cast<unsigned char>(token[i])];
  const uint32_t any = bits & 0xff;
  const uint32_t all = ~bits >> 8 & 0xff;
  Shape shape;
  shape.all_hex = !token.empty() && (all & kHexDigit) != 0;
  shape.any_digit = (any & kDecimal) != 0;
  shape.digits_and_separators = (all & kCardByte) != 0;
  shape.has_dot = (any & kDot) != 0;
  shape.has_slash = (any & kSlash) != 0;
  if ((any & kAt) != 0) shape.at = token.find('@');
  if ((any & kColon) != 0) {
    for (char c : token) shape.colons += c == ':' ? 1 : 0;
    shape.has_scheme = token.find("://") != std::string_view::npos;
  }
  return shape;
}

// Extensions of files that malware and lures travel as. A token ending in one
// of these is a file-name candidate; when the ending is also a top-level domain
// (.zip, .mov, .py, .sh, ...) the token is ambiguous and we say so.
// ".com" is a file extension (MS-DOS executables) but a bare "x.com" is far more
// often a domain; it is treated as a domain only.
constexpr std::array<std::string_view, 57> kFileExtensions = {
    "exe", "dll",  "sys",  "scr",  "bat", "cmd",  "ps1", "psm1", "vbs", "vbe", "js",  "jse",
    "wsf", "hta",  "lnk",  "msi",  "msp", "jar",  "apk", "ipa",  "dmg", "pkg", "deb", "rpm",
    "elf", "so",   "bin",  "iso",  "img", "vhd",  "zip", "rar",  "7z",  "gz",  "tgz", "tar",
    "cab", "doc",  "docx", "docm", "xls", "xlsx", "xlsm", "ppt", "pptx", "pdf", "rtf", "one",
    "txt", "py",   "sh",   "pl",   "php", "asp",  "aspx", "jsp", "mov"};

// An extension of at most four bytes, and its length, as one number.
constexpr uint64_t Packed(std::string_view ext) {
  uint64_t packed = ext.size();
  for (char c : ext) packed = packed << 8 | static_cast<unsigned char>(c);
  return packed;
}

constexpr std::array<uint64_t, kFileExtensions.size()> kPackedFileExtensions = [] {
  std::array<uint64_t, kFileExtensions.size()> packed{};
  for (size_t i = 0; i < packed.size(); ++i) packed[i] = Packed(kFileExtensions[i]);
  std::sort(packed.begin(), packed.end());
  return packed;
}();

// `ext`: lower case.
bool IsFileExtension(std::string_view ext) {
  return ext.size() <= 4 && std::binary_search(kPackedFileExtensions.begin(),
                                               kPackedFileExtensions.end(), Packed(ext));
}

// The text after the last '.' (empty when there is none or it ends the token).
std::string_view ExtensionOf(std::string_view token) {
  size_t dot = token.rfind('.');
  if (dot == std::string_view::npos || dot + 1 >= token.size()) return {};
  return token.substr(dot + 1);
}

// A short extension in lower case, in `buffer`; longer ones are no file extension.
std::string_view LowerShortExtension(std::string_view ext, std::array<char, 4>* buffer) {
  if (ext.size() > buffer->size()) return {};
  for (size_t i = 0; i < ext.size(); ++i) (*buffer)[i] = Lower(ext[i]);
  return std::string_view(buffer->data(), ext.size());
}

std::string LowerExtension(std::string_view token) {
  std::string ext(ExtensionOf(token));
  for (char& c : ext) c = Lower(c);
  return ext;
}

// Profile URLs of the platforms social.cc knows name one of these hosts (looked
// for in the first 64 bytes, any case).
bool MentionsSocialPlatform(std::string_view token) {
  // Every host has a '.', at `dot` bytes in: each is looked for only around the
  // dots of the text, of which a URL has few.
  struct Host {
    std::string_view name;
    size_t dot;
  };
  static constexpr Host kHosts[] = {
      {"twitter.", 7},  {"x.com", 1},     {"t.me", 1},    {"telegram.", 8}, {"instagram.", 9},
      {"facebook.", 8}, {"fb.com", 2},    {"github.", 6}, {"tiktok.", 6},   {"youtube.", 7},
      {"youtu.be", 5},  {"linkedin.", 8}, {"reddit.", 6}};
  char buffer[64];
  const size_t n = std::min(token.size(), sizeof buffer);
  for (size_t i = 0; i < n; ++i) buffer[i] = Lower(token[i]);
  const std::string_view lower(buffer, n);
  if (lower.find('@') != std::string_view::npos) return true;
  for (size_t dot = lower.find('.'); dot != std::string_view::npos;
       dot = lower.find('.', dot + 1)) {
    for (const Host& host : kHosts) {
      if (dot >= host.dot && lower[dot - host.dot] == host.name[0] &&
          lower.substr(dot - host.dot, host.name.size()) == host.name) {
        return true;
      }
    }
  }
  return false;
}

// The canonicalizer for `kind` on text that is already refanged and trimmed.
core::Result<Observable> CanonicalAs(Kind kind, std::string_view text,
                                     const NormalizeOptions& options) {
  switch (kind) {
    case Kind::kIpv4: return CanonicalIpv4(text);
    case Kind::kIpv6: return CanonicalIpv6(text);
    case Kind::kIpv4Network:
    case Kind::kIpv6Network: {
      auto result = CanonicalCidr(text);
      if (!result.ok()) return result;
      bool v6 = result->kind == Kind::kIpv6 || result->kind == Kind::kIpv6Network;
      bool want_v6 = kind == Kind::kIpv6Network;
      if (v6 != want_v6) return NotA(kind, want_v6 ? "an IPv4 network" : "an IPv6 network");
      return result;
    }
    case Kind::kDomain: return CanonicalDomain(text);
    case Kind::kUrl: {
      UrlOptions url_options;
      url_options.assume_http_without_scheme = options.assume_http_without_scheme;
      return CanonicalUrl(text, url_options);
    }
    case Kind::kEmail: return CanonicalEmail(text);
    case Kind::kMd5:
    case Kind::kSha1:
    case Kind::kSha256:
    case Kind::kSha512:
    case Kind::kSsdeep:
    case Kind::kTlsh: return CanonicalHashAs(kind, text);
    case Kind::kAsn: return CanonicalAsn(text);
    case Kind::kCve: return CanonicalCve(text);
    case Kind::kMac: return CanonicalMac(text);
    case Kind::kFileName: return CanonicalFileName(text);
    case Kind::kBitcoinAddress: return CanonicalBitcoinAddress(text);
    case Kind::kEthereumAddress: return CanonicalEthereumAddress(text);
    case Kind::kMoneroAddress: return CanonicalMoneroAddress(text);
    case Kind::kIban: return CanonicalIban(text);
    case Kind::kPhoneNumber: return CanonicalPhoneNumber(text);
    case Kind::kPaymentCard: return CanonicalPaymentCard(text, options.payment_card_key);
    case Kind::kSocialAccount: return CanonicalSocialAccount(text);
  }
  return NotA(kind, "unknown kind");
}

// CanonicalAs into `*out`, reusing its storage where the kind's canonicalizer can.
// On refusal returns false and, when `error` is set, writes the message the
// Result would carry into it (the message costs only when it is asked for).
bool CanonicalizeAs(Kind kind, std::string_view text, const NormalizeOptions& options,
                    Observable* out, std::string* error) {
  thread_local std::string reason;  // NotA's reason, for the kinds written in place
  bool ok = false;
  switch (kind) {
    case Kind::kIpv4: ok = detail::CanonicalizeIpv4(text, out, &reason); break;
    case Kind::kIpv6: ok = detail::CanonicalizeIpv6(text, out, &reason); break;
    case Kind::kDomain: ok = detail::CanonicalizeDomain(text, DomainOptions{}, out, &reason); break;
    case Kind::kUrl: {
      UrlOptions url_options;
      url_options.assume_http_without_scheme = options.assume_http_without_scheme;
      ok = detail::CanonicalizeUrl(text, url_options, out, &reason);
      break;
    }
    case Kind::kEmail: ok = detail::CanonicalizeEmail(text, out, &reason); break;
    case Kind::kMd5:
    case Kind::kSha1:
    case Kind::kSha256:
    case Kind::kSha512:
    case Kind::kSsdeep:
    case Kind::kTlsh: ok = detail::CanonicalizeHashAs(kind, text, out, &reason); break;
    case Kind::kAsn: ok = detail::CanonicalizeAsn(text, false, out, &reason); break;
    case Kind::kCve: ok = detail::CanonicalizeCve(text, out, &reason); break;
    case Kind::kMac: ok = detail::CanonicalizeMac(text, out, &reason); break;
    default: {
      auto result = CanonicalAs(kind, text, options);
      if (!result.ok()) {
        if (error != nullptr) error->assign(result.error().message);
        return false;
      }
      *out = std::move(*result);
      return true;
    }
  }
  if (!ok && error != nullptr) detail::NotAMessage(kind, reason, error);
  return ok;
}

constexpr size_t kKindCount = static_cast<size_t>(Kind::kSocialAccount) + 1;

}  // namespace

namespace detail {

// Classification's state, kept from token to token so that the candidates'
// observables reuse their storage: one per kind a candidate is tried as. Decide
// fills it for one token; the accessors read the outcome until the next Decide.
class NormalizeWorkspace {
 public:
  // Classifies the token and canonicalizes it as every candidate kind.
  void Decide(std::string_view raw, const NormalizeOptions& options) {
    for (size_t i = 0; i < attempt_count_; ++i) tried_[Index(attempts_[i])] = false;
    attempt_count_ = 0;
    match_count_ = 0;
    first_error_.clear();
    reason_.clear();

    std::string_view token = detail::TrimAsciiSpace(raw);
    if (options.refang && detail::RefangIfDefanged(token, &refanged_)) {
      token = detail::TrimAsciiSpace(refanged_);
    }
    if (token.empty()) {
      reason_ = "empty";
      return;
    }
    Candidates(token, options);
    // The accepted candidates, one per kind of result (CIDR can be tried as both
    // families).
    for (size_t i = 0; i < attempt_count_; ++i) {
      if (!accepted_[i]) continue;
      const Kind kind = ResultOf(i).kind;
      bool duplicate_kind = false;
      for (size_t m = 0; m < match_count_; ++m) {
        duplicate_kind = duplicate_kind || ResultOf(matches_[m]).kind == kind;
      }
      if (!duplicate_kind) matches_[match_count_++] = i;
    }
    // "00-56-49-34-50-56" in the MAC pattern also dials as an international number;
    // nobody writes phone numbers in pairs like that.
    if (match_count_ == 2 && ResultOf(matches_[0]).kind == Kind::kPhoneNumber &&
        ResultOf(matches_[1]).kind == Kind::kMac) {
      matches_[0] = matches_[1];
      match_count_ = 1;
      ResultOf(matches_[0]).notes.emplace_back(
          "also readable as a phone number; read as a MAC address");
    }
    if (match_count_ == 1) return;
    if (match_count_ == 0) {
      reason_ = first_error_.empty() ? "not an observable of any kind Tessera knows" : first_error_;
      return;
    }
    std::string names;
    for (size_t m = 0; m < match_count_; ++m) {
      if (!names.empty()) names += ", ";
      names += KindName(ResultOf(matches_[m]).kind);
    }
    reason_.assign("ambiguous: valid as ").append(names);
    const std::string ext = LowerExtension(token);
    if (IsFileExtension(ext)) {
      reason_.append(" (.").append(ext).append(" is both a file extension and a top-level domain)");
    }
  }

  // The one kind the token is, or nullptr (ambiguous, or none: see reason()).
  normalize::Observable* Found() { return match_count_ == 1 ? &ResultOf(matches_[0]) : nullptr; }
  // Why the token is not exactly one kind.
  const std::string& reason() const { return reason_; }
  Classification MakeClassification() const {
    Classification c;
    for (size_t m = 0; m < match_count_; ++m) c.kinds.push_back(ResultOf(matches_[m]).kind);
    if (match_count_ != 1) c.reason = reason_;
    return c;
  }

 private:
  static size_t Index(Kind kind) { return static_cast<size_t>(kind); }
  normalize::Observable& ResultOf(size_t attempt) { return results_[Index(attempts_[attempt])]; }
  const normalize::Observable& ResultOf(size_t attempt) const {
    return results_[Index(attempts_[attempt])];
  }

  void Attempt(Kind kind, std::string_view token, const NormalizeOptions& options) {
    // A kind tried twice on one token gives the same outcome twice: the second
    // changes neither the matches (same kind) nor the first error.
    if (tried_[Index(kind)]) return;
    tried_[Index(kind)] = true;
    accepted_[attempt_count_] = CanonicalizeAs(kind, token, options, &results_[Index(kind)],
                                               first_error_.empty() ? &first_error_ : nullptr);
    attempts_[attempt_count_++] = kind;
  }

  // Runs the canonicalizers whose cheap shape test the token passes. The order
  // only matters for the error reported when nothing matches.
  void Candidates(std::string_view token, const NormalizeOptions& options);

  std::array<normalize::Observable, kKindCount> results_;  // by kind tried
  std::array<bool, kKindCount> tried_{};
  std::array<Kind, kKindCount> attempts_{};  // in the order they were made
  std::array<bool, kKindCount> accepted_{};  // by attempt
  size_t attempt_count_ = 0;
  std::array<size_t, kKindCount> matches_{};  // the accepted attempts, one per kind
  size_t match_count_ = 0;
  std::string first_error_;  // the message of the first refused candidate
  std::string reason_;
  std::string refanged_;
};

void NormalizeWorkspace::Candidates(std::string_view token, const NormalizeOptions& options) {
  auto attempt = [&](Kind kind) { Attempt(kind, token, options); };
  const Shape shape = ShapeOf(token);
  const bool has_colon = shape.colons > 0;

  if (shape.has_scheme) {
    attempt(Kind::kUrl);
    if (MentionsSocialPlatform(token)) attempt(Kind::kSocialAccount);
    return;
  }
  if (StartsWithNoCase(token, "mailto:")) {
    attempt(Kind::kEmail);
    return;
  }
  // "CVE-2021-44228" (or with a wrong separator the CVE reason names), not
  // "cve1uv.example.co.uk".
  if (StartsWithNoCase(token, "cve") && token.size() > 3 && !IsAlnum(token[3]) &&
      token[3] != '.') {
    attempt(Kind::kCve);
    return;
  }
  if (StartsWithNoCase(token, "as")) attempt(Kind::kAsn);
  if (shape.at != std::string_view::npos) {
    if (shape.at == 0) {
      attempt(Kind::kSocialAccount);  // mastodon "@user@instance"
    } else {
      attempt(Kind::kEmail);
    }
    return;
  }
  if (shape.has_slash) {
    attempt(Kind::kIpv4Network);
    if (has_colon) attempt(Kind::kIpv6Network);
    attempt(Kind::kSocialAccount);  // "twitter.com/handle"
    if (shape.has_dot) attempt(Kind::kUrl);
    return;
  }
  if (has_colon) {
    attempt(Kind::kIpv6);
    attempt(Kind::kMac);
    attempt(Kind::kSocialAccount);  // "twitter:handle"
    if (shape.colons > 1) attempt(Kind::kSsdeep);
  }
  if (token.front() == '+' || StartsWithNoCase(token, "00") || StartsWithNoCase(token, "tel:")) {
    attempt(Kind::kPhoneNumber);
  }
  if (shape.all_hex) {
    switch (token.size()) {
      case 32: attempt(Kind::kMd5); break;
      case 40: attempt(Kind::kSha1); break;
      case 64: attempt(Kind::kSha256); break;
      case 128: attempt(Kind::kSha512); break;
      case 70: attempt(Kind::kTlsh); break;
      case 12: attempt(Kind::kMac); break;
      default: break;
    }
  }
  if (StartsWithNoCase(token, "t1") && token.size() == 72) attempt(Kind::kTlsh);
  if (StartsWithNoCase(token, "0x")) attempt(Kind::kEthereumAddress);
  if (!shape.has_dot && token.size() >= 25 && token.size() <= 90 &&
      std::string_view("13bBtTmn2").find(token[0]) != std::string_view::npos) {
    attempt(Kind::kBitcoinAddress);
  }
  if (!shape.has_dot && (token.size() == 95 || token.size() == 106)) {
    attempt(Kind::kMoneroAddress);
  }
  if (!shape.has_dot && token.size() >= 15 && IsAlpha(token[0]) && IsAlpha(token[1]) &&
      IsDigit(token[2])) {
    attempt(Kind::kIban);
  }
  if (shape.digits_and_separators && shape.any_digit) attempt(Kind::kPaymentCard);
  if (shape.has_dot && !has_colon) {
    if (IsDigit(token[0])) attempt(Kind::kIpv4);
    // A token is a domain candidate only when it ends in a real top-level domain,
    // so "report.pdf" is a file name, while "example.py" is both.
    const std::string_view ext = ExtensionOf(token);
    if (ext.empty() || IsKnownTopLevelDomain(ext)) attempt(Kind::kDomain);
    std::array<char, 4> buffer;
    if (IsFileExtension(LowerShortExtension(ext, &buffer))) attempt(Kind::kFileName);
  }
  // Cisco "0012.3456.789a" and hyphenated "00-12-34-56-78-9a" forms.
  if ((token.size() == 14 && shape.has_dot) ||
      (token.size() == 17 && !shape.has_dot && !has_colon)) {
    attempt(Kind::kMac);
  }
}

}  // namespace detail

TokenNormalizer::TokenNormalizer(NormalizeOptions options)
    : options_(std::move(options)), workspace_(std::make_unique<detail::NormalizeWorkspace>()) {}

TokenNormalizer::~TokenNormalizer() = default;

const Observable* TokenNormalizer::Normalize(std::string_view token) {
  workspace_->Decide(token, options_);
  return workspace_->Found();
}

const std::string& TokenNormalizer::error() const { return workspace_->reason(); }

namespace {

detail::NormalizeWorkspace& ThreadWorkspace() {
  thread_local detail::NormalizeWorkspace workspace;
  return workspace;
}

}  // namespace

core::Result<Observable> NormalizeAs(Kind kind, std::string_view token,
                                     const NormalizeOptions& options) {
  std::string refanged;
  std::string_view text = detail::TrimAsciiSpace(token);
  if (options.refang && LooksDefanged(text)) {
    refanged = Refang(text);
    text = detail::TrimAsciiSpace(refanged);
  }
  return CanonicalAs(kind, text, options);
}

bool NormalizeAsInto(Kind kind, std::string_view token, const NormalizeOptions& options,
                     Observable* out, std::string* error) {
  thread_local std::string refanged;
  std::string_view text = detail::TrimAsciiSpace(token);
  if (options.refang && detail::RefangIfDefanged(text, &refanged)) {
    text = detail::TrimAsciiSpace(refanged);
  }
  return CanonicalizeAs(kind, text, options, out, error);
}

Classification Classify(std::string_view token, const NormalizeOptions& options) {
  // Classification must not depend on having a card key: a card number is a
  // card number whether or not we may store it.
  NormalizeOptions probe = options;
  if (probe.payment_card_key.empty()) probe.payment_card_key = "classification-only";
  detail::NormalizeWorkspace& workspace = ThreadWorkspace();
  workspace.Decide(token, probe);
  return workspace.MakeClassification();
}

core::Result<Observable> Normalize(std::string_view token, const NormalizeOptions& options) {
  detail::NormalizeWorkspace& workspace = ThreadWorkspace();
  workspace.Decide(token, options);
  if (Observable* o = workspace.Found()) return std::move(*o);
  return core::MakeError(core::ErrorCode::kValidation, workspace.reason());
}

}  // namespace tessera::normalize
