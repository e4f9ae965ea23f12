// Classification and the one entry point for normalizing a raw token: which
// kind is it (or why it is ambiguous), then its canonical form. Stateless;
// thread-safe.
#pragma once

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

// Classifies, then normalizes. An ambiguous token is an error naming the
// candidate kinds (callers that know better use NormalizeAs).
core::Result<Observable> Normalize(std::string_view token, const NormalizeOptions& options = {});

}  // namespace tessera::normalize
