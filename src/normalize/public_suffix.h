// The public suffix list (publicsuffix.org) as a hash table, built once from the
// list file Debian's `publicsuffix` package installs (the file libpsl reads).
// libpsl's per-name lookup cost ~4,000 instructions and dominated normalization;
// this answers with a probe per label, from the top-level domain leftwards.
// Built on first use; read-only afterwards and safe to share between threads.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace tessera::normalize {

class PublicSuffixList {
 public:
  struct Match {
    size_t suffix_offset = 0;  // where the public suffix starts in the name
    bool listed = false;       // an explicit rule matched (not the implicit "*")
  };

  // The list loaded from `path` (default: the system file); nullptr when the file
  // cannot be read (or holds a rule longer than 255 bytes, or more than 16 MiB of
  // them), in which case callers fall back to libpsl's built-in copy.
  static const PublicSuffixList* System();
  static std::unique_ptr<PublicSuffixList> Load(const std::string& path);

  // The public suffix of a canonical (lower-case A-label) name, per the list's
  // algorithm: the longest matching rule wins, exceptions ("!") beat wildcards,
  // and an unlisted TLD is its own suffix (the implicit "*" rule).
  Match Find(std::string_view name) const;

  ~PublicSuffixList();
  PublicSuffixList(const PublicSuffixList&) = delete;
  PublicSuffixList& operator=(const PublicSuffixList&) = delete;

 private:
  PublicSuffixList();
  struct Tables;
  std::unique_ptr<Tables> tables_;
};

}  // namespace tessera::normalize
