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
  std::string raw;    // the text as it appeared there (possibly defanged);
                      // always equal to text.substr(offset, raw.size())
};

struct ExtractOptions {
  // Used: assume_http_without_scheme ("evil.com/x.php" becomes a URL instead of the
  // domain "evil.com"). Refanging always happens.
  NormalizeOptions normalize;
  // Bare file names and social handles are noisy in prose; off by default.
  bool file_names = false;
};

// Kinds found: URLs (any scheme url.h accepts), e-mail addresses, IPv4/IPv6
// addresses and networks, domains, MD5/SHA-1/SHA-256/SHA-512/TLSH, CVE ids, ASNs,
// MAC addresses, Bitcoin/Ethereum/Monero addresses, IBANs, and file names when
// asked. Each candidate is refanged and put through its kind's canonicalizer, so
// only valid values come back. Nothing is reported from inside a URL or e-mail
// address (its host, a hash in its path): the URL or address is the observable.
// Rules and measured precision/recall: docs/NORMALIZATION.md ("Extraction").
// Linear in the input; the input may be any bytes (invalid UTF-8 included).
std::vector<Extracted> ExtractObservables(std::string_view text,
                                          const ExtractOptions& options = {});

}  // namespace tessera::normalize
