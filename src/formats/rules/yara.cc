// YARA rule files: a hand-written scanner that knows the rule grammar well
// enough to cut a file into rules (strings, regular expressions, hex strings and
// comments may hold braces), check each rule as YARA's compiler would (sections,
// string definitions and uses, modules imported, duplicate names), and map it to
// one indicator. A broken rule is rejected with its line; the scan resumes at the
// next line that starts a rule.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/json.h"
#include "formats/line_index.h"
#include "formats/rules/readers.h"
#include "formats/rules/rule_common.h"
#include "formats/stix_build.h"
#include "formats/strings.h"
#include "normalize/classify.h"
#include "normalize/filename.h"
#include "normalize/stix_mapping.h"

namespace tessera::formats::rules {
namespace {

using core::Json;

constexpr std::string_view kFormat = "yara";
// YARA's own limit on strings per rule; meta entries get the same bound.
constexpr size_t kMaxStrings = 10000;
constexpr size_t kMaxMeta = 10000;

constexpr std::string_view kKeywords[] = {
    "all",        "and",       "any",         "ascii",      "at",         "base64",
    "base64wide", "condition", "contains",    "defined",    "endswith",   "entrypoint",
    "false",      "filesize",  "for",         "fullword",   "global",     "icontains",
    "iendswith",  "iequals",   "import",      "in",         "include",    "int16",
    "int16be",    "int32",     "int32be",     "int8",       "int8be",     "istartswith",
    "matches",    "meta",      "nocase",      "none",       "not",        "of",
    "or",         "private",   "rule",        "startswith", "strings",    "them",
    "true",       "uint16",    "uint16be",    "uint32",     "uint32be",   "uint8",
    "uint8be",    "wide",      "xor",         "with",
};

// Modules YARA ships; a condition that uses one must import it.
constexpr std::string_view kModules[] = {"pe",     "elf",   "math",  "hash", "cuckoo",
                                         "magic",  "dotnet", "time", "console", "string",
                                         "lnk",    "macho", "dex",   "vt",   "tests"};

bool IsKeyword(std::string_view s) {
  return std::find(std::begin(kKeywords), std::end(kKeywords), s) != std::end(kKeywords);
}
bool IsModule(std::string_view s) {
  return std::find(std::begin(kModules), std::end(kModules), s) != std::end(kModules);
}
bool IdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool HexDigit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

struct MetaEntry {
  std::string key;
  Json value;
};

struct StringDef {
  std::string id;  // "$a", or "$" for an anonymous string
  size_t pos = 0;
};

struct Rule {
  size_t begin = 0;
  size_t end = 0;
  std::vector<std::string> modifiers;
  std::string name;
  std::vector<std::string> tags;
  std::vector<MetaEntry> meta;
  std::vector<StringDef> strings;
  std::vector<std::string> modules;  // modules the condition uses, in order of use
  std::string comments;              // comments between the previous item and the rule
};

struct SyntaxError {
  size_t pos = 0;
  std::string message;
};

class YaraScanner {
 public:
  explicit YaraScanner(std::string_view text) : text_(text), lines_(text) {}

  uint64_t LineOf(size_t pos) const { return lines_.LineOf(pos); }

  size_t pos() const { return pos_; }
  bool AtEnd() const { return pos_ >= text_.size(); }
  std::string_view text() const { return text_; }

