#include "normalize/classify.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_set>

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

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

bool AllHex(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
  });
}

bool AllDigitsOrSeparators(std::string_view s) {
  bool any_digit = false;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      any_digit = true;
    } else if (c != ' ' && c != '-') {
      return false;
    }
  }
  return any_digit;
}

// Extensions of files that malware and lures travel as. A token ending in one
// of these is a file-name candidate; when the ending is also a top-level domain
// (.zip, .mov, .py, .sh, ...) the token is ambiguous and we say so.
// ".com" is a file extension (MS-DOS executables) but a bare "x.com" is far more
// often a domain; it is treated as a domain only.
bool IsFileExtension(std::string_view ext) {
  static const std::unordered_set<std::string_view> kFileExtensions = {
      "exe", "dll",  "sys",  "scr",  "bat", "cmd",  "ps1", "psm1", "vbs", "vbe", "js",  "jse",
      "wsf", "hta",  "lnk",  "msi",  "msp", "jar",  "apk", "ipa",  "dmg", "pkg", "deb", "rpm",
      "elf", "so",   "bin",  "iso",  "img", "vhd",  "zip", "rar",  "7z",  "gz",  "tgz", "tar",
      "cab", "doc",  "docx", "docm", "xls", "xlsx", "xlsm", "ppt", "pptx", "pdf", "rtf", "one",
      "txt", "py",   "sh",   "pl",   "php", "asp",  "aspx", "jsp", "mov"};
  return ext.size() <= 4 && kFileExtensions.count(ext) != 0;
}

