#include "normalize/url.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <array>
#include <cstring>
#include <string>

#include "normalize/domain.h"

namespace tessera::normalize {
namespace {

// WHATWG URL "special" schemes: '\' reads as '/', an empty path is "/".
struct SchemeRule {
  std::string_view name;
  int default_port;  // -1: none
};
constexpr std::array<SchemeRule, 6> kSpecialSchemes = {{
    {"http", 80},
    {"https", 443},
    {"ws", 80},
    {"wss", 443},
    {"ftp", 21},
    {"file", -1},
}};

// Schemes people write to make a URL unclickable. Refang's job, not ours.
constexpr std::array<std::string_view, 16> kDefangedSchemes = {
    "hxxp",  "hxxps", "hxp",   "hxps",   "hxtp", "hxtps", "htxp", "htxps",
    "hxxxp", "hzzp",  "hzzps", "hxxxps", "fxp",  "fxps",  "fxxp", "sfxp",
};

enum class Component { kUserinfo, kPath, kQuery, kFragment };

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 §2.3.
bool IsUnreserved(unsigned char c) {
  return IsAlpha(static_cast<char>(c)) || IsDigit(static_cast<char>(c)) || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

// Bytes no URI may hold unencoded (RFC 3986 §2, §3): controls, space, non-ASCII,
// and the characters outside reserved and unreserved.
bool MustEncode(unsigned char c, Component component) {
  if (c <= 0x20 || c >= 0x7f) return true;
  switch (c) {
    case '"':
    case '<':
    case '>':
    case '\\':
    case '^':
    case '`':
    case '{':
    case '|':
    case '}':
      return true;
    case '@':
      return component == Component::kUserinfo;
    case '#':
      return component == Component::kFragment;
    default:
      return false;
  }
}

void AppendEscaped(unsigned char c, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out->push_back('%');
  out->push_back(kHex[c >> 4]);
  out->push_back(kHex[c & 0xf]);
}

// RFC 3986 §6.2.2.1-2: escapes upper-cased, unreserved characters decoded, bytes
// that must be escaped escaped as they are (UTF-8 for non-ASCII text). A '%' not
// starting an escape becomes "%25", which keeps the result a fixed point.
void NormalizePercent(std::string_view in, Component component, std::string* out,
                      bool* stray_percent) {
  for (size_t i = 0; i < in.size(); ++i) {
    auto c = static_cast<unsigned char>(in[i]);
    if (c == '%') {
      int hi = i + 2 < in.size() ? HexValue(in[i + 1]) : -1;
      int lo = hi >= 0 ? HexValue(in[i + 2]) : -1;
      if (lo < 0) {
        out->append("%25");
        *stray_percent = true;
        continue;
      }
      auto decoded = static_cast<unsigned char>(hi * 16 + lo);
      if (IsUnreserved(decoded)) {
        out->push_back(static_cast<char>(decoded));
      } else {
        AppendEscaped(decoded, out);
      }
      i += 2;
    } else if (MustEncode(c, component)) {
      AppendEscaped(c, out);
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
}

void PopLastSegment(std::string* out) {
  size_t slash = out->rfind('/');
  out->resize(slash == std::string::npos ? 0 : slash);
}

// RFC 3986 §5.2.4.
std::string RemoveDotSegments(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.remove_prefix(3);
    } else if (in.starts_with("./")) {
      in.remove_prefix(2);
    } else if (in.starts_with("/./")) {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../")) {
      in.remove_prefix(3);
      PopLastSegment(&out);
    } else if (in == "/..") {
      in = "/";
      PopLastSegment(&out);
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      size_t end = in.find('/', 1);
      if (end == std::string_view::npos) end = in.size();
      out.append(in.substr(0, end));
      in.remove_prefix(end);
    }
  }
  return out;
}

const SchemeRule* FindSpecial(std::string_view scheme) {
  for (const SchemeRule& rule : kSpecialSchemes) {
    if (rule.name == scheme) return &rule;
  }
  return nullptr;
}

bool IsDefanged(std::string_view scheme) {
  for (std::string_view d : kDefangedSchemes) {
    if (d == scheme) return true;
  }
  return false;
}

bool IsSlash(char c, bool special) { return c == '/' || (special && c == '\\'); }

core::Error Refuse(std::string reason) { return NotA(Kind::kUrl, std::move(reason)); }

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

}  // namespace

namespace detail {

bool CanonicalDottedQuad(std::string_view text, std::string* out) {
  int parts = 0;
  size_t i = 0;
  while (true) {
    size_t start = i;
    int value = 0;
    while (i < text.size() && IsDigit(text[i]) && i - start < 4) {
      value = value * 10 + (text[i] - '0');
      ++i;
    }
    size_t len = i - start;
    if (len == 0 || len > 3 || value > 255 || (len > 1 && text[start] == '0')) return false;
    ++parts;
    if (i == text.size()) break;
    if (text[i] != '.' || parts == 4) return false;
    ++i;
  }
  if (parts != 4) return false;
  out->assign(text);
  return true;
}

bool CanonicalIpv6Literal(std::string_view text, std::string* out) {
  char buf[INET6_ADDRSTRLEN];
  if (text.empty() || text.size() >= sizeof buf) return false;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  in6_addr addr;
  if (inet_pton(AF_INET6, buf, &addr) != 1) return false;
  // glibc's inet_ntop writes RFC 5952 §4: lower case, no leading zeros, the
  // longest run of two or more zero groups as "::", IPv4-mapped with a dotted tail.
  if (inet_ntop(AF_INET6, &addr, buf, sizeof buf) == nullptr) return false;
  out->assign(buf);
  return true;
}

}  // namespace detail

core::Result<Observable> CanonicalUrl(std::string_view text, const UrlOptions& options) {
  Observable out;
  out.kind = Kind::kUrl;
  std::string_view s = detail::TrimAsciiSpace(text);
  if (s.empty()) return Refuse("empty");

  // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
  std::string scheme;
  std::string_view rest;
  size_t i = 0;
  if (IsAlpha(s[0])) {
    i = 1;
    while (i < s.size() &&
           (IsAlpha(s[i]) || IsDigit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) {
      ++i;
    }
  }
  bool has_scheme = false;
  if (i > 0 && i < s.size() && s[i] == ':') {
    std::string_view after = s.substr(i + 1);
    size_t digits = 0;
    while (digits < after.size() && IsDigit(after[digits])) ++digits;
    bool host_port = digits > 0 && (digits == after.size() || after[digits] == '/' ||
                                    after[digits] == '?' || after[digits] == '#');
    if (!host_port) {
      has_scheme = true;
      scheme.assign(s.substr(0, i));
      for (char& c : scheme) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      if (IsDefanged(scheme)) {
        return Refuse("'" + scheme + "' is a defanged scheme; refang the text first");
      }
      bool special = FindSpecial(scheme) != nullptr;
      if (after.size() < 2 || !IsSlash(after[0], special) || !IsSlash(after[1], special)) {
        if (special) return Refuse("no \"//\" after '" + scheme + ":'");
        return Refuse("'" + scheme +
                      ":' has no authority (\"//host\"); only URLs naming a host are URL "
                      "indicators");
      }
      if (after[0] == '\\' || after[1] == '\\') {
        out.notes.emplace_back("backslash read as '/' (as browsers do)");
      }
      rest = after.substr(2);
    }
  }
  if (!has_scheme) {
    if (!options.assume_http_without_scheme) return Refuse("no scheme (such as \"http://\")");
    scheme = "http";
    rest = s.starts_with("//") ? s.substr(2) : s;
    out.notes.emplace_back("no scheme; http:// assumed");
  }
  const SchemeRule* rule = FindSpecial(scheme);
  bool special = rule != nullptr;

  // RFC 3986 §3.2: authority = [ userinfo "@" ] host [ ":" port ]
  size_t authority_end = 0;
  while (authority_end < rest.size()) {
    char c = rest[authority_end];
    if (c == '/' || c == '?' || c == '#' || (special && c == '\\')) break;
    ++authority_end;
  }
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail = rest.substr(authority_end);

  bool stray_percent = false;
  std::string userinfo;
  std::string_view host_port = authority;
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    if (at == 0) {
      out.notes.emplace_back("empty user information removed");
    } else {
      NormalizePercent(authority.substr(0, at), Component::kUserinfo, &userinfo, &stray_percent);
      out.notes.emplace_back("contains credentials (user information kept)");
    }
    host_port = authority.substr(at + 1);
  }

  std::string_view host_text;
  std::string_view port_text;
  bool has_port = false;
  bool bracketed = false;
  if (!host_port.empty() && host_port[0] == '[') {
    size_t close = host_port.find(']');
    if (close == std::string_view::npos) return Refuse("unclosed '[' in the host");
    host_text = host_port.substr(1, close - 1);
    bracketed = true;
    std::string_view after = host_port.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return Refuse("characters after the ']' of the host");
      port_text = after.substr(1);
      has_port = true;
    }
  } else {
    size_t colon = host_port.rfind(':');
    host_text = host_port.substr(0, colon);
    if (colon != std::string_view::npos) {
      port_text = host_port.substr(colon + 1);
      has_port = true;
      if (host_text.find(':') != std::string_view::npos) {
        return Refuse("a ':' in the host (an IPv6 address goes in brackets: \"[2001:db8::1]\")");
      }
    }
  }