  // Skips blanks and comments; collects comment text when `comments` is given.
  bool SkipTrivia(std::string* comments = nullptr) {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
        ++pos_;
      } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
        size_t end = text_.find('\n', pos_);
        if (end == std::string_view::npos) end = text_.size();
        if (comments != nullptr) AppendComment(comments, text_.substr(pos_, end - pos_));
        pos_ = end;
      } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
        size_t end = text_.find("*/", pos_ + 2);
        if (end == std::string_view::npos) return Fail(pos_, "unterminated /* comment");
        if (comments != nullptr) AppendComment(comments, text_.substr(pos_, end + 2 - pos_));
        pos_ = end + 2;
      } else {
        break;
      }
    }
    return true;
  }

  std::string_view PeekIdent() const {
    if (pos_ >= text_.size() || !IdentStart(text_[pos_])) return {};
    size_t end = pos_ + 1;
    while (end < text_.size() && IdentChar(text_[end])) ++end;
    return text_.substr(pos_, end - pos_);
  }

  std::string_view TakeIdent() {
    std::string_view id = PeekIdent();
    pos_ += id.size();
    return id;
  }

  bool Expect(char c, std::string_view what) {
    if (!SkipTrivia()) return false;
    if (pos_ >= text_.size() || text_[pos_] != c) {
      return Fail(pos_, "expected " + std::string(what) + Found());
    }
    ++pos_;
    return true;
  }

  // "..." with YARA's escapes; *value gets the unescaped text.
  bool QuotedString(std::string* value) {
    size_t start = pos_;
    ++pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c == '\n') break;
      if (c == '\\') {
        if (pos_ + 1 >= text_.size()) break;
        char e = text_[pos_ + 1];
        switch (e) {
          case '"': value->push_back('"'); pos_ += 2; continue;
          case '\\': value->push_back('\\'); pos_ += 2; continue;
          case 'n': value->push_back('\n'); pos_ += 2; continue;
          case 't': value->push_back('\t'); pos_ += 2; continue;
          case 'r': value->push_back('\r'); pos_ += 2; continue;
          case 'x':
            if (pos_ + 3 < text_.size() && HexDigit(text_[pos_ + 2]) && HexDigit(text_[pos_ + 3])) {
              value->push_back(static_cast<char>(
                  std::stoi(std::string(text_.substr(pos_ + 2, 2)), nullptr, 16)));
              pos_ += 4;
              continue;
            }
            return Fail(pos_, "\\x in a string needs two hex digits");
          default: return Fail(pos_, std::string("illegal escape sequence \\") + e + " in a string");
        }
      }
      value->push_back(c);
      ++pos_;
    }
    return Fail(start, "unterminated string");
  }

  bool Regex() {
    size_t start = pos_;
    ++pos_;
    bool empty = true;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '\n') break;
      if (c == '\\') {
        pos_ += 2;
        empty = false;
        continue;
      }
      if (c == '/') {
        ++pos_;
        if (empty) return Fail(start, "empty regular expression");
        while (pos_ < text_.size() && (text_[pos_] == 'i' || text_[pos_] == 's')) ++pos_;
        return true;
      }
      empty = false;
      ++pos_;
    }
    return Fail(start, "unterminated regular expression");
  }

  bool HexString() {
    size_t start = pos_;
    ++pos_;
    int alternatives = 0;
    size_t bytes = 0;
    while (true) {
      if (!SkipTrivia()) return false;
      if (pos_ >= text_.size()) return Fail(start, "unterminated hex string");
      char c = text_[pos_];
      if (c == '}') {
        if (alternatives != 0) return Fail(pos_, "unbalanced ( in hex string");
        if (bytes == 0) return Fail(start, "empty hex string");
        ++pos_;
        return true;
      }
      if (c == '~') {
        ++pos_;
        if (pos_ >= text_.size() || !(HexDigit(text_[pos_]) || text_[pos_] == '?')) {
          return Fail(pos_, "~ in a hex string must precede a byte");
        }
        continue;
      }
      if (HexDigit(c) || c == '?') {
        if (pos_ + 1 >= text_.size() || !(HexDigit(text_[pos_ + 1]) || text_[pos_ + 1] == '?')) {
          return Fail(pos_, "odd number of hex digits in hex string");
        }
        pos_ += 2;
        ++bytes;
        continue;
      }
      if (c == '[') {
        size_t jump = pos_;
        ++pos_;
        auto number = [&](std::optional<uint64_t>* out) {
          while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
          size_t b = pos_;
          uint64_t v = 0;
          while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
            v = std::min<uint64_t>(v * 10 + static_cast<uint64_t>(text_[pos_] - '0'), 1u << 30);
            ++pos_;
          }
          if (pos_ > b) *out = v;
          while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
        };
        std::optional<uint64_t> low;
        std::optional<uint64_t> high;
        number(&low);
        bool range = pos_ < text_.size() && text_[pos_] == '-';
        if (range) {
          ++pos_;
          number(&high);
        }
        if (pos_ >= text_.size() || text_[pos_] != ']') return Fail(jump, "bad jump in hex string");
        ++pos_;
        if (!range && !low) return Fail(jump, "empty jump in hex string");
        if (low && high && *low > *high) return Fail(jump, "jump range in hex string is reversed");
        continue;
      }
      if (c == '(') {
        ++alternatives;
        ++pos_;
        continue;
      }
      if (c == '|') {
        if (alternatives == 0) return Fail(pos_, "| outside ( ) in hex string");
        ++pos_;
        continue;
      }
      if (c == ')') {
        if (alternatives == 0) return Fail(pos_, "unbalanced ) in hex string");
        --alternatives;
        ++pos_;
        continue;
      }
      return Fail(pos_, std::string("unexpected '") + c + "' in hex string");
    }
  }

  bool Fail(size_t pos, std::string message) {
    if (!error_) error_ = SyntaxError{pos, std::move(message)};
    return false;
  }
  const std::optional<SyntaxError>& error() const { return error_; }
  void ClearError() { error_.reset(); }
  void Seek(size_t pos) { pos_ = pos; }

  std::string Found() const {
    if (pos_ >= text_.size()) return ", found the end of the file";
    std::string_view id = PeekIdent();
    if (!id.empty()) return ", found '" + std::string(id.substr(0, 40)) + "'";
    return std::string(", found '") + text_[pos_] + "'";
  }

 private:
  static void AppendComment(std::string* comments, std::string_view text) {
    if (!comments->empty()) comments->push_back('\n');
    comments->append(text);
  }

  std::string_view text_;
  size_t pos_ = 0;
  LineIndex lines_;
  std::optional<SyntaxError> error_;
};

