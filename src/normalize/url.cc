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
constexpr bool MustEncode(unsigned char c, Component component) {
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
  // Bytes copied as they are: neither '%' nor ones that must be escaped in any
  // component ('@' and '#' are left to the slow path, which knows the component).
  static constexpr std::array<bool, 256> kPlain = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 256; ++c) {
      t[c] = c != '%' && c != '@' && c != '#' &&
             !MustEncode(static_cast<unsigned char>(c), Component::kPath);
    }
    return t;
  }();
  for (size_t i = 0; i < in.size(); ++i) {
    size_t run = i;
    while (run < in.size() && kPlain[static_cast<unsigned char>(in[run])]) ++run;
    if (run > i) {
      out->append(in.data() + i, run - i);
      i = run;
      if (i == in.size()) break;
    }
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

// RFC 3986 §5.2.4, appending the output path to `*out`, whose first bytes (the
// URL so far) are not part of it.
void RemoveDotSegments(std::string_view in, std::string* out) {
  const size_t base = out->size();
  auto pop_last_segment = [out, base] {
    size_t slash = out->rfind('/');
    out->resize(slash == std::string::npos || slash < base ? base : slash);
  };
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
      pop_last_segment();
    } else if (in == "/..") {
      in = "/";
      pop_last_segment();
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      size_t end = in.find('/', 1);
      if (end == std::string_view::npos) end = in.size();
      out->append(in.substr(0, end));
      in.remove_prefix(end);
    }
  }
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