  // Host: a domain name (A-labels), a dotted-quad IPv4, or a bracketed IPv6.
  std::string host;
  std::string host_field;
  std::string registrable;
  if (bracketed) {
    if (host_text.empty()) return Refuse("empty IPv6 literal \"[]\"");
    if (host_text[0] == 'v' || host_text[0] == 'V') {
      return Refuse("IPvFuture host literals are not supported");
    }
    if (host_text.find('%') != std::string_view::npos) {
      return Refuse("an IPv6 zone identifier ('%') names no host outside one machine");
    }
    if (!detail::CanonicalIpv6Literal(host_text, &host_field)) {
      return Refuse("'[" + std::string(host_text) + "]' is not an IPv6 address");
    }
    host = "[" + host_field + "]";
  } else if (host_text.empty()) {
    if (scheme != "file") return Refuse("no host");
  } else {
    std::string decoded;
    if (host_text.find('%') != std::string_view::npos) {
      for (size_t k = 0; k < host_text.size(); ++k) {
        if (host_text[k] != '%') {
          decoded.push_back(host_text[k]);
          continue;
        }
        int hi = k + 2 < host_text.size() ? HexValue(host_text[k + 1]) : -1;
        int lo = hi >= 0 ? HexValue(host_text[k + 2]) : -1;
        if (lo < 0) return Refuse("a '%' in the host that is not a %XX escape");
        decoded.push_back(static_cast<char>(hi * 16 + lo));
        k += 2;
      }
      out.notes.emplace_back("percent-encoding in the host decoded");
      host_text = decoded;
    }
    size_t last_dot = host_text.rfind('.');
    std::string_view last_label =
        last_dot == std::string_view::npos ? host_text : host_text.substr(last_dot + 1);
    if (AllDigits(last_label)) {
      if (!detail::CanonicalDottedQuad(host_text, &host_field)) {
        return Refuse("numeric host '" + std::string(host_text) +
                      "' is not a dotted-quad IPv4 address");
      }
      host = host_field;
    } else {
      DomainOptions domain_options;
      domain_options.allow_wildcard = false;
      domain_options.allow_single_label = scheme == "file";
      Observable domain;
      std::string reason;
      if (!detail::CanonicalizeDomain(host_text, domain_options, &domain, &reason)) {
        return Refuse("host: " + reason);
      }
      host = domain.value;
      host_field = domain.value;
      if (const std::string* r = domain.Field("registrable_domain")) registrable = *r;
      for (std::string& note : domain.notes) out.notes.push_back("host: " + note);
    }
  }