class YaraParser {
 public:
  explicit YaraParser(YaraScanner* s) : s_(*s) {}

  bool ParseRule(Rule* rule) {
    rule->begin = s_.pos();
    while (true) {
      std::string_view id = s_.PeekIdent();
      if (id == "private" || id == "global") {
        if (std::find(rule->modifiers.begin(), rule->modifiers.end(), id) != rule->modifiers.end()) {
          return s_.Fail(s_.pos(), "duplicated modifier '" + std::string(id) + "'");
        }
        rule->modifiers.emplace_back(s_.TakeIdent());
        if (!s_.SkipTrivia()) return false;
        continue;
      }
      break;
    }
    if (s_.PeekIdent() != "rule") return s_.Fail(s_.pos(), "expected 'rule'" + s_.Found());
    s_.TakeIdent();
    if (!s_.SkipTrivia()) return false;
    size_t name_pos = s_.pos();
    std::string_view name = s_.TakeIdent();
    if (name.empty()) return s_.Fail(name_pos, "expected a rule name" + s_.Found());
    if (IsKeyword(name)) {
      return s_.Fail(name_pos, "'" + std::string(name) + "' is a keyword, not a rule name");
    }
    if (name.size() > 128) return s_.Fail(name_pos, "rule name longer than 128 characters");
    rule->name = std::string(name);
    if (!s_.SkipTrivia()) return false;
    if (Peek() == ':') {
      s_.Seek(s_.pos() + 1);
      while (true) {
        if (!s_.SkipTrivia()) return false;
        std::string_view tag = s_.TakeIdent();
        if (tag.empty()) break;
        if (IsKeyword(tag)) return s_.Fail(s_.pos() - tag.size(), "'" + std::string(tag) + "' is a keyword, not a tag");
        if (std::find(rule->tags.begin(), rule->tags.end(), tag) != rule->tags.end()) {
          return s_.Fail(s_.pos() - tag.size(), "duplicated tag '" + std::string(tag) + "'");
        }
        rule->tags.emplace_back(tag);
      }
      if (rule->tags.empty()) return s_.Fail(s_.pos(), "expected tags after ':'" + s_.Found());
    }
    if (!s_.Expect('{', "'{' to open the rule")) return false;
    if (!s_.SkipTrivia()) return false;
    if (SectionStart("meta") && !ParseMeta(rule)) return false;
    if (SectionStart("strings") && !ParseStrings(rule)) return false;
    if (!SectionStart("condition")) {
      if (s_.PeekIdent() == "meta" || s_.PeekIdent() == "strings") {
        return s_.Fail(s_.pos(), "sections out of order: meta, strings, then condition");
      }
      return s_.Fail(s_.pos(), "rule has no condition section" + s_.Found());
    }
    if (!ParseCondition(rule)) return false;
    rule->end = s_.pos();
    return true;
  }

 private:
  char Peek() const { return s_.AtEnd() ? '\0' : s_.text()[s_.pos()]; }

  // At `name` followed by ':'? Consumes both when so.
  bool SectionStart(std::string_view name) {
    if (s_.PeekIdent() != name) return false;
    size_t save = s_.pos();
    s_.TakeIdent();
    if (!s_.SkipTrivia()) return false;
    if (Peek() != ':') {
      s_.Seek(save);
      return false;
    }
    s_.Seek(s_.pos() + 1);
    return true;
  }

  bool AtSection() {
    std::string_view id = s_.PeekIdent();
    if (id != "strings" && id != "condition" && id != "meta") return false;
    size_t save = s_.pos();
    s_.TakeIdent();
    bool colon = s_.SkipTrivia() && Peek() == ':';
    s_.Seek(save);
    return colon;
  }

