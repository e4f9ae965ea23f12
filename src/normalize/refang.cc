#include "normalize/refang.h"

#include <libpsl.h>

#include <array>
#include <cstdint>
#include <optional>

namespace tessera::normalize {
namespace {

constexpr bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }
constexpr bool IsAlpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
constexpr bool IsAlnum(unsigned char c) { return IsDigit(c) || IsAlpha(c); }
// A byte that can start or end a host label: ASCII letter or digit, or part of a
// non-ASCII (IDN) character.
constexpr bool IsLabelEdge(unsigned char c) { return IsAlnum(c) || c >= 0x80; }
constexpr bool IsHostChar(unsigned char c) { return IsLabelEdge(c) || c == '-' || c == '_'; }
// Characters that continue a word for the purpose of "is this a word start".
constexpr bool IsWordChar(unsigned char c) {
  return IsHostChar(c) || c == '.' || c == '@' || c == '%' || c == '+';
}
constexpr bool IsBlank(unsigned char c) { return c == ' ' || c == '\t'; }
char Lower(char c) {
  return IsAlpha(static_cast<unsigned char>(c)) ? static_cast<char>(c | 0x20) : c;
}

bool StartsWithNoCase(std::string_view text, size_t i, std::string_view literal) {
  if (text.size() - i < literal.size()) return false;
  for (size_t k = 0; k < literal.size(); ++k) {
    if (Lower(text[i + k]) != literal[k]) return false;
  }
  return true;
}

bool StartsWith(std::string_view text, size_t i, std::string_view literal) {
  return text.size() - i >= literal.size() && text.substr(i, literal.size()) == literal;
}

// True when `label` (lower case ASCII letters) is a top-level domain in the public
// suffix list.
bool IsKnownTld(std::string_view label) {
  if (label.size() < 2 || label.size() > 63) return false;
  std::array<char, 64> buffer{};
  for (size_t k = 0; k < label.size(); ++k) buffer[k] = Lower(label[k]);
  return psl_is_public_suffix2(psl_builtin(), buffer.data(),
                               PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
}

enum class GroupInner { kDot, kColon, kSchemeSeparator, kAt };

struct Group {
  size_t end = 0;  // one past the closing bracket
  GroupInner inner = GroupInner::kDot;
};

// "[.]", "( dot )", "{@}", "[://]", ...: a bracket, up to two blanks, a defang word,
// up to two blanks, the matching bracket.
std::optional<Group> ParseGroup(std::string_view text, size_t i) {
  char open = text[i];
  char close = open == '[' ? ']' : open == '(' ? ')' : '}';
  size_t j = i + 1;
  for (int k = 0; k < 2 && j < text.size() && IsBlank(text[j]); ++k) ++j;
  struct Word {
    std::string_view text;
    GroupInner inner;
  };
  static constexpr std::array<Word, 6> kWords = {{
      {"://", GroupInner::kSchemeSeparator},
      {".", GroupInner::kDot},
      {"dot", GroupInner::kDot},
      {":", GroupInner::kColon},
      {"@", GroupInner::kAt},
      {"at", GroupInner::kAt},
  }};
  for (const Word& word : kWords) {
    if (!StartsWithNoCase(text, j, word.text)) continue;
    size_t k = j + word.text.size();
    for (int s = 0; s < 2 && k < text.size() && IsBlank(text[k]); ++s) ++k;
    if (k < text.size() && text[k] == close) return Group{k + 1, word.inner};
  }
  return std::nullopt;
}

struct SchemeWord {
  std::string_view from;  // lower case
  std::string_view to;
};

// Longer spellings first where one is a prefix of another.
constexpr std::array<SchemeWord, 10> kSchemeWords = {{
    {"hxxps", "https"},
    {"hxxp", "http"},
    {"https", "https"},
    {"http", "http"},
    {"fxps", "ftps"},
    {"fxp", "ftp"},
    {"sfxp", "sftp"},
    {"ftps", "ftps"},
    {"ftp", "ftp"},
    {"sftp", "sftp"},
}};

// For the copy loop: bytes that start a rule wherever they are, letters and
// digits (which start a rule only at a word start), other word bytes, the rest.
enum class ByteClass : uint8_t { kOther, kWord, kAlnum, kRuleStart };

constexpr std::array<ByteClass, 256> MakeByteClasses() {
  std::array<ByteClass, 256> classes{};
  for (int c = 0; c < 256; ++c) {
    auto b = static_cast<unsigned char>(c);
    if (b == '[' || b == '(' || b == '{' || b == '\\' || b == ' ' || b == '\t') {
      classes[c] = ByteClass::kRuleStart;
    } else if (IsAlnum(b)) {
      classes[c] = ByteClass::kAlnum;
    } else if (IsWordChar(b)) {
      classes[c] = ByteClass::kWord;
    }
  }
  return classes;
}

constexpr std::array<ByteClass, 256> kByteClasses = MakeByteClasses();

class Refanger {
 public:
  // Writes into `*out` (cleared first).
  Refanger(std::string_view text, std::vector<detail::RefangEdit>* edits, std::string* out)
      : text_(text), edits_(edits), out_(*out) {
    out_.clear();
    out_.reserve(text.size());
  }

  // True when a rule replaced something.
  bool changed() const { return changed_; }

  void Run() {
    size_t i = 0;
    const size_t n = text_.size();
    while (i < n) {
      unsigned char c = static_cast<unsigned char>(text_[i]);
      size_t next = i;
      if (IsAlnum(c)) {
        if (AtWordStart()) {
          unsigned char lower = c | 0x20;
          if (lower == 'h' || lower == 'f' || lower == 's') next = TryScheme(i);
          if (next == i) next = TryWordChain(i);
        }
      } else if (c == '[' || c == '(' || c == '{') {
        next = TryGroup(i);
      } else if (IsBlank(c)) {
        next = TrySpacedGroup(i);
      } else if (c == '\\') {
        next = TryEscapedDot(i);
      }
      if (next == i) {
        // Copy up to the next byte a rule could start on.
        size_t end = i + 1;
        ByteClass prev_class = kByteClasses[static_cast<unsigned char>(text_[i])];
        while (end < n) {
          ByteClass d = kByteClasses[static_cast<unsigned char>(text_[end])];
          if (d == ByteClass::kRuleStart) break;
          if (d == ByteClass::kAlnum &&
              (prev_class == ByteClass::kOther || prev_class == ByteClass::kRuleStart)) {
            break;
          }
          prev_class = d;
          ++end;
        }
        out_.append(text_.substr(i, end - i));
        next = end;
      }
      i = next;
    }
  }

 private:
  bool AtWordStart() const {
    return out_.empty() || !IsWordChar(static_cast<unsigned char>(out_.back()));
  }
  unsigned char Prev() const { return out_.empty() ? 0 : static_cast<unsigned char>(out_.back()); }
  unsigned char At(size_t i) const {
    return i < text_.size() ? static_cast<unsigned char>(text_[i]) : 0;
  }

  void Replace(size_t begin, size_t end, std::string_view replacement) {
    changed_ = true;
    if (edits_ != nullptr) {
      edits_->push_back({begin, end - begin, out_.size(), replacement.size()});
    }
    out_.append(replacement);
  }

  size_t TryScheme(size_t i) {
    for (const SchemeWord& word : kSchemeWords) {
      if (!StartsWithNoCase(text_, i, word.from)) continue;
      size_t j = i + word.from.size();
      bool changed = word.from != word.to;
      std::string scheme(changed ? word.to : text_.substr(i, word.from.size()));
      if (word.to == "http" && (StartsWith(text_, j, "[s]") || StartsWith(text_, j, "(s)"))) {
        scheme += 's';
        j += 3;
        changed = true;
      }
      // The separator: "://" as is, or any bracket form the group rule would turn
      // into "://" ("[://]", "( :// )") or ":" followed by "//" ("[:]//").
      size_t end = 0;
      bool defanged = true;
      if (StartsWith(text_, j, "://")) {
        end = j + 3;
        defanged = false;
      } else if (At(j) == '[' || At(j) == '(' || At(j) == '{') {
        std::optional<Group> group = ParseGroup(text_, j);
        if (group && group->inner == GroupInner::kSchemeSeparator) {
          end = group->end;
        } else if (group && group->inner == GroupInner::kColon &&
                   StartsWith(text_, group->end, "//")) {
          end = group->end + 2;
        }
      }
      if (end == 0) return i;
      if (!changed && !defanged) {
        out_.append(text_.substr(i, end - i));
        return end;
      }
      scheme += "://";
      Replace(i, end, scheme);
      return end;
    }
    return i;
  }

  // "user at example dot com", "www dot example dot com" (see refang.h).
  size_t TryWordChain(size_t i) {
    std::string replacement;
    size_t end = ParseWordChain(i, &replacement);
    if (end == i) return i;
    Replace(i, end, replacement);
    return end;
  }

  // The end of the word chain starting at i (i when there is none) and its refanged
  // form.
  size_t ParseWordChain(size_t i, std::string* out) const {
    const size_t n = text_.size();
    size_t j = i;
    while (j < n && (IsAlnum(At(j)) || At(j) == '-' || At(j) == '_' || At(j) == '+')) ++j;
    if (j >= n || !IsBlank(At(j))) return i;
    {
      // Fast rejection: the next word must be a separator word.
      size_t k = j;
      while (k < n && IsBlank(At(k))) ++k;
      unsigned char w = At(k);
      if (w != 'd' && w != 'D' && w != 'a' && w != 'A' && w != '.') return i;
    }
    std::string& replacement = *out;
    replacement.assign(text_.substr(i, j - i));
    bool has_at = false;
    int dots = 0;
    size_t last_label_begin = i;
    // A real chain has a handful of labels; the cap keeps "x dot x dot x ..." linear.
    for (int separators = 0; separators < 16 && j < n && IsBlank(At(j)); ++separators) {
      size_t k = j;
      for (int s = 0; s < 3 && k < n && IsBlank(At(k)); ++s) ++k;
      bool is_at = false;
      size_t word_size = 0;
      if (StartsWith(text_, k, "dot") || StartsWith(text_, k, "DOT") ||
          StartsWith(text_, k, "Dot")) {
        word_size = 3;
      } else if (At(k) == '.') {
        word_size = 1;
      } else if (StartsWith(text_, k, "at") || StartsWith(text_, k, "AT") ||
                 StartsWith(text_, k, "At")) {
        word_size = 2;
        is_at = true;
      } else {
        break;
      }
      k += word_size;
      if (k >= n || !IsBlank(At(k))) break;
      for (int s = 0; s < 3 && k < n && IsBlank(At(k)); ++s) ++k;
      size_t label_begin = k;
      while (k < n && (IsAlnum(At(k)) || At(k) == '-')) ++k;
      if (k == label_begin) break;
      if (is_at && (has_at || dots > 0)) break;
      has_at = has_at || is_at;
      if (!is_at) ++dots;
      replacement += is_at ? '@' : '.';
      replacement.append(text_.substr(label_begin, k - label_begin));
      last_label_begin = label_begin;
      j = k;
    }
    if (!((has_at && dots >= 1) || dots >= 2)) return i;
    // The chain must end here, before a byte that no rule changes or produces
    // (otherwise a second pass could see the chain end differently).
    if (j < n && !EndsWordChain(j)) return i;
    std::string_view tld = text_.substr(last_label_begin, j - last_label_begin);
    for (char ch : tld) {
      if (!IsAlpha(static_cast<unsigned char>(ch))) return i;
    }
    if (!IsKnownTld(tld)) return i;
    return j;
  }

  size_t TryGroup(size_t i) {
    std::optional<Group> group = ParseGroup(text_, i);
    if (!group) return i;
    unsigned char prev = Prev();
    unsigned char next = At(group->end);
    switch (group->inner) {
      case GroupInner::kDot:
        if (IsHostChar(prev) && IsLabelEdge(next)) {
          Replace(i, group->end, ".");
          return group->end;
        }
        // "218.[.]234" and "218[.].234": the real dot stays, the bracket goes.
        if (prev == '.' && out_.size() >= 2 &&
            IsHostChar(static_cast<unsigned char>(out_[out_.size() - 2])) && IsLabelEdge(next)) {
          Replace(i, group->end, "");
          return group->end;
        }
        if (IsHostChar(prev) && next == '.' && IsLabelEdge(At(group->end + 1))) {
          Replace(i, group->end, "");
          return group->end;
        }
        return i;
      case GroupInner::kColon:
        if (IsAlnum(prev) && (next == '/' || IsAlnum(next))) {
          Replace(i, group->end, ":");
          return group->end;
        }
        return i;
      case GroupInner::kSchemeSeparator:
        if (IsAlnum(prev) && (IsLabelEdge(next) || next == '[')) {
          Replace(i, group->end, "://");
          return group->end;
        }
        return i;
      case GroupInner::kAt:
        if (IsAtPrefix(prev) && IsHostChar(next)) {
          Replace(i, group->end, "@");
          return group->end;
        }
        return i;
    }
    return i;
  }

  // A byte that can end an e-mail local part.
  static bool IsAtPrefix(unsigned char c) {
    if (c == 0 || c <= ' ' || c == 0x7f) return false;
    switch (c) {
      case '[':
      case '(':
      case '{':
      case '<':
      case ',':
      case ';':
      case ':':
      case '@':
        return false;
      default:
        return true;
    }
  }

  // "example [.] com", "user [at] example": blanks around a bracketed dot or at.
  size_t TrySpacedGroup(size_t i) {
    unsigned char prev = Prev();
    if (!IsHostChar(prev)) return i;
    size_t k = i;
    for (int s = 0; s < 3 && k < text_.size() && IsBlank(At(k)); ++s) ++k;
    unsigned char open = At(k);
    if (open != '[' && open != '(' && open != '{') return i;
    std::optional<Group> group = ParseGroup(text_, k);
    if (!group) return i;
    // "me (at) noon" is prose; only "[at]", "[@]", "(@)", "{@}" are read with blanks.
    bool square_or_symbol =
        open == '[' || text_.substr(k, group->end - k).find('@') != std::string_view::npos;
    if (group->inner != GroupInner::kDot &&
        !(group->inner == GroupInner::kAt && square_or_symbol)) {
      return i;
    }
    size_t end = group->end;
    for (int s = 0; s < 3 && end < text_.size() && IsBlank(At(end)); ++s) ++end;
    if (!IsLabelEdge(At(end))) return i;
    if (group->inner == GroupInner::kDot && !SpacedDotContinuesHost(end)) return i;
    Replace(i, end, group->inner == GroupInner::kDot ? "." : "@");
    return end;
  }

  bool EndsWordChain(size_t j) const {
    unsigned char after = At(j);
    if (after <= ' ' || after == 0x7f) return true;
    switch (after) {
      case ',':
      case ';':
      case '!':
      case '?':
      case '"':
      case '\'':
      case ')':
      case ']':
      case '}':
      case '>':
        return true;
      case '.': {
        unsigned char next = At(j + 1);
        return !IsWordChar(next) && next != '[' && next != '(' && next != '{' && next != '\\';
      }
      default:
        return false;
    }
  }

  // After "word [.] ", the label at `begin` must look like the rest of a host name
  // (a TLD, digits after digits, or followed by another dot) so that prose such as
  // "match [.] anywhere" stays as it is.
  bool SpacedDotContinuesHost(size_t begin) const {
    size_t end = begin;
    bool digits = true;
    while (end < text_.size() && (IsAlnum(At(end)) || At(end) == '-')) {
      digits = digits && IsDigit(At(end));
      ++end;
    }
    if (digits && IsDigit(Prev())) return true;
    unsigned char after = At(end);
    if (after == '.' || after == '[' || after == '(' || after == '{') return true;
    // An escaped dot the escape rule will turn into '.' (keeps Refang idempotent).
    if (after == '\\' && At(end + 1) == '.' && IsLabelEdge(At(end + 2))) return true;
    if (IsBlank(after)) {
      size_t k = end;
      while (k < text_.size() && IsBlank(At(k))) ++k;
      if (At(k) == '[' || At(k) == '(' || At(k) == '{') return true;
      // "x [.] www dot example dot com": the chain would become "www.example.com".
      std::string chain;
      if (ParseWordChain(begin, &chain) != begin) return true;
    }
    std::string_view label = text_.substr(begin, end - begin);
    for (char ch : label) {
      if (!IsAlpha(static_cast<unsigned char>(ch))) return false;
    }
    return IsKnownTld(label);
  }

  // "example\.com" (regex-escaped dots).
  size_t TryEscapedDot(size_t i) {
    if (At(i + 1) == '.' && IsHostChar(Prev()) && IsLabelEdge(At(i + 2))) {
      Replace(i, i + 2, ".");
      return i + 2;
    }
    return i;
  }

  std::string_view text_;
  std::vector<detail::RefangEdit>* edits_;
  std::string& out_;
  bool changed_ = false;
};

// Replaces every '.' preceded by a host character with "[.]" (a wildcard's "*." is
// kept so that the result refangs back).
std::string DefangDots(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '.' && i > 0 && IsHostChar(static_cast<unsigned char>(text[i - 1])) &&
        i + 1 < text.size() && IsLabelEdge(static_cast<unsigned char>(text[i + 1]))) {
      out += "[.]";
    } else {
      out += text[i];
    }
  }
  return out;
}