  // RFC 3986 §6.2.3: an empty port or the scheme's default port is removed.
  std::string port;
  if (has_port) {
    if (port_text.empty()) {
      out.notes.emplace_back("empty port removed");
    } else {
      if (!AllDigits(port_text))
        return Refuse("port '" + std::string(port_text) + "' is not a number");
      while (port_text.size() > 1 && port_text[0] == '0') port_text.remove_prefix(1);
      int value = 0;
      if (port_text.size() > 5) return Refuse("port out of range (0-65535)");
      for (char c : port_text) value = value * 10 + (c - '0');
      if (value > 65535) return Refuse("port out of range (0-65535)");
      if (rule != nullptr && value == rule->default_port) {
        out.notes.push_back("default port :" + std::to_string(value) + " removed");
      } else {
        port = std::to_string(value);
      }
    }
  }

  size_t path_end = tail.find_first_of("?#");
  std::string_view raw_path = tail.substr(0, path_end);
  std::string_view raw_query;
  std::string_view raw_fragment;
  bool has_query = false;
  bool has_fragment = false;
  if (path_end != std::string_view::npos) {
    std::string_view after = tail.substr(path_end);
    if (after[0] == '?') {
      size_t hash = after.find('#');
      raw_query = after.substr(1, hash == std::string_view::npos ? hash : hash - 1);
      has_query = true;
      if (hash != std::string_view::npos) {
        raw_fragment = after.substr(hash + 1);
        has_fragment = true;
      }
    } else {
      raw_fragment = after.substr(1);
      has_fragment = true;
    }
  }

