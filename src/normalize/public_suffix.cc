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
// "ck"; "!www.ck" as "www.ck") maps to what rules it is in. Every suffix of a key
// ("uk" for "co.uk") has an entry too, so that a name's suffixes can be looked up
// from the top-level domain leftwards, stopping at the first one no rule ends
// with. Keys are hashed from their last byte to their first, so one pass over a
// name from the right gives the hash of each of its suffixes.
struct PublicSuffixList::Tables {
  enum Flag : uint8_t { kExact = 1, kWildcard = 2, kException = 4 };
  // A slot packs, from the top: 28 bits of the key's hash, the key's length (8
  // bits), its offset in `keys` (24 bits) and its flags (4 bits; none when the key
  // is only a suffix of other keys). 0 is an empty slot (no key is empty). Eight
  // bytes a slot keep the table (256 KiB for today's list) in a core's L2 cache.
  std::vector<uint64_t> slots;  // a power of two, at most half full
  std::string keys;             // every key, back to back
  // One bit per value of a hash's bits 40-57, set for every key: most suffixes
  // looked up are not keys ("example" of "example.com"), and a clear bit in these
  // 32 KiB says so without touching the table.
  static constexpr size_t kFilterBits = size_t{1} << 18;
  std::vector<uint64_t> filter = std::vector<uint64_t>(kFilterBits / 64);
  static size_t FilterBit(uint64_t h) { return (h >> 40) & (kFilterBits - 1); }

  static constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ull;
  static constexpr uint64_t kFnvPrime = 0x100000001b3ull;
  // FNV-1a over the bytes of `s` from the last to the first.
  static uint64_t Step(uint64_t h, char c) {
    return (h ^ static_cast<unsigned char>(c)) * kFnvPrime;
  }
  static uint64_t Hash(std::string_view s) {
    uint64_t h = kFnvOffset;
    for (size_t i = s.size(); i > 0; --i) h = Step(h, s[i - 1]);
    return h;
  }
  static uint64_t Tag(uint64_t h) { return h >> 36; }

  // False when a key is too long or the keys too many for a slot's fields.
  bool Build(const std::unordered_map<std::string, uint8_t>& rules) {
    std::unordered_map<std::string, uint8_t> entries = rules;
    for (const auto& [key, flags] : rules) {
      for (size_t dot = key.find('.'); dot != std::string::npos; dot = key.find('.', dot + 1)) {
        entries.try_emplace(key.substr(dot + 1), uint8_t{0});
      }
    }
    size_t capacity = 16;
    while (capacity < entries.size() * 2) capacity *= 2;
    slots.assign(capacity, 0);
    for (const auto& [key, flags] : entries) {
      if (key.empty() || key.size() > 0xff || keys.size() + key.size() > 0xffffff) return false;
      const uint64_t h = Hash(key);
      size_t i = h & (capacity - 1);
      while (slots[i] != 0) i = (i + 1) & (capacity - 1);
      slots[i] = Tag(h) << 36 | uint64_t{key.size()} << 28 | uint64_t{keys.size()} << 4 | flags;
      keys += key;
      filter[FilterBit(h) / 64] |= uint64_t{1} << (FilterBit(h) % 64);
    }
    return true;
  }

  // The flags of `key` (whose Hash is `h`), or -1 when no rule ends with it.
  int Lookup(uint64_t h, std::string_view key) const {
    if ((filter[FilterBit(h) / 64] >> (FilterBit(h) % 64) & 1) == 0) return -1;
    const size_t mask = slots.size() - 1;
    for (size_t i = h & mask; slots[i] != 0; i = (i + 1) & mask) {
      const uint64_t slot = slots[i];
      if ((slot >> 36) != Tag(h) || ((slot >> 28) & 0xff) != key.size()) continue;
      if (std::string_view(keys).substr((slot >> 4) & 0xffffff, key.size()) == key) {
        return static_cast<int>(slot & 0xf);
      }
    }
    return -1;
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
  if (!list->tables_->Build(rules)) return nullptr;
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
  // The list's algorithm: the longest suffix a rule makes public wins. Suffix S_d
  // (the last d labels) is public when an exception rule names it (then its parent
  // S_(d-1) is the suffix), an exact rule names it, or a wildcard rule names its
  // parent. Walking d = 1, 2, ... the last public one found is the longest; the walk
  // ends at the first suffix that no rule ends with (no longer one can match).
  const Tables& t = *tables_;
  Match match{0, false};
  bool found = false;
  uint64_t h = Tables::kFnvOffset;
  size_t end = name.size();  // one past the current suffix's first label
  size_t parent_start = name.size();
  int parent_flags = 0;
  for (size_t depth = 1;; ++depth) {
    size_t start = end;
    while (start > 0 && name[start - 1] != '.') h = Tables::Step(h, name[--start]);
    if (depth == 1) match.suffix_offset = start;  // the implicit "*" rule: the last label
    const int flags = t.Lookup(h, name.substr(start));
    if (flags < 0) {
      if ((parent_flags & Tables::kWildcard) != 0) {
        match = Match{start, true};
        found = true;
      }
      break;
    }
    if ((flags & Tables::kException) != 0) {
      match = Match{parent_start, true};
      found = true;
    } else if ((flags & Tables::kExact) != 0 || (parent_flags & Tables::kWildcard) != 0) {
      match = Match{start, true};
      found = true;
    }
    if (start == 0) break;
    h = Tables::Step(h, '.');
    end = start - 1;
    parent_start = start;
    parent_flags = flags;
  }
  if (!found) match.listed = false;
  return match;
}

}  // namespace tessera::normalize