  bool ParseMeta(Rule* rule) {
    while (true) {
      if (!s_.SkipTrivia()) return false;
      if (AtSection() || Peek() == '}') break;
      size_t key_pos = s_.pos();
      std::string_view key = s_.TakeIdent();
      if (key.empty()) return s_.Fail(key_pos, "expected a meta identifier" + s_.Found());
      if (!s_.Expect('=', "'=' after meta '" + std::string(key) + "'")) return false;
      if (!s_.SkipTrivia()) return false;
      MetaEntry entry{std::string(key), Json()};
      char c = Peek();
      if (c == '"') {
        std::string value;
        if (!s_.QuotedString(&value)) return false;
        entry.value = Json::String(std::move(value));
      } else if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
        size_t b = s_.pos();
        size_t e = b + (c == '-' ? 1 : 0);
        std::string_view t = s_.text();
        int base = 10;
        if (e + 1 < t.size() && t[e] == '0' && (t[e + 1] == 'x' || t[e + 1] == 'X')) {
          base = 16;
          e += 2;
        }
        size_t digits = e;
        while (e < t.size() && (base == 16 ? HexDigit(t[e]) : std::isdigit(static_cast<unsigned char>(t[e])) != 0)) ++e;
        if (e == digits || e - digits > 15) {
          return s_.Fail(b, "bad number in meta '" + entry.key + "'");
        }
        long long v = std::stoll(std::string(t.substr(digits, e - digits)), nullptr, base);
        entry.value = Json::Int(c == '-' ? -v : v);
        s_.Seek(e);
      } else if (s_.PeekIdent() == "true" || s_.PeekIdent() == "false") {
        entry.value = Json::Bool(s_.TakeIdent() == "true");
      } else {
        return s_.Fail(s_.pos(), "meta '" + entry.key + "' needs a string, number or boolean" +
                                     s_.Found());
      }
      rule->meta.push_back(std::move(entry));
      if (rule->meta.size() > kMaxMeta) return s_.Fail(key_pos, "more than 10000 meta entries in a rule");
    }
    return true;
  }

  bool ParseStrings(Rule* rule) {
    size_t count = 0;
    while (true) {
      if (!s_.SkipTrivia()) return false;
      if (AtSection() || Peek() == '}') break;
      size_t id_pos = s_.pos();
      if (Peek() != '$') return s_.Fail(id_pos, "expected a string identifier ($name)" + s_.Found());
      s_.Seek(id_pos + 1);
      std::string id = "$" + std::string(s_.TakeIdent());
      if (id != "$" && !names_.insert(id).second) {
        return s_.Fail(id_pos, "duplicated string identifier " + id);
      }
      if (!s_.Expect('=', "'=' after " + id)) return false;
      if (!s_.SkipTrivia()) return false;
      char c = Peek();
      enum class Kind { kText, kRegex, kHex } kind;
      if (c == '"') {
        std::string value;
        if (!s_.QuotedString(&value)) return false;
        if (value.empty()) return s_.Fail(id_pos, "empty string " + id);
        kind = Kind::kText;
      } else if (c == '/') {
        if (!s_.Regex()) return false;
        kind = Kind::kRegex;
      } else if (c == '{') {
        if (!s_.HexString()) return false;
        kind = Kind::kHex;
      } else {
        return s_.Fail(s_.pos(), "expected a string, regular expression or hex string for " + id +
                                     s_.Found());
      }
      // Modifiers.
      std::vector<std::string_view> seen;
      while (true) {
        size_t save = s_.pos();
        if (!s_.SkipTrivia()) return false;
        std::string_view mod = s_.PeekIdent();
        static constexpr std::string_view kMods[] = {"nocase", "wide",   "ascii",  "fullword",
                                                     "private", "xor",   "base64", "base64wide"};
        if (std::find(std::begin(kMods), std::end(kMods), mod) == std::end(kMods)) {
          s_.Seek(save);
          break;
        }
        size_t mod_pos = s_.pos();
        s_.TakeIdent();
        if (std::find(seen.begin(), seen.end(), mod) != seen.end()) {
          return s_.Fail(mod_pos, "duplicated modifier '" + std::string(mod) + "' on " + id);
        }
        seen.push_back(mod);
        if (kind == Kind::kHex && mod != "private") {
          return s_.Fail(mod_pos, "modifier '" + std::string(mod) + "' is not allowed on hex string " + id);
        }
        if (kind == Kind::kRegex && (mod == "xor" || mod == "base64" || mod == "base64wide")) {
          return s_.Fail(mod_pos, "modifier '" + std::string(mod) + "' is not allowed on regular expression " + id);
        }
        // xor(1) / xor(1-255) / base64("alphabet")
        size_t after = s_.pos();
        if (!s_.SkipTrivia()) return false;
        if (Peek() == '(' && (mod == "xor" || mod == "base64" || mod == "base64wide")) {
          size_t close = s_.text().find(')', s_.pos());
          size_t eol = s_.text().find('\n', s_.pos());
          if (close == std::string_view::npos || (eol != std::string_view::npos && eol < close)) {
            return s_.Fail(s_.pos(), "unclosed ( after modifier '" + std::string(mod) + "'");
          }
          s_.Seek(close + 1);
        } else {
          s_.Seek(after);
        }
      }
      rule->strings.push_back({id, id_pos});
      if (++count > kMaxStrings) return s_.Fail(id_pos, "more than 10000 strings in a rule");
    }
    if (count == 0) return s_.Fail(s_.pos(), "empty strings section");
    return true;
  }

  bool ParseCondition(Rule* rule) {
    std::vector<char> open;  // '(' and '['
    bool any_token = false;
    bool uses_them = false;
    std::string previous;  // previous identifier (for "matches", "for")
    std::vector<std::pair<std::string, size_t>> refs;  // "$a", "$a*"
    std::unordered_set<std::string> loop_vars;
    bool in_for_header = false;
    std::string_view t = s_.text();
    while (true) {
      if (!s_.SkipTrivia()) return false;
      if (s_.AtEnd()) return s_.Fail(rule->begin, "rule is not closed with '}'");
      size_t p = s_.pos();
      char c = t[p];
      if (c == '}') {
        if (!open.empty()) {
          return s_.Fail(p, std::string("unbalanced '") + open.back() + "' in condition");
        }
        if (!any_token) return s_.Fail(p, "empty condition");
        s_.Seek(p + 1);
        break;
      }
      any_token = true;
      if (c == '{') return s_.Fail(p, "unexpected '{' in condition");
      if (c == '"') {
        std::string ignored;
        if (!s_.QuotedString(&ignored)) return false;
        previous.clear();
        continue;
      }
      if (c == '/') {
        if (!s_.Regex()) return false;
        previous.clear();
        continue;
      }
      if (c == '(' || c == '[') {
        open.push_back(c);
        s_.Seek(p + 1);
        continue;
      }
      if (c == ')' || c == ']') {
        char want = c == ')' ? '(' : '[';
        if (open.empty() || open.back() != want) {
          return s_.Fail(p, std::string("unbalanced '") + c + "' in condition");
        }
        open.pop_back();
        s_.Seek(p + 1);
        continue;
      }
      if (c == '$' || c == '#' || c == '@' || (c == '!' && p + 1 < t.size() && t[p + 1] != '=')) {
        size_t q = p + 1;
        while (q < t.size() && IdentChar(t[q])) ++q;
        std::string name = "$" + std::string(t.substr(p + 1, q - p - 1));
        bool wildcard = q < t.size() && t[q] == '*';
        if (wildcard) ++q;
        if (name != "$" || wildcard) refs.emplace_back(wildcard ? name + "*" : name, p);
        s_.Seek(q);
        previous.clear();
        continue;
      }
      if (IdentStart(c)) {
        std::string_view id = s_.TakeIdent();
        bool after_dot = p > 0 && t[p - 1] == '.';
        if (id == "them") uses_them = true;
        if (id == "for") in_for_header = true;
        if (in_for_header && (id == "in" || id == "of")) in_for_header = false;
        if (in_for_header && id != "for" && id != "any" && id != "all" && id != "none") {
          loop_vars.insert(std::string(id));
        }
        if (previous == "with") loop_vars.insert(std::string(id));
        if (!after_dot && s_.pos() < t.size() && t[s_.pos()] == '.' && IsModule(id) &&
            loop_vars.count(std::string(id)) == 0) {
          if (std::find(rule->modules.begin(), rule->modules.end(), id) == rule->modules.end()) {
            rule->modules.emplace_back(id);
          }
        }
        previous = std::string(id);
        continue;
      }
      s_.Seek(p + 1);
    }
    // String definitions and uses (YARA refuses undefined and unused strings).
    std::unordered_map<std::string, size_t> by_name;
    for (size_t i = 0; i < rule->strings.size(); ++i) by_name.emplace(rule->strings[i].id, i);
    std::vector<bool> used(rule->strings.size(), uses_them);
    std::unordered_set<std::string> done;
    for (const auto& [ref, pos] : refs) {
      if (!done.insert(ref).second) continue;
      if (done.size() > kMaxStrings) return s_.Fail(pos, "condition uses too many distinct strings");
      bool found = false;
      if (ref.back() == '*') {
        std::string_view prefix(ref.data(), ref.size() - 1);
        for (size_t i = 0; i < rule->strings.size(); ++i) {
          const std::string& id = rule->strings[i].id;
          if (id != "$" || prefix == "$") {
            if (std::string_view(id).substr(0, prefix.size()) == prefix) {
              used[i] = true;
              found = true;
            }
          }
        }
      } else if (auto it = by_name.find(ref); it != by_name.end()) {
        used[it->second] = true;
        found = true;
      }
      if (!found) return s_.Fail(pos, "condition uses undefined string " + ref);
    }
    for (size_t i = 0; i < rule->strings.size(); ++i) {
      if (used[i]) continue;
      const StringDef& d = rule->strings[i];
      return s_.Fail(d.pos, d.id == "$" ? "anonymous string is not used (use 'them' or $*)"
                                        : "string " + d.id + " is not used in the condition");
    }
    return true;
  }

  YaraScanner& s_;
  std::unordered_set<std::string> names_;
};