  std::string path_buf;
  if (special && raw_path.find('\\') != std::string_view::npos) {
    path_buf.assign(raw_path);
    for (char& c : path_buf) {
      if (c == '\\') c = '/';
    }
    raw_path = path_buf;
    out.notes.emplace_back("backslash in the path read as '/' (as browsers do)");
  }
  std::string encoded_path;
  encoded_path.reserve(raw_path.size());
  NormalizePercent(raw_path, Component::kPath, &encoded_path, &stray_percent);
  // Dot segments go after decoding, so "%2E%2E" counts as ".." (and the result is
  // a fixed point).
  std::string path = RemoveDotSegments(encoded_path);
  if (path.size() != encoded_path.size()) out.notes.emplace_back("dot segments removed");
  if (path.empty() && special) path = "/";

  std::string& value = out.value;
  value.reserve(scheme.size() + 3 + userinfo.size() + host.size() + port.size() + path.size() +
                raw_query.size() + 8);
  value.append(scheme).append("://");
  if (!userinfo.empty()) value.append(userinfo).push_back('@');
  value.append(host);
  if (!port.empty()) value.append(":").append(port);
  value.append(path);
  if (has_query) {
    value.push_back('?');
    NormalizePercent(raw_query, Component::kQuery, &value, &stray_percent);
  }
  if (has_fragment) {
    if (options.keep_fragment) {
      value.push_back('#');
      NormalizePercent(raw_fragment, Component::kFragment, &value, &stray_percent);
    } else {
      out.notes.emplace_back("fragment removed");
    }
  }
  if (stray_percent) out.notes.emplace_back("a '%' not starting an escape encoded as %25");

  out.fields.emplace_back("host", std::move(host_field));
  if (!registrable.empty()) out.fields.emplace_back("registrable_domain", std::move(registrable));
  out.fields.emplace_back("scheme", std::move(scheme));
  return out;
}

}  // namespace tessera::normalize
