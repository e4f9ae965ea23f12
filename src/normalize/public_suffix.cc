#include "normalize/public_suffix.h"

#include <idn2.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <unordered_set>

namespace tessera::normalize {
namespace {

constexpr const char* kSystemList = "/usr/share/publicsuffix/public_suffix_list.dat";

// Heterogeneous lookup: probe with string_view, no allocation per probe.
struct ViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};
using RuleSet = std::unordered_set<std::string, ViewHash, std::equal_to<>>;

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

struct PublicSuffixList::Tables {
  RuleSet exact;      // "co.uk"
  RuleSet wildcard;   // "*.ck" stored as "ck": any one label under it is a suffix
  RuleSet exception;  // "!www.ck" stored as "www.ck": not a suffix despite a wildcard
};

PublicSuffixList::PublicSuffixList() : tables_(std::make_unique<Tables>()) {}
PublicSuffixList::~PublicSuffixList() = default;

std::unique_ptr<PublicSuffixList> PublicSuffixList::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return nullptr;
  std::unique_ptr<PublicSuffixList> list(new PublicSuffixList());
  std::string line, ascii;
  while (std::getline(in, line)) {
    // A rule is the first whitespace-delimited word of a line; "//" starts a comment.
    size_t end = line.find_first_of(" \t\r");
    if (end != std::string::npos) line.resize(end);
    if (line.empty() || line.rfind("//", 0) == 0) continue;
    if (line[0] == '!') {
      if (ToAscii(line.substr(1), &ascii)) list->tables_->exception.insert(ascii);
    } else if (line.rfind("*.", 0) == 0) {
      if (ToAscii(line.substr(2), &ascii)) list->tables_->wildcard.insert(ascii);
    } else if (ToAscii(line, &ascii)) {
      list->tables_->exact.insert(ascii);
    }
  }
  if (list->tables_->exact.empty()) return nullptr;
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
  // Walk suffixes from the longest (the whole name) to the shortest (the TLD);
  // the first that a rule makes public is the longest match.
  size_t start = 0;
  while (true) {
    std::string_view suffix = name.substr(start);
    size_t dot = suffix.find('.');
    if (tables_->exception.count(suffix) != 0) {
      // An exception rule: the suffix is the exception minus its first label.
      return Match{dot == std::string_view::npos ? name.size() : start + dot + 1, true};
    }
    if (tables_->exact.count(suffix) != 0) return Match{start, true};
    if (dot != std::string_view::npos && tables_->wildcard.count(suffix.substr(dot + 1)) != 0) {
      return Match{start, true};
    }
    if (dot == std::string_view::npos) return Match{start, false};  // implicit "*"
    start += dot + 1;
  }
}

}  // namespace tessera::normalize