// The offset of the next line (after `from`) whose first word starts a rule,
// an import or an include; the end of the text when none does.
size_t NextItemLine(std::string_view text, size_t from) {
  size_t pos = text.find('\n', from);
  while (pos != std::string_view::npos) {
    size_t start = pos + 1;
    size_t i = start;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    size_t e = i;
    while (e < text.size() && IdentChar(text[e])) ++e;
    std::string_view word = text.substr(i, e - i);
    if (word == "rule" || word == "private" || word == "global" || word == "import" ||
        word == "include") {
      return start;
    }
    pos = text.find('\n', start);
  }
  return text.size();
}

std::string KeyLower(std::string_view key) { return Lower(key); }

bool IsReferenceKey(const std::string& k) {
  return k.rfind("reference", 0) == 0 || k == "ref" || k.rfind("url", 0) == 0 || k == "link" ||
         k.rfind("report", 0) == 0;
}
bool IsHashKey(const std::string& k) {
  return k.rfind("hash", 0) == 0 || k == "md5" || k == "sha1" || k == "sha256" || k == "sha512" ||
         k.rfind("sample", 0) == 0;
}

std::vector<std::string_view> SplitList(std::string_view text) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ',' || text[i] == ';' || text[i] == ' ' || text[i] == '\t' ||
                               text[i] == '\n' || text[i] == '\r')) {
      ++i;
    }
    size_t b = i;
    while (i < text.size() && !(text[i] == ',' || text[i] == ';' || text[i] == ' ' ||
                                text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) {
      ++i;
    }
    if (i > b) out.push_back(text.substr(b, i - b));
  }
  return out;
}

