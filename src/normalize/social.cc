// Social-media accounts: "platform:handle" with each platform's own handle rules,
// read from that form, from profile URLs, or from Mastodon's "@user@instance".
// Only accounts are recognized: URLs of groups, invite links, search pages and
// the like are refused, except a post URL that names its account in the path
// (twitter.com/u/status/1, t.me/u/1, tiktok.com/@u/video/1), which is reduced to
// the account with a note.
#include <array>
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

#include "normalize/artifacts.h"

namespace tessera::normalize {
namespace {

constexpr Kind kKind = Kind::kSocialAccount;

enum class Platform {
  kTwitter,
  kTelegram,
  kInstagram,
  kFacebook,
  kGithub,
  kTiktok,
  kYoutube,
  kLinkedin,
  kReddit,
  kMastodon,
};

struct PlatformName {
  std::string_view name;
  Platform platform;
};

// Names accepted before the colon in "platform:handle"; the first of each
// platform is canonical.
constexpr std::array<PlatformName, 11> kPlatformNames = {{
    {"twitter", Platform::kTwitter},
    {"telegram", Platform::kTelegram},
    {"instagram", Platform::kInstagram},
    {"facebook", Platform::kFacebook},
    {"github", Platform::kGithub},
    {"tiktok", Platform::kTiktok},
    {"youtube", Platform::kYoutube},
    {"linkedin", Platform::kLinkedin},
    {"reddit", Platform::kReddit},
    {"mastodon", Platform::kMastodon},
    {"x", Platform::kTwitter},
}};

std::string_view CanonicalName(Platform p) {
  for (const PlatformName& n : kPlatformNames) {
    if (n.platform == p) return n.name;
  }
  return {};  // unreachable: every platform has a row
}

struct HostRule {
  std::string_view host;
  Platform platform;
};

constexpr std::array<HostRule, 14> kHosts = {{
    {"twitter.com", Platform::kTwitter},
    {"x.com", Platform::kTwitter},
    {"t.me", Platform::kTelegram},
    {"telegram.me", Platform::kTelegram},
    {"telegram.dog", Platform::kTelegram},
    {"instagram.com", Platform::kInstagram},
    {"instagr.am", Platform::kInstagram},
    {"facebook.com", Platform::kFacebook},
    {"fb.com", Platform::kFacebook},
    {"github.com", Platform::kGithub},
    {"tiktok.com", Platform::kTiktok},
    {"youtube.com", Platform::kYoutube},
    {"linkedin.com", Platform::kLinkedin},
    {"reddit.com", Platform::kReddit},
}};

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || IsDigit(c); }

bool EqualsNoCase(std::string_view a, std::string_view lower_b) {
  if (a.size() != lower_b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != lower_b[i]) return false;
  }
  return true;
}

