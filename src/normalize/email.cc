#include "normalize/email.h"

#include <string>
#include <utility>

#include "normalize/domain.h"
#include "normalize/filename.h"
#include "normalize/url.h"

namespace tessera::normalize {
namespace {

constexpr size_t kMaxLocalPart = 64;  // RFC 5321 §4.5.3.1.1
constexpr size_t kMaxAddress = 254;   // RFC 5321 §4.5.3.1.3: 256-octet path less "<>"

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// RFC 5322 §3.2.3 atext; bytes >= 0x80 are UTF-8 (RFC 6532 §3.2), checked apart.
bool IsAtext(unsigned char c) {
  if (c >= 0x80) return true;
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '/':
    case '=':
    case '?':
    case '^':
    case '_':
    case '`':
    case '{':
    case '|':
    case '}':
    case '~':
      return true;
    default:
      return false;
  }
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

// End of the quoted string that starts at s[0] == '"' (index of the closing
// quote), or npos when it is not closed or holds a byte RFC 5322 §3.2.4 forbids.
size_t QuotedStringEnd(std::string_view s, std::string* problem) {
  for (size_t i = 1; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '"') return i;
    if (c == '\\') {  // quoted-pair = "\" (VCHAR / WSP)
      if (i + 1 >= s.size()) break;
      auto next = static_cast<unsigned char>(s[i + 1]);
      if (next < 0x20 && next != '\t') {
        *problem = "a control character in the quoted local part";
        return std::string_view::npos;
      }
      ++i;
      continue;
    }
    if ((c < 0x20 && c != '\t') || c == 0x7f) {
      *problem = "a control character in the quoted local part";
      return std::string_view::npos;
    }
  }
  *problem = "unclosed '\"' in the local part";
  return std::string_view::npos;
}

core::Error Refuse(std::string reason) { return NotA(Kind::kEmail, std::move(reason)); }

}  // namespace

namespace detail {

bool CanonicalizeEmail(std::string_view text, Observable* out, std::string* reason) {
  auto refuse = [reason](std::string why) {
    *reason = std::move(why);
    return false;
  };
  ObservableWriter writer(out, Kind::kEmail);
  std::string_view s = detail::TrimAsciiSpace(text);
  if (s.empty()) return refuse("empty");

  // RFC 5322 §3.4 name-addr: [display-name] "<" addr-spec ">"
  if (s.back() == '>') {
    size_t open = std::string_view::npos;
    bool quoted = false;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '\\' && quoted) {
        ++i;
      } else if (s[i] == '"') {
        quoted = !quoted;
      } else if (s[i] == '<' && !quoted) {
        open = i;
        break;
      }
    }
    if (open == std::string_view::npos) return refuse("'>' without a matching '<'");
    std::string_view name = detail::TrimAsciiSpace(s.substr(0, open));
    s = detail::TrimAsciiSpace(s.substr(open + 1, s.size() - open - 2));
    if (name.empty()) {
      writer.Note("angle brackets removed");
    } else {
      writer.Note().append("display name ").append(name).append(" removed");
    }
    if (s.empty()) return refuse("empty");
  }
  if (StartsWithNoCase(s, "mailto:")) {
    s.remove_prefix(7);
    writer.Note("'mailto:' removed");
    // RFC 6068 §2: '?' starts header fields; a '?' in the address would be %3F.
    size_t question = s.find('?');
    if (question != std::string_view::npos) {
      s = s.substr(0, question);
      writer.Note("mailto header fields ('?...') removed");
    }
  }
  if (s.empty()) return refuse("empty");

  std::string_view local;
  std::string_view domain;
  if (s[0] == '"') {
    std::string problem;
    size_t close = QuotedStringEnd(s, &problem);
    if (close == std::string_view::npos) return refuse(problem);
    local = s.substr(0, close + 1);
    if (close + 1 >= s.size() || s[close + 1] != '@') {
      return refuse("the quoted local part is not followed by '@'");
    }
    domain = s.substr(close + 2);
    if (local.size() == 2) return refuse("empty quoted local part");
  } else {
    size_t at = s.find('@');
    if (at == std::string_view::npos) return refuse("no '@'");
    local = s.substr(0, at);
    domain = s.substr(at + 1);
    if (local.empty()) return refuse("empty local part (nothing before '@')");
    // RFC 5322 §3.4.1 dot-atom: atoms of atext joined by single dots.
    if (local.front() == '.' || local.back() == '.') {
      return refuse("the local part starts or ends with '.'");
    }
    char previous = 0;
    for (char c : local) {
      if (c == '.' && previous == '.') return refuse("\"..\" in the local part");
      previous = c;
      if (c == '.' || IsAtext(static_cast<unsigned char>(c))) continue;
      if (IsSpace(c)) return refuse("a space in an unquoted local part");
      if (c == '"') return refuse("a '\"' inside an unquoted local part");
      return refuse(std::string("character '") + c + "' not allowed in an unquoted local part");
    }
  }
  if (domain.find('@') != std::string_view::npos) return refuse("more than one '@'");
  if (local.size() > kMaxLocalPart) {
    return refuse("local part longer than 64 octets (" + std::to_string(local.size()) + ")");
  }
  if (!detail::IsValidUtf8(local)) return refuse("the local part is not valid UTF-8");
  if (domain.empty()) return refuse("empty domain (nothing after '@')");

  // The domain part goes into the "domain" field first, the value after.
  std::string& domain_value = writer.Field("domain");
  if (domain.front() == '[') {
    // RFC 5321 §4.1.3 address literals: "[192.0.2.1]", "[IPv6:2001:db8::1]".
    if (domain.back() != ']') return refuse("unclosed '[' in the domain");
    std::string_view literal = domain.substr(1, domain.size() - 2);
    std::string ip;
    if (StartsWithNoCase(literal, "ipv6:")) {
      if (!detail::CanonicalIpv6Literal(literal.substr(5), &ip)) {
        return refuse("'" + std::string(domain) + "' is not an IPv6 address literal");
      }
      domain_value.assign("[IPv6:").append(ip).append("]");
    } else if (detail::CanonicalDottedQuad(literal, &ip)) {
      domain_value.assign("[").append(ip).append("]");
    } else {
      return refuse("'" + std::string(domain) +
                    "' is not an address literal ([192.0.2.1] or [IPv6:2001:db8::1])");
    }
  } else {
    DomainOptions domain_options;
    domain_options.allow_wildcard = false;
    // The domain's own observable, kept per thread for its storage.
    thread_local Observable canonical_domain;
    if (!detail::CanonicalizeDomain(domain, domain_options, &canonical_domain, reason)) {
      reason->insert(0, "domain: ");
      return false;
    }
    domain_value.assign(canonical_domain.value);
    for (const std::string& note : canonical_domain.notes) {
      writer.Note().append("domain: ").append(note);
    }
    if (const std::string* r = canonical_domain.Field("registrable_domain");
        r != nullptr && !r->empty()) {
      writer.Field("registrable_domain", *r);  // (domain_value is not used after this)
    }
  }

  const std::string_view domain_text = out->fields[0].second;
  std::string& value = writer.value();
  value.assign(local).append("@").append(domain_text);
  if (value.size() > kMaxAddress) {
    return refuse("longer than 254 octets (" + std::to_string(value.size()) + ")");
  }
  return true;
}

}  // namespace detail

core::Result<Observable> CanonicalEmail(std::string_view text) {
  Observable out;
  std::string reason;
  if (!detail::CanonicalizeEmail(text, &out, &reason)) return Refuse(std::move(reason));
  return out;
}

}  // namespace tessera::normalize