struct FileContext {
  std::vector<std::string> imports;
  std::vector<std::string> includes;
  std::unordered_set<std::string> rule_names;
  std::string comments;  // comments before imports and includes: the file's own
  MarkingTracker markings;
};

void EmitRule(const Rule& rule, const YaraScanner& scanner, FileContext* file, const Input& input,
              const ReadContext& context, uint64_t index, Sink& sink) {
  std::string_view text = scanner.text();
  std::string pattern;
  std::vector<std::string> needed;
  for (const std::string& imp : file->imports) {
    if (std::find(rule.modules.begin(), rule.modules.end(), imp) != rule.modules.end()) {
      pattern += "import \"" + imp + "\"\n";
      needed.push_back(imp);
    }
  }
  if (!pattern.empty()) pattern += '\n';
  pattern.append(text.substr(rule.begin, rule.end - rule.begin));

  Record record;
  record.format = kFormat;
  record.position.file = input.name();
  record.position.line = scanner.LineOf(rule.begin);
  record.position.byte_offset = rule.begin;
  record.position.record = index;

  std::string created = context.now;
  std::optional<std::string> modified;
  std::string description;
  std::string author;
  std::optional<stix::TlpLevel> tlp;
  std::vector<Json> references;
  std::vector<normalize::Observable> hashes;
  // Meta as an object; a key written several times (hash lines) keeps every
  // value, as a list.
  Json meta = Json::MakeObject();
  std::unordered_map<std::string, size_t> counts;
  for (const MetaEntry& m : rule.meta) ++counts[m.key];
  for (const MetaEntry& m : rule.meta) {
    if (counts[m.key] == 1) {
      meta.Set(m.key, m.value);
    } else if (Json* list = meta.Find(m.key)) {
      list->as_array().push_back(m.value);
    } else {
      meta.Set(m.key, Json::MakeArray({m.value}));
    }
  }
  bool dated = false;
  for (const MetaEntry& m : rule.meta) {
    if (!m.value.is_string()) continue;
    const std::string& v = m.value.as_string();
    std::string k = KeyLower(m.key);
    if (description.empty() && (k == "description" || k == "desc" || k == "info")) {
      description = v;
    } else if (!dated && (k == "date" || k == "created" || k == "creation_date" || k == "created_at")) {
      if (auto d = RuleDate(v)) {
        created = *d;
        dated = true;
      } else {
        record.notes.push_back("meta " + m.key + " '" + v + "' is not a date; created is the read time");
      }
    } else if (!modified && (k == "modified" || k == "last_modified" || k == "updated" ||
                             k == "update" || k == "last_update" || k == "updated_at")) {
      modified = RuleDate(v);
      if (!modified) record.notes.push_back("meta " + m.key + " '" + v + "' is not a date");
    } else if (author.empty() && k == "author") {
      author = std::string(Trim(v));
    } else if (!tlp && (k == "tlp" || k == "sharing" || k == "tlp_level")) {
      tlp = TlpLevelFromText(v);
    } else if (IsReferenceKey(k)) {
      for (std::string_view item : SplitList(v)) {
        if (auto ref = ReferenceFromText(m.key, item); ref && ref->Find("url") != nullptr) {
          references.push_back(std::move(*ref));
        }
      }
      if (references.empty() || v.find_first_of(" \t") != std::string::npos) {
        if (auto ref = ReferenceFromText(m.key, v); ref && ref->Find("url") == nullptr) {
          references.push_back(std::move(*ref));
        }
      }
    } else if (IsHashKey(k)) {
      for (std::string_view item : SplitList(v)) {
        normalize::Classification c = normalize::Classify(item, context.normalize);
        if (c.kinds.size() != 1) continue;
        normalize::Kind kind = c.kinds[0];
        if (kind != normalize::Kind::kMd5 && kind != normalize::Kind::kSha1 &&
            kind != normalize::Kind::kSha256 && kind != normalize::Kind::kSha512 &&
            kind != normalize::Kind::kSsdeep && kind != normalize::Kind::kTlsh) {
          continue;
        }
        auto o = normalize::NormalizeAs(kind, item, context.normalize);
        if (o.ok()) hashes.push_back(std::move(*o));
      }
    }
  }
  Json indicator = NewIndicator(pattern, "yara", created);
  if (tlp) file->markings.Mark(&record, &indicator, *tlp);
  if (modified && *modified >= created) {
    indicator.Set("modified", Json::String(*modified));
  } else if (modified) {
    record.notes.push_back("modified date is before the creation date; modified = created");
  }
  indicator.Set("name", Json::String(rule.name));
  if (!description.empty()) indicator.Set("description", Json::String(description));
  for (const std::string& tag : rule.tags) AddToList(&indicator, "labels", tag);
  if (!author.empty()) {
    Json identity = AuthorIdentity(author, context.now);
    indicator.Set("created_by_ref", *identity.Find("id"));
    record.Add(identity);
  }
  for (Json& ref : references) AddExternalReference(&indicator, std::move(ref));
  Json fields = Json::MakeObject();
  if (!rule.modifiers.empty()) {
    Json mods = Json::MakeArray();
    for (const std::string& m : rule.modifiers) mods.as_array().push_back(Json::String(m));
    fields.Set("modifiers", std::move(mods));
  }
  if (!rule.tags.empty()) {
    Json tags = Json::MakeArray();
    for (const std::string& t : rule.tags) tags.as_array().push_back(Json::String(t));
    fields.Set("tags", std::move(tags));
  }
  if (!meta.as_object().empty()) fields.Set("meta", std::move(meta));
  if (!file->imports.empty()) {
    Json imports = Json::MakeArray();
    for (const std::string& i : file->imports) imports.as_array().push_back(Json::String(i));
    fields.Set("imports", std::move(imports));
  }
  if (!file->includes.empty()) {
    Json includes = Json::MakeArray();
    for (const std::string& i : file->includes) includes.as_array().push_back(Json::String(i));
    fields.Set("includes", std::move(includes));
  }
  if (!rule.comments.empty()) fields.Set("comments", Json::String(rule.comments));
  if (!file->comments.empty()) fields.Set("file_comments", Json::String(file->comments));
  KeepSourceFields(&indicator, kFormat, std::move(fields));

  std::string indicator_id = indicator.Find("id")->as_string();
  std::vector<std::string> sco_ids;
  for (const normalize::Observable& o : hashes) {
    Json sco = normalize::ToStixObject(o);
    std::string id = sco.Find("id")->as_string();
    if (std::find(sco_ids.begin(), sco_ids.end(), id) != sco_ids.end()) continue;
    sco_ids.push_back(id);
    record.Add(sco);
    for (const std::string& note : o.notes) record.notes.push_back(note);
  }
  record.Add(indicator);
  for (const std::string& id : sco_ids) {
    record.Add(NewRelationship(indicator_id, "based-on", id, created));
  }
  sink.Accept(std::move(record));
}