std::string LowerExtension(std::string_view token) {
  size_t dot = token.rfind('.');
  if (dot == std::string_view::npos || dot + 1 >= token.size()) return {};
  std::string ext(token.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

core::Result<Observable> CanonicalAs(Kind kind, std::string_view text,
                                     const NormalizeOptions& options);

// Profile URLs of the platforms social.cc knows name one of these hosts.
bool MentionsSocialPlatform(std::string_view token) {
  static constexpr std::string_view kHosts[] = {
      "twitter.", "x.com", "t.me", "telegram.", "instagram.", "facebook.", "fb.com",
      "github.", "tiktok.", "youtube.", "youtu.be", "linkedin.", "reddit.", "@"};
  std::string lower(token.substr(0, 64));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view host : kHosts) {
    if (lower.find(host) != std::string::npos) return true;
  }
  return false;
}

struct Candidate {
  Kind kind;
  core::Result<Observable> result;
};

// Runs the canonicalizers whose cheap shape test the token passes. The order
// only matters for the error reported when nothing matches.
// Appends to `out` (cleared by the caller; reused across calls to save allocations).
void Candidates(std::string_view token, const NormalizeOptions& options,
                std::vector<Candidate>* candidates) {
  std::vector<Candidate>& out = *candidates;
  auto attempt = [&](Kind kind) { out.push_back({kind, CanonicalAs(kind, token, options)}); };
  const bool has_scheme = token.find("://") != std::string_view::npos;
  const size_t at = token.find('@');
  const bool has_colon = token.find(':') != std::string_view::npos;
  const bool has_dot = token.find('.') != std::string_view::npos;
  const bool has_slash = token.find('/') != std::string_view::npos;

  if (has_scheme) {
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
  if (StartsWithNoCase(token, "cve") && token.size() > 3 &&
      !std::isalnum(static_cast<unsigned char>(token[3])) && token[3] != '.') {
    attempt(Kind::kCve);
    return;
  }
  if (StartsWithNoCase(token, "as")) attempt(Kind::kAsn);
  if (at != std::string_view::npos) {
    if (at == 0) {
      attempt(Kind::kSocialAccount);  // mastodon "@user@instance"
    } else {
      attempt(Kind::kEmail);
    }
    return;
  }
  if (has_slash) {
    attempt(Kind::kIpv4Network);
    if (has_colon) attempt(Kind::kIpv6Network);
    attempt(Kind::kSocialAccount);  // "twitter.com/handle"
    if (has_dot) attempt(Kind::kUrl);
    return;
  }
  if (has_colon) {
    attempt(Kind::kIpv6);
    attempt(Kind::kMac);
    attempt(Kind::kSocialAccount);  // "twitter:handle"
    if (token.find(':') != token.rfind(':')) attempt(Kind::kSsdeep);
  }
  if (token.front() == '+' || StartsWithNoCase(token, "00") || StartsWithNoCase(token, "tel:")) {
    attempt(Kind::kPhoneNumber);
  }
  if (AllHex(token)) {
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
  if (!has_dot && token.size() >= 25 && token.size() <= 90 &&
      std::string_view("13bBtTmn2").find(token[0]) != std::string_view::npos) {
    attempt(Kind::kBitcoinAddress);
  }
  if (!has_dot && (token.size() == 95 || token.size() == 106)) attempt(Kind::kMoneroAddress);
  if (!has_dot && token.size() >= 15 && std::isalpha(static_cast<unsigned char>(token[0])) &&
      std::isalpha(static_cast<unsigned char>(token[1])) &&
      std::isdigit(static_cast<unsigned char>(token[2]))) {
    attempt(Kind::kIban);
  }
  if (AllDigitsOrSeparators(token)) attempt(Kind::kPaymentCard);
  if (has_dot && !has_colon) {
    if (std::isdigit(static_cast<unsigned char>(token[0]))) attempt(Kind::kIpv4);
    // A token is a domain candidate only when it ends in a real top-level domain,
    // so "report.pdf" is a file name, while "example.py" is both.
    std::string ext = LowerExtension(token);
    if (ext.empty() || IsKnownTopLevelDomain(ext)) attempt(Kind::kDomain);
    if (IsFileExtension(ext)) attempt(Kind::kFileName);
  }
  // Cisco "0012.3456.789a" and hyphenated "00-12-34-56-78-9a" forms.
  if ((token.size() == 14 && has_dot) || (token.size() == 17 && !has_dot && !has_colon)) {
    attempt(Kind::kMac);
  }
  return;
}

struct Decision {
  Classification classification;
  std::optional<Observable> observable;  // set when exactly one kind matched
  std::string first_error;
};

Decision Decide(std::string_view raw, const NormalizeOptions& options) {
  Decision d;
  std::string refanged;
  std::string_view token = detail::TrimAsciiSpace(raw);
  if (options.refang && LooksDefanged(token)) {
    refanged = Refang(token);
    token = detail::TrimAsciiSpace(refanged);
  }
  if (token.empty()) {
    d.classification.reason = "empty";
    return d;
  }
  thread_local std::vector<Candidate> candidates;
  candidates.clear();
  Candidates(token, options, &candidates);
  // The accepted candidates, one per kind (CIDR can be tried as both families).
  std::vector<size_t> matches;
  matches.reserve(4);
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    if (!c.result.ok()) {
      if (d.first_error.empty()) d.first_error = c.result.error().message;
      continue;
    }
    bool duplicate_kind = std::any_of(matches.begin(), matches.end(), [&](size_t m) {
      return candidates[m].result->kind == c.result->kind;
    });
    if (!duplicate_kind) matches.push_back(i);
  }
  auto kind_of = [&](size_t m) { return candidates[m].result->kind; };
  // "00-56-49-34-50-56" in the MAC pattern also dials as an international number;
  // nobody writes phone numbers in pairs like that.
  if (matches.size() == 2 && kind_of(matches[0]) == Kind::kPhoneNumber &&
      kind_of(matches[1]) == Kind::kMac) {
    matches.erase(matches.begin());
    candidates[matches[0]].result->notes.emplace_back(
        "also readable as a phone number; read as a MAC address");
  }
  for (size_t m : matches) d.classification.kinds.push_back(kind_of(m));
  if (matches.size() == 1) {
    d.observable = std::move(candidates[matches[0]].result).value();
  } else if (matches.empty()) {
    d.classification.reason = d.first_error.empty()
                                  ? "not an observable of any kind Tessera knows"
                                  : d.first_error;
  } else {
    std::string names;
    for (size_t m : matches) {
      if (!names.empty()) names += ", ";
      names += KindName(kind_of(m));
    }
    d.classification.reason = "ambiguous: valid as " + names;
    if (IsFileExtension(LowerExtension(token))) {
      d.classification.reason += " (." + LowerExtension(token) +
                                 " is both a file extension and a top-level domain)";
    }
  }
  return d;
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

Classification Classify(std::string_view token, const NormalizeOptions& options) {
  // Classification must not depend on having a card key: a card number is a
  // card number whether or not we may store it.
  NormalizeOptions probe = options;
  if (probe.payment_card_key.empty()) probe.payment_card_key = "classification-only";
  return Decide(token, probe).classification;
}

core::Result<Observable> Normalize(std::string_view token, const NormalizeOptions& options) {
  Decision d = Decide(token, options);
  if (d.observable) return std::move(*d.observable);
  return core::MakeError(core::ErrorCode::kValidation, d.classification.reason);
}

}  // namespace tessera::normalize
