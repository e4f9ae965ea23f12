// Canonical e-mail addresses: the domain part normalized as a domain, the local
// part kept. Stateless functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "normalize/observable.h"

namespace tessera::normalize {

// "user@Example.COM." -> "user@example.com": the domain part normalized as a
// domain (IDN to A-labels), the local part kept as written (RFC 5321 §2.4: it
// may be case-sensitive). Fields: "domain", "registrable_domain".
core::Result<Observable> CanonicalEmail(std::string_view text);

namespace detail {
// CanonicalEmail into `*out` (reusing its storage; see ObservableWriter). On
// refusal returns false with the bare reason (NotA's message without its prefix)
// in `*reason`, and `*out` holds nothing useful.
bool CanonicalizeEmail(std::string_view text, Observable* out, std::string* reason);
}  // namespace detail

}  // namespace tessera::normalize
