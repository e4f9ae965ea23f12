#include "normalize/public_suffix.h"

#include <idn2.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace tessera::normalize {
namespace {

constexpr const char* kSystemList = "/usr/share/publicsuffix/public_suffix_list.dat";

// List rules are Unicode for IDN suffixes; names here are A-labels.
bool ToAscii(const std::string& rule, std::string* out) {
  bool ascii = true;
  for (char c : rule) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) {
    *out = rule;
    return true;
  }
  char* converted = nullptr;
  if (idn2_to_ascii_8z(rule.c_str(), &converted, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT) != IDN2_OK) {
    return false;
  }
  *out = converted;
  idn2_free(converted);
  return true;
}

}  // namespace

// Every rule in one flat open-addressing table: a key ("co.uk"; "*.ck" stored as
// "ck"; "!www.ck" as "www.ck") maps to what rules it is in. One probe per suffix
// of a name, with a cheap hash, and only the suffixes short enough for a rule to
// match are looked at.
struct PublicSuffixList::Tables {
  enum Flag : uint8_t { kExact = 1, kWildcard = 2, kException = 4 };
  struct Slot {
    uint64_t hash = 0;  // 0: empty
    uint32_t offset = 0;
    uint32_t length = 0;
    uint8_t flags = 0;
  };
  std::vector<Slot> slots;  // a power of two, at most half full
  std::string keys;         // every key, back to back
  size_t max_labels = 0;    // no suffix with more labels can match a rule

  static uint64_t Hash(std::string_view s) {
    uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    return h == 0 ? 1 : h;
  }

  void Build(const std::unordered_map<std::string, uint8_t>& rules) {
    size_t capacity = 16;
    while (capacity < rules.size() * 2) capacity *= 2;
    slots.assign(capacity, Slot{});
    for (const auto& [key, flags] : rules) {
      uint64_t h = Hash(key);
      size_t i = h & (capacity - 1);
      while (slots[i].hash != 0) i = (i + 1) & (capacity - 1);
      slots[i] = Slot{h, static_cast<uint32_t>(keys.size()), static_cast<uint32_t>(key.size()),
                      flags};
      keys += key;
      // A wildcard "*.ck" (key "ck") matches names one label longer than its key,
      // as does an exception ("!www.ck" makes "ck" the suffix of "www.ck").
      size_t labels = 1;
      for (char c : key) labels += c == '.' ? 1 : 0;
      max_labels = std::max(max_labels, labels + ((flags & kWildcard) != 0 ? 1 : 0));
    }
  }

  uint8_t Lookup(std::string_view key) const {
    uint64_t h = Hash(key);
    size_t mask = slots.size() - 1;
    for (size_t i = h & mask; slots[i].hash != 0; i = (i + 1) & mask) {
      const Slot& s = slots[i];
      if (s.hash == h && std::string_view(keys).substr(s.offset, s.length) == key) return s.flags;
    }
    return 0;
  }
};

PublicSuffixList::PublicSuffixList() : tables_(std::make_unique<Tables>()) {}
PublicSuffixList::~PublicSuffixList() = default;

std::unique_ptr<PublicSuffixList> PublicSuffixList::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return nullptr;
  std::unique_ptr<PublicSuffixList> list(new PublicSuffixList());
  std::unordered_map<std::string, uint8_t> rules;
  std::string line, ascii;
  while (std::getline(in, line)) {
    // A rule is the first whitespace-delimited word of a line; "//" starts a comment.
    size_t end = line.find_first_of(" \t\r");
    if (end != std::string::npos) line.resize(end);
    if (line.empty() || line.rfind("//", 0) == 0) continue;
    if (line[0] == '!') {
      if (ToAscii(line.substr(1), &ascii)) rules[ascii] |= Tables::kException;
    } else if (line.rfind("*.", 0) == 0) {
      if (ToAscii(line.substr(2), &ascii)) rules[ascii] |= Tables::kWildcard;
    } else if (ToAscii(line, &ascii)) {
      rules[ascii] |= Tables::kExact;
    }
  }
  bool any_exact = false;
  for (const auto& [key, flags] : rules) any_exact = any_exact || (flags & Tables::kExact) != 0;
  if (!any_exact) return nullptr;
  list->tables_->Build(rules);
  return list;
}

const PublicSuffixList* PublicSuffixList::System() {
  static const std::unique_ptr<PublicSuffixList> kList = [] {
    const char* override_path = std::getenv("TESSERA_PUBLIC_SUFFIX_LIST");
    return Load(override_path != nullptr ? override_path : kSystemList);
  }();
  return kList.get();
}

PublicSuffixList::Match PublicSuffixList::Find(std::string_view name) const {
  // Walk suffixes from the longest that could match a rule to the shortest (the
  // TLD); the first that a rule makes public is the longest match.
  size_t labels = 1;
  for (char c : name) labels += c == '.' ? 1 : 0;
  size_t start = 0;
  for (size_t skip = labels > tables_->max_labels ? labels - tables_->max_labels : 0; skip > 0;
       --skip) {
    start = name.find('.', start) + 1;
  }
  uint8_t flags = tables_->Lookup(name.substr(start));
  while (true) {
    std::string_view suffix = name.substr(start);
    size_t dot = suffix.find('.');
    if ((flags & Tables::kException) != 0) {
      // An exception rule: the suffix is the exception minus its first label.
      return Match{dot == std::string_view::npos ? name.size() : start + dot + 1, true};
    }
    if ((flags & Tables::kExact) != 0) return Match{start, true};
    if (dot == std::string_view::npos) return Match{start, false};  // implicit "*"
    // The next suffix's rules: a wildcard there makes this one public.
    uint8_t next = tables_->Lookup(suffix.substr(dot + 1));
    if ((next & Tables::kWildcard) != 0) return Match{start, true};
    start += dot + 1;
    flags = next;
  }
}

}  // namespace tessera::normalize
