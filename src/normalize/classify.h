// Classification and the one entry point for normalizing a raw token: which
// kind is it (or why it is ambiguous), then its canonical form. The functions
// are thread-safe (they keep their scratch space per thread); a TokenNormalizer
// is for one thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "normalize/observable.h"

namespace tessera::normalize {

struct NormalizeOptions {
  std::string payment_card_key;  // HMAC key for card numbers; empty: cards are refused
  bool assume_http_without_scheme = false;
  bool refang = true;            // undo defanging ("hxxp", "[.]") first
};

struct Classification {
  // Exactly one kind: the token is that kind. Several: ambiguous (see reason).
  // None: not an observable (see reason).
  std::vector<Kind> kinds;
  std::string reason;  // why ambiguous, or why none
};

// Decides the kind of a raw token (after refanging when options.refang).
// Ambiguity is reported, not resolved by guessing: "example.py" is a file name
// and a domain under the .py ccTLD.
Classification Classify(std::string_view token, const NormalizeOptions& options = {});

// Normalizes a token as `kind`.
core::Result<Observable> NormalizeAs(Kind kind, std::string_view token,
                                     const NormalizeOptions& options = {});

// NormalizeAs written into `*out`, reusing the storage an earlier value left in
// it (see detail::ObservableWriter), for readers that map many rows: a common
// kind (IP address, domain, URL, e-mail address, hash, AS number, CVE id, MAC
// address) is normalized without allocating once `*out` is warm. On refusal
// returns false with NormalizeAs's error message in `*error`; `*out` then holds
// nothing useful. Thread-safe (scratch space per thread).
bool NormalizeAsInto(Kind kind, std::string_view token, const NormalizeOptions& options,
                     Observable* out, std::string* error);

// Classifies, then normalizes. An ambiguous token is an error naming the
// candidate kinds (callers that know better use NormalizeAs).
core::Result<Observable> Normalize(std::string_view token, const NormalizeOptions& options = {});

namespace detail {
class NormalizeWorkspace;
}  // namespace detail

// Normalize for loops over many tokens (`tessera normalize`): the same results,
// but written into storage kept from call to call, so that a token of a common
// kind (IP address, domain, URL, e-mail address, hash, AS number, CVE id, MAC
// address) is normalized without allocating. Not thread-safe; one per thread.
class TokenNormalizer {
 public:
  explicit TokenNormalizer(NormalizeOptions options = {});
  ~TokenNormalizer();
  TokenNormalizer(const TokenNormalizer&) = delete;
  TokenNormalizer& operator=(const TokenNormalizer&) = delete;

  // Normalize(token, options): the observable, owned by this object and valid
  // until the next call; or nullptr, with the reason in error().
  const Observable* Normalize(std::string_view token);
  const std::string& error() const;

 private:
  NormalizeOptions options_;
  std::unique_ptr<detail::NormalizeWorkspace> workspace_;
};

}  // namespace tessera::normalize