bool StartsWithNoCase(std::string_view a, std::string_view lower_prefix) {
  return a.size() >= lower_prefix.size() &&
         EqualsNoCase(a.substr(0, lower_prefix.size()), lower_prefix);
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

bool OneOf(std::string_view s, std::initializer_list<std::string_view> set) {
  for (std::string_view item : set) {
    if (EqualsNoCase(s, item)) return true;
  }
  return false;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

// Checks a lower-cased handle: length range and allowed characters (`extra`
// besides [a-z0-9]).
core::Result<std::string> Plain(std::string handle, std::string_view what, size_t min, size_t max,
                                std::string_view extra) {
  if (handle.size() < min || handle.size() > max) {
    return NotA(kKind, std::string(what) + " handles have " + std::to_string(min) + " to " +
                           std::to_string(max) + " characters");
  }
  for (char c : handle) {
    if (!IsLowerAlnum(c) && extra.find(c) == std::string_view::npos) {
      // Built step by step: GCC 12 warns (-Wrestrict, falsely) on "'" + std::string(1, c).
      std::string reason = "'";
      reason += c;
      reason += "' is not allowed in a ";
      reason += what;
      reason += " handle";
      return NotA(kKind, std::move(reason));
    }
  }
  return handle;
}

// Mastodon instance: an ASCII host name (IDNs must come as A-labels), lower
// case, at least two labels, without trailing dot.
core::Result<std::string> Instance(std::string_view text) {
  std::string host = Lower(text);
  if (!host.empty() && host.back() == '.') host.pop_back();
  if (host.empty() || host.size() > 253) return NotA(kKind, "bad Mastodon instance name");
  size_t labels = 0;
  size_t start = 0;
  while (start <= host.size()) {
    size_t end = host.find('.', start);
    if (end == std::string::npos) end = host.size();
    std::string_view label(host.data() + start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return NotA(kKind, "bad Mastodon instance name");
    }
    for (char c : label) {
      if (!IsLowerAlnum(c) && c != '-') {
        return NotA(kKind, "Mastodon instance must be an ASCII host name (A-labels for IDNs)");
      }
    }
    ++labels;
    if (end == host.size()) {
      if (AllDigits(label)) return NotA(kKind, "Mastodon instance must be a host name");
      break;
    }
    start = end + 1;
  }
  if (labels < 2) return NotA(kKind, "Mastodon instance needs a domain name");
  return host;
}

// The canonical handle for `platform`, or why `raw` is not one. A leading '@'
// (as people write handles) is dropped.
core::Result<std::string> CanonicalHandle(Platform platform, std::string_view raw) {
  if (!raw.empty() && raw.front() == '@') raw.remove_prefix(1);
  switch (platform) {
    case Platform::kTwitter:
      return Plain(Lower(raw), "Twitter", 1, 15, "_");
    case Platform::kTelegram: {
      // 5-32 characters for ordinary usernames; 4-character collectible ones exist.
      auto h = Plain(Lower(raw), "Telegram", 4, 32, "_");
      if (h.ok() && !(h->front() >= 'a' && h->front() <= 'z')) {
        return NotA(kKind, "Telegram handles start with a letter");
      }
      return h;
    }
    case Platform::kInstagram: {
      auto h = Plain(Lower(raw), "Instagram", 1, 30, "._");
      if (h.ok() && (h->front() == '.' || h->back() == '.' || h->find("..") != std::string::npos)) {
        return NotA(kKind, "Instagram handles do not start or end with '.' or repeat it");
      }
      return h;
    }
    case Platform::kFacebook:
      // Numeric profile ids (profile.php?id=N) and usernames (5+ of [a-z0-9.]).
      if (AllDigits(raw)) {
        if (raw.size() > 20) return NotA(kKind, "Facebook profile id too long");
        return std::string(raw);
      }
      return Plain(Lower(raw), "Facebook", 5, 50, ".");
    case Platform::kGithub: {
      auto h = Plain(Lower(raw), "GitHub", 1, 39, "-");
      if (h.ok() && (h->front() == '-' || h->back() == '-' || h->find("--") != std::string::npos)) {
        return NotA(kKind, "GitHub handles do not start or end with '-' or repeat it");
      }
      return h;
    }
    case Platform::kTiktok: {
      auto h = Plain(Lower(raw), "TikTok", 2, 24, "._");
      if (h.ok() && h->back() == '.') return NotA(kKind, "TikTok handles do not end with '.'");
      return h;
    }
    case Platform::kYoutube:
      return Plain(Lower(raw), "YouTube", 3, 30, "._-");
    case Platform::kLinkedin:
      return Plain(Lower(raw), "LinkedIn", 3, 100, "-");
    case Platform::kReddit:
      if (StartsWithNoCase(raw, "u/")) raw.remove_prefix(2);
      return Plain(Lower(raw), "Reddit", 3, 20, "_-");
    case Platform::kMastodon: {
      size_t at = raw.find('@');
      if (at == std::string_view::npos) return NotA(kKind, "Mastodon accounts are user@instance");
      // Mastodon's username pattern: [a-z0-9_]+([a-z0-9_.-]+[a-z0-9_]+)?
      auto user = Plain(Lower(raw.substr(0, at)), "Mastodon", 1, 30, "_.-");
      if (!user.ok()) return user;
      char first = user->front();
      char last = user->back();
      if (first == '.' || first == '-' || last == '.' || last == '-') {
        return NotA(kKind, "Mastodon user names do not start or end with '.' or '-'");
      }
      auto host = Instance(raw.substr(at + 1));
      if (!host.ok()) return host;
      return *user + "@" + *host;
    }
  }
  return NotA(kKind, "unknown platform");  // unreachable
}

core::Result<Observable> MakeAccount(Platform platform, std::string_view raw,
                                     const char* note = nullptr) {
  auto handle = CanonicalHandle(platform, raw);
  if (!handle.ok()) return handle.error();
  std::string_view name = CanonicalName(platform);
  Observable out;
  out.kind = kKind;
  out.value.reserve(name.size() + 1 + handle->size());
  out.value.append(name);
  out.value += ':';
  out.value += *handle;
  out.fields.reserve(2);
  out.fields.emplace_back("platform", std::string(name));
  out.fields.emplace_back("handle", std::move(*handle));
  if (note != nullptr) out.notes.emplace_back(note);
  return out;
}

core::Error NotAProfile(std::string_view why) {
  return NotA(kKind, "not a profile URL: " + std::string(why));
}

// Up to four non-empty path segments ("/a//b/" -> a, b); more is not a profile.
struct Segments {
  std::array<std::string_view, 4> items;
  size_t size = 0;
  bool overflow = false;
};

Segments SplitPath(std::string_view path) {
  Segments s;
  size_t pos = 0;
  while (pos < path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    if (end > pos) {
      if (s.size == s.items.size()) {
        s.overflow = true;
        break;
      }
      s.items[s.size++] = path.substr(pos, end - pos);
    }
    pos = end + 1;
  }
  return s;
}

// The value of `key` in a query string, or empty.
std::string_view QueryValue(std::string_view query, std::string_view key) {
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t end = query.find('&', pos);
    if (end == std::string_view::npos) end = query.size();
    std::string_view pair = query.substr(pos, end - pos);
    if (pair.size() > key.size() && pair.substr(0, key.size()) == key && pair[key.size()] == '=') {
      return pair.substr(key.size() + 1);
    }
    pos = end + 1;
  }
  return {};
}

constexpr const char* kPostNote = "post URL reduced to the account that posted it";

core::Result<Observable> FromProfileUrl(std::string_view url) {
  if (StartsWithNoCase(url, "https://")) {
    url.remove_prefix(8);
  } else if (StartsWithNoCase(url, "http://")) {
    url.remove_prefix(7);
  }
  size_t host_end = url.find_first_of("/?#");
  if (host_end == std::string_view::npos) host_end = url.size();
  std::string host = Lower(url.substr(0, host_end));
  if (host.find_first_of("@:") != std::string::npos) {
    return NotAProfile("user info or port in the host");
  }
  if (!host.empty() && host.back() == '.') host.pop_back();
  std::string_view h = host;
  for (std::string_view prefix : {"www.", "m.", "mobile.", "web.", "old.", "new.", "np."}) {
    if (h.size() > prefix.size() && h.substr(0, prefix.size()) == prefix) {
      h.remove_prefix(prefix.size());
      break;
    }
  }
  // LinkedIn country sites: de.linkedin.com, fr.linkedin.com, ...
  if (h.size() == 15 && h.substr(2) == ".linkedin.com") h.remove_prefix(3);
  const HostRule* rule = nullptr;
  for (const HostRule& r : kHosts) {
    if (r.host == h) rule = &r;
  }
  if (rule == nullptr) return NotA(kKind, "unknown platform host \"" + std::string(h) + "\"");

  std::string_view rest = url.substr(host_end);
  std::string_view path = rest.substr(0, rest.find_first_of("?#"));
  std::string_view query;
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    query = query.substr(0, query.find('#'));
  }
  Segments seg = SplitPath(path);
  if (seg.overflow) return NotAProfile("path too deep");
  if (seg.size == 0) return NotAProfile("no account in the path");
  std::string_view first = seg.items[0];

  switch (rule->platform) {
    case Platform::kTwitter:
      if (OneOf(first,
                {"home", "explore", "search", "i", "intent", "hashtag", "settings", "messages",
                 "notifications", "share", "login", "signup", "tos", "privacy", "compose"})) {
        return NotAProfile("a Twitter page, not an account");
      }
      if (seg.size == 3 && EqualsNoCase(seg.items[1], "status") && AllDigits(seg.items[2])) {
        return MakeAccount(Platform::kTwitter, first, kPostNote);
      }
      if (seg.size != 1) return NotAProfile("extra path after the handle");
      return MakeAccount(Platform::kTwitter, first);
    case Platform::kTelegram:
      if (first.front() == '+' || OneOf(first, {"joinchat", "addlist"})) {
        return NotAProfile("a Telegram invite link");
      }
      if (OneOf(first, {"c", "share", "proxy", "socks", "addstickers", "addemoji", "iv",
                        "setlanguage", "addtheme", "login", "bg", "confirmphone"})) {
        return NotAProfile("a Telegram service link, not an account");
      }
      if (EqualsNoCase(first, "s") && seg.size >= 2) {  // t.me/s/<channel>: web preview
        if (seg.size == 3 && AllDigits(seg.items[2])) {
          return MakeAccount(Platform::kTelegram, seg.items[1], kPostNote);
        }
        if (seg.size != 2) return NotAProfile("extra path after the handle");
        return MakeAccount(Platform::kTelegram, seg.items[1]);
      }
      if (seg.size == 2 && AllDigits(seg.items[1])) {
        return MakeAccount(Platform::kTelegram, first, kPostNote);
      }
      if (seg.size != 1) return NotAProfile("extra path after the handle");
      return MakeAccount(Platform::kTelegram, first);
    case Platform::kInstagram:
      if (OneOf(first, {"p", "reel", "reels", "tv", "explore", "stories", "accounts", "direct",
                        "about", "developer", "legal", "web"})) {
        return NotAProfile("an Instagram post or page, not an account");
      }
      if (seg.size != 1) return NotAProfile("extra path after the handle");
      return MakeAccount(Platform::kInstagram, first);
    case Platform::kFacebook:
      if (seg.size == 1 && EqualsNoCase(first, "profile.php")) {
        std::string_view id = QueryValue(query, "id");
        if (!AllDigits(id)) return NotAProfile("profile.php without a numeric id");
        return MakeAccount(Platform::kFacebook, id);
      }
      if (seg.size == 3 && EqualsNoCase(first, "people") && AllDigits(seg.items[2])) {
        return MakeAccount(Platform::kFacebook, seg.items[2]);
      }
      if (OneOf(first, {"pages",   "groups",     "events", "watch",     "marketplace",
                        "gaming",  "photo.php",  "photo",  "story.php", "permalink.php",
                        "sharer",  "sharer.php", "login",  "help",      "settings",
                        "hashtag", "search",     "people", "share",     "reel"})) {
        return NotAProfile("a Facebook page, group or post, not a profile");
      }
      if (seg.size != 1) return NotAProfile("extra path after the profile name");
      return MakeAccount(Platform::kFacebook, first);
    case Platform::kGithub:
      if (seg.size == 2 && EqualsNoCase(first, "orgs")) {
        return MakeAccount(Platform::kGithub, seg.items[1]);
      }
      if (OneOf(first, {"about",    "orgs",    "settings",    "login",         "join",
                        "features", "topics",  "marketplace", "explore",       "sponsors",
                        "apps",     "pricing", "enterprise",  "notifications", "pulls",
                        "issues",   "search",  "collections", "trending",      "security",
                        "site",     "contact", "new",         "organizations"})) {
        return NotAProfile("a GitHub page, not an account");
      }
      if (seg.size != 1) return NotAProfile("a repository or page below the account");
      return MakeAccount(Platform::kGithub, first);
    case Platform::kTiktok:
      if (first.front() != '@') return NotAProfile("TikTok profiles are tiktok.com/@handle");
      if (seg.size == 3 && EqualsNoCase(seg.items[1], "video") && AllDigits(seg.items[2])) {
        return MakeAccount(Platform::kTiktok, first, kPostNote);
      }
      if (seg.size != 1) return NotAProfile("extra path after the handle");
      return MakeAccount(Platform::kTiktok, first);
    case Platform::kYoutube:
      if (first.front() != '@') {
        return NotAProfile(
            "only youtube.com/@handle names an account by handle (channel ids "
            "and legacy /c/, /user/ URLs are not handles)");
      }
      if (seg.size == 2 && OneOf(seg.items[1], {"videos", "featured", "shorts", "streams",
                                                "playlists", "community", "about", "channels"})) {
        return MakeAccount(Platform::kYoutube, first);
      }
      if (seg.size != 1) return NotAProfile("extra path after the handle");
      return MakeAccount(Platform::kYoutube, first);
    case Platform::kLinkedin:
      if (seg.size != 2 || !EqualsNoCase(first, "in")) {
        return NotAProfile("LinkedIn profiles are linkedin.com/in/<name>");
      }
      return MakeAccount(Platform::kLinkedin, seg.items[1]);
    case Platform::kReddit:
      if (seg.size != 2 || !OneOf(first, {"user", "u"})) {
        return NotAProfile("Reddit accounts are reddit.com/user/<name>");
      }
      return MakeAccount(Platform::kReddit, seg.items[1]);
    case Platform::kMastodon:
      break;  // no fixed host
  }
  return NotAProfile("unknown platform");
}

}  // namespace