void RejectAt(const Input& input, const YaraScanner& scanner, size_t begin, size_t end,
              size_t error_pos, const std::string& message, uint64_t index, Sink& sink) {
  Rejected rejected;
  rejected.format = kFormat;
  rejected.position.file = input.name();
  rejected.position.line = scanner.LineOf(begin);
  rejected.position.byte_offset = begin;
  rejected.position.record = index;
  rejected.reason = message;
  uint64_t error_line = scanner.LineOf(error_pos);
  if (error_line != rejected.position.line) rejected.reason += " (line " + std::to_string(error_line) + ")";
  rejected.SetRaw(scanner.text().substr(begin, end - begin));
  sink.Reject(std::move(rejected));
}

}  // namespace

Detection DetectYara(std::string_view head) {
  // A rule header at the start of a line: [private|global]* rule NAME [: tags] {
  size_t pos = 0;
  bool rule = false;
  while (pos < head.size() && !rule) {
    size_t eol = head.find('\n', pos);
    if (eol == std::string_view::npos) eol = head.size();
    std::string_view line = Trim(head.substr(pos, eol - pos));
    pos = eol + 1;
    while (line.rfind("private ", 0) == 0 || line.rfind("global ", 0) == 0) {
      line = Trim(line.substr(line.find(' ')));
    }
    if (line.rfind("rule ", 0) != 0 && line.rfind("rule\t", 0) != 0) continue;
    line = Trim(line.substr(5));
    size_t n = 0;
    while (n < line.size() && IdentChar(line[n])) ++n;
    if (n == 0 || !IdentStart(line[0])) continue;
    std::string_view rest = Trim(line.substr(n));
    if (rest.empty()) {
      // "{" on the next line.
      std::string_view next = Trim(head.substr(std::min(pos, head.size()), 8));
      rule = !next.empty() && next.front() == '{';
    } else {
      rule = rest.front() == '{' || rest.front() == ':';
    }
  }
  if (!rule) return {};
  if (head.find("condition") != std::string_view::npos &&
      (head.find("condition:") != std::string_view::npos ||
       head.find("condition :") != std::string_view::npos)) {
    return {85, "a YARA rule header ('rule NAME {') with a condition section"};
  }
  return {65, "a YARA rule header ('rule NAME {')"};
}