// "198.51.100.7" -> "198.51.100[.]7"; "198.51.100.0/24" -> "198.51.100[.]0/24".
std::string DefangLastDot(std::string_view text) {
  size_t dot = text.rfind('.');
  if (dot == std::string_view::npos) return std::string(text);
  std::string out(text.substr(0, dot));
  out += "[.]";
  out.append(text.substr(dot + 1));
  return out;
}

bool IsDottedQuad(std::string_view host) {
  int dots = 0;
  for (char c : host) {
    if (c == '.') {
      ++dots;
    } else if (!IsDigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return dots == 3;
}

std::string DefangUrl(std::string_view url) {
  size_t separator = url.find("://");
  if (separator == std::string_view::npos) return std::string(url);
  std::string scheme(url.substr(0, separator));
  std::string lower;
  for (char c : scheme) lower += Lower(c);
  // Other schemes are not clickable; their separator is kept (Refang only reads
  // "[://]" after a host character).
  std::string_view separator_text = "[://]";
  if (lower == "http") {
    scheme = "hxxp";
  } else if (lower == "https") {
    scheme = "hxxps";
  } else if (lower == "ftp") {
    scheme = "fxp";
  } else if (lower == "ftps") {
    scheme = "fxps";
  } else if (lower == "sftp") {
    scheme = "sfxp";
  } else {
    separator_text = "://";
  }
  size_t authority_begin = separator + 3;
  size_t authority_end = url.find_first_of("/?#", authority_begin);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  std::string_view authority = url.substr(authority_begin, authority_end - authority_begin);
  size_t at = authority.rfind('@');
  size_t host_begin = at == std::string_view::npos ? 0 : at + 1;
  std::string_view host_and_port = authority.substr(host_begin);
  size_t host_size = host_and_port.size();
  if (!host_and_port.empty() && host_and_port.front() != '[') {
    size_t colon = host_and_port.rfind(':');
    if (colon != std::string_view::npos) host_size = colon;
  }
  std::string_view host = host_and_port.substr(0, host_size);
  std::string out = scheme;
  out.append(separator_text);
  out.append(authority.substr(0, host_begin));
  out += IsDottedQuad(host) ? DefangLastDot(host) : DefangDots(host);
  out.append(host_and_port.substr(host_size));
  out.append(url.substr(authority_end));
  return out;
}

}  // namespace

namespace detail {

std::string RefangWithEdits(std::string_view text, std::vector<RefangEdit>* edits) {
  std::string out;
  Refanger(text, edits, &out).Run();
  return out;
}

}  // namespace detail

namespace {

// Every rule starts at '[', '(', '{', '\\' or a blank, or rewrites a scheme word
// with "xx" or "fx" in it (hxxp, fxp, sfxp): text with none of these is never
// changed, and most observables are such text. A quick scan saves the full pass.
bool MayBeDefanged(std::string_view text) {
  // 1: a rule starts here; 2: 'x' or 'X', a rule if the byte before is x or f.
  static constexpr std::array<uint8_t, 256> kTrigger = [] {
    std::array<uint8_t, 256> t{};
    for (unsigned char c : {'[', '(', '{', '\\', ' ', '\t'}) t[c] = 1;
    t['x'] = t['X'] = 2;
    return t;
  }();
  for (size_t i = 0; i < text.size(); ++i) {
    uint8_t trigger = kTrigger[static_cast<unsigned char>(text[i])];
    if (trigger == 0) continue;
    if (trigger == 1) return true;
    if (i > 0 && ((text[i - 1] | 0x20) == 'x' || (text[i - 1] | 0x20) == 'f')) return true;
  }
  return false;
}

}  // namespace

std::string Refang(std::string_view text) {
  if (!MayBeDefanged(text)) return std::string(text);
  return detail::RefangWithEdits(text, nullptr);
}

bool LooksDefanged(std::string_view text) {
  if (!MayBeDefanged(text)) return false;
  std::string out;
  Refanger refanger(text, nullptr, &out);
  refanger.Run();
  return refanger.changed();
}

namespace detail {

bool RefangIfDefanged(std::string_view text, std::string* out) {
  if (!MayBeDefanged(text)) return false;
  Refanger refanger(text, nullptr, out);
  refanger.Run();
  return refanger.changed();
}

}  // namespace detail

namespace {

std::string DefangOnce(const Observable& observable) {
  const std::string& value = observable.value;
  switch (observable.kind) {
    case Kind::kUrl:
      return DefangUrl(value);
    case Kind::kDomain:
      return DefangDots(value);
    case Kind::kIpv4:
    case Kind::kIpv4Network:
      return DefangLastDot(value);
    case Kind::kEmail: {
      size_t at = value.rfind('@');
      if (at == std::string::npos) return value;
      return value.substr(0, at) + "[@]" + DefangDots(std::string_view(value).substr(at + 1));
    }
    default:
      return value;
  }
}

}  // namespace

std::string Defang(const Observable& observable) {
  std::string defanged = DefangOnce(observable);
  // Unusual canonical values (a local part ending in '(', say) could defang into
  // something Refang reads differently; those are shown as they are.
  if (defanged != observable.value && Refang(defanged) != observable.value) {
    return observable.value;
  }
  return defanged;
}

}  // namespace tessera::normalize