namespace detail {

bool CanonicalizeUrl(std::string_view text, const UrlOptions& options, Observable* out,
                     std::string* reason) {
  auto refuse = [reason](std::string_view why) {
    reason->assign(why);
    return false;
  };
  ObservableWriter writer(out, Kind::kUrl);
  std::string_view s = detail::TrimAsciiSpace(text);
  if (s.empty()) return refuse("empty");

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
        reason->assign("'").append(scheme).append("' is a defanged scheme; refang the text first");
        return false;
      }
      bool special = FindSpecial(scheme) != nullptr;
      if (after.size() < 2 || !IsSlash(after[0], special) || !IsSlash(after[1], special)) {
        if (special) {
          reason->assign("no \"//\" after '").append(scheme).append(":'");
          return false;
        }
        reason->assign("'").append(scheme).append(
            ":' has no authority (\"//host\"); only URLs naming a host are URL indicators");
        return false;
      }
      if (after[0] == '\\' || after[1] == '\\') {
        writer.Note("backslash read as '/' (as browsers do)");
      }
      rest = after.substr(2);
    }
  }
  if (!has_scheme) {
    if (!options.assume_http_without_scheme) return refuse("no scheme (such as \"http://\")");
    scheme = "http";
    rest = s.starts_with("//") ? s.substr(2) : s;
    writer.Note("no scheme; http:// assumed");
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

  // The value is written as it is worked out: scheme, userinfo, host, port, path, query.
  std::string& value = writer.value();
  value.assign(scheme).append("://");
  bool stray_percent = false;
  std::string_view host_port = authority;
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    if (at == 0) {
      writer.Note("empty user information removed");
    } else {
      NormalizePercent(authority.substr(0, at), Component::kUserinfo, &value, &stray_percent);
      value.push_back('@');
      writer.Note("contains credentials (user information kept)");
    }
    host_port = authority.substr(at + 1);
  }

  std::string_view host_text;
  std::string_view port_text;
  bool has_port = false;
  bool bracketed = false;
  if (!host_port.empty() && host_port[0] == '[') {
    size_t close = host_port.find(']');
    if (close == std::string_view::npos) return refuse("unclosed '[' in the host");
    host_text = host_port.substr(1, close - 1);
    bracketed = true;
    std::string_view after = host_port.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return refuse("characters after the ']' of the host");
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
        return refuse("a ':' in the host (an IPv6 address goes in brackets: \"[2001:db8::1]\")");
      }
    }
  }

  // Host: a domain name (A-labels), a dotted-quad IPv4, or a bracketed IPv6. The
  // "host" field comes first, then "registrable_domain" (for a domain name).
  if (bracketed) {
    if (host_text.empty()) return refuse("empty IPv6 literal \"[]\"");
    if (host_text[0] == 'v' || host_text[0] == 'V') {
      return refuse("IPvFuture host literals are not supported");
    }
    if (host_text.find('%') != std::string_view::npos) {
      return refuse("an IPv6 zone identifier ('%') names no host outside one machine");
    }
    std::string& host_field = writer.Field("host");
    if (!detail::CanonicalIpv6Literal(host_text, &host_field)) {
      reason->assign("'[").append(host_text).append("]' is not an IPv6 address");
      return false;
    }
    value.append("[").append(host_field).append("]");
  } else if (host_text.empty()) {
    if (scheme != "file") return refuse("no host");
    writer.Field("host");
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
        if (lo < 0) return refuse("a '%' in the host that is not a %XX escape");
        decoded.push_back(static_cast<char>(hi * 16 + lo));
        k += 2;
      }
      writer.Note("percent-encoding in the host decoded");
      host_text = decoded;
    }
    size_t last_dot = host_text.rfind('.');
    std::string_view last_label =
        last_dot == std::string_view::npos ? host_text : host_text.substr(last_dot + 1);
    if (AllDigits(last_label)) {
      std::string& host_field = writer.Field("host");
      if (!detail::CanonicalDottedQuad(host_text, &host_field)) {
        reason->assign("numeric host '")
            .append(host_text)
            .append("' is not a dotted-quad IPv4 address");
        return false;
      }
      value.append(host_field);
    } else {
      DomainOptions domain_options;
      domain_options.allow_wildcard = false;
      domain_options.allow_single_label = scheme == "file";
      // The host's own observable, kept per thread for its storage.
      thread_local Observable domain;
      if (!detail::CanonicalizeDomain(host_text, domain_options, &domain, reason)) {
        reason->insert(0, "host: ");
        return false;
      }
      value.append(domain.value);
      writer.Field("host", domain.value);
      if (const std::string* r = domain.Field("registrable_domain"); r != nullptr && !r->empty()) {
        writer.Field("registrable_domain", *r);
      }
      for (const std::string& note : domain.notes) writer.Note().append("host: ").append(note);
    }
  }

  // RFC 3986 §6.2.3: an empty port or the scheme's default port is removed.
  if (has_port) {
    if (port_text.empty()) {
      writer.Note("empty port removed");
    } else {
      if (!AllDigits(port_text)) {
        reason->assign("port '").append(port_text).append("' is not a number");
        return false;
      }
      while (port_text.size() > 1 && port_text[0] == '0') port_text.remove_prefix(1);
      int port = 0;
      if (port_text.size() > 5) return refuse("port out of range (0-65535)");
      for (char c : port_text) port = port * 10 + (c - '0');
      if (port > 65535) return refuse("port out of range (0-65535)");
      // Without leading zeros, port_text is the number's decimal form.
      if (rule != nullptr && port == rule->default_port) {
        writer.Note().append("default port :").append(port_text).append(" removed");
      } else {
        value.append(":").append(port_text);
      }
    }
  }

  size_t path_end = 0;  // (find_first_of would call memchr on "?#" per byte)
  while (path_end < tail.size() && tail[path_end] != '?' && tail[path_end] != '#') ++path_end;
  if (path_end == tail.size()) path_end = std::string_view::npos;
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
    writer.Note("backslash in the path read as '/' (as browsers do)");
  }
  thread_local std::string encoded_path;
  encoded_path.clear();
  NormalizePercent(raw_path, Component::kPath, &encoded_path, &stray_percent);
  // Dot segments go after decoding, so "%2E%2E" counts as ".." (and the result is
  // a fixed point).
  const size_t path_begin = value.size();
  RemoveDotSegments(encoded_path, &value);
  if (value.size() - path_begin != encoded_path.size()) writer.Note("dot segments removed");
  if (value.size() == path_begin && special) value.push_back('/');

  if (has_query) {
    value.push_back('?');
    NormalizePercent(raw_query, Component::kQuery, &value, &stray_percent);
  }
  if (has_fragment) {
    if (options.keep_fragment) {
      value.push_back('#');
      NormalizePercent(raw_fragment, Component::kFragment, &value, &stray_percent);
    } else {
      writer.Note("fragment removed");
    }
  }
  if (stray_percent) writer.Note("a '%' not starting an escape encoded as %25");
  writer.Field("scheme", scheme);
  return true;
}

}  // namespace detail

core::Result<Observable> CanonicalUrl(std::string_view text, const UrlOptions& options) {
  Observable out;
  std::string reason;
  if (!detail::CanonicalizeUrl(text, options, &out, &reason)) return Refuse(std::move(reason));
  return out;
}

}  // namespace tessera::normalize