core::Status ReadYara(Input& input, const ReadContext& context, Sink& sink) {
  auto all = input.ReadAll();
  if (!all.ok()) return all.error();
  const std::string& text = *all;
  YaraScanner scanner(text);
  FileContext file;
  uint64_t index = 0;
  while (true) {
    std::string comments;
    scanner.ClearError();
    size_t before = scanner.pos();
    if (!scanner.SkipTrivia(&comments)) {
      RejectAt(input, scanner, before, text.size(), scanner.error()->pos, scanner.error()->message,
               index++, sink);
      break;
    }
    if (scanner.AtEnd()) break;
    size_t start = scanner.pos();
    std::string_view word = scanner.PeekIdent();
    if (word == "import" || word == "include") {
      scanner.TakeIdent();
      std::string value;
      bool ok = scanner.SkipTrivia() && !scanner.AtEnd() && text[scanner.pos()] == '"' &&
                scanner.QuotedString(&value);
      if (!ok || value.empty()) {
        size_t next = NextItemLine(text, start);
        std::string message = scanner.error() ? scanner.error()->message
                                              : std::string(word) + " needs a quoted name";
        RejectAt(input, scanner, start, next, start, message, index++, sink);
        scanner.Seek(next);
        continue;
      }
      if (!comments.empty() && file.comments.size() < kMaxRawBytes) {
        if (!file.comments.empty()) file.comments.push_back('\n');
        file.comments += comments;
      }
      auto& list = word == "import" ? file.imports : file.includes;
      if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
      continue;
    }
    if (word != "rule" && word != "private" && word != "global") {
      size_t next = NextItemLine(text, start);
      std::string found = word.empty() ? std::string(1, text[start]) : std::string(word.substr(0, 40));
      RejectAt(input, scanner, start, next, start,
               "expected a rule, an import or an include, found '" + found + "'", index++, sink);
      scanner.Seek(next);
      continue;
    }
    Rule rule;
    rule.comments = std::move(comments);
    YaraParser parser(&scanner);
    if (!parser.ParseRule(&rule)) {
      const SyntaxError& error = *scanner.error();
      size_t next = NextItemLine(text, std::max(error.pos, start));
      std::string message = rule.name.empty() ? error.message
                                              : "rule '" + rule.name + "': " + error.message;
      RejectAt(input, scanner, start, next, error.pos, message, index++, sink);
      scanner.Seek(next);
      continue;
    }
    if (!file.rule_names.insert(rule.name).second) {
      RejectAt(input, scanner, rule.begin, rule.end, rule.begin,
               "duplicated rule name '" + rule.name + "'", index++, sink);
      continue;
    }
    if (!normalize::detail::IsValidUtf8(
            std::string_view(text).substr(rule.begin, rule.end - rule.begin))) {
      RejectAt(input, scanner, rule.begin, rule.end, rule.begin,
               "rule '" + rule.name + "' is not valid UTF-8", index++, sink);
      continue;
    }
    std::string missing;
    for (const std::string& module : rule.modules) {
      if (std::find(file.imports.begin(), file.imports.end(), module) == file.imports.end()) {
        missing = module;
        break;
      }
    }
    if (!missing.empty()) {
      RejectAt(input, scanner, rule.begin, rule.end, rule.begin,
               "rule '" + rule.name + "': condition uses module '" + missing +
                   "' that the file does not import",
               index++, sink);
      continue;
    }
    EmitRule(rule, scanner, &file, input, context, index++, sink);
  }
  return {};
}

}  // namespace tessera::formats::rules
