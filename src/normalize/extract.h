// Free-text extraction: every observable in prose (threat reports, e-mails, chat,
// PDF text), defanged or not, each once, in order of first appearance, with its
// byte offset. Tuned against the usual false positives (version numbers, dotted
// file names with non-TLD endings, decimals, truncated hashes, markdown/HTML
// artefacts). Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "normalize/classify.h"
#include "normalize/observable.h"

namespace tessera::normalize {

struct Extracted {
  Observable observable;
  size_t offset = 0;  // byte offset of the first appearance in the input text
  std::string raw;    // the text as it appeared there (possibly defanged)
};

struct ExtractOptions {
  NormalizeOptions normalize;
  // Bare file names and social handles are noisy in prose; off by default.
  bool file_names = false;
};

std::vector<Extracted> ExtractObservables(std::string_view text,
                                          const ExtractOptions& options = {});

}  // namespace tessera::normalize