core::Result<Observable> CanonicalSocialAccount(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  if (text.empty()) return NotA(kKind, "empty");
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= 32 || static_cast<unsigned char>(c) >= 127) {
      return NotA(kKind, "spaces, control or non-ASCII characters in the account");
    }
  }

  // "@user@instance": the fediverse's own notation; "@user" alone names no platform.
  if (text.front() == '@') {
    if (text.find('@', 1) != std::string_view::npos) return MakeAccount(Platform::kMastodon, text);
    return NotA(kKind, "no platform (write platform:handle or a profile URL)");
  }
  // "u/name", "/u/name": Reddit's own notation.
  if (StartsWithNoCase(text, "u/") || StartsWithNoCase(text, "/u/")) {
    return MakeAccount(Platform::kReddit, text.substr(text.find('/') + 1));
  }
  if (StartsWithNoCase(text, "http://") || StartsWithNoCase(text, "https://")) {
    return FromProfileUrl(text);
  }
  size_t colon = text.find(':');
  size_t slash = text.find('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash)) {
    std::string_view name = text.substr(0, colon);
    for (const PlatformName& n : kPlatformNames) {
      if (EqualsNoCase(name, n.name)) return MakeAccount(n.platform, text.substr(colon + 1));
    }
    return NotA(kKind, "unknown platform \"" + std::string(name) + "\"");
  }
  if (slash != std::string_view::npos) return FromProfileUrl(text);
  return NotA(kKind, "no platform (write platform:handle or a profile URL)");
}

}  // namespace tessera::normalize
