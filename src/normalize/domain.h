// Canonical domain names, URLs, e-mail addresses and file names: names people
// write in many ways. Domains: case folding, trailing dot, IDNA2008 (libidn2) to
// A-labels with the Unicode form kept as a field, label and length rules,
// wildcards, and the registrable domain from the public suffix list (libpsl).
// Stateless functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "normalize/observable.h"

namespace tessera::normalize {

struct DomainOptions {
  bool allow_wildcard = true;  // "*.example.com": kept, with field {"wildcard","true"}
  // A single label ("localhost") is not a domain an indicator can name.
  bool allow_single_label = false;
};

// Fields, in order: "registrable_domain" (eTLD+1 per the public suffix list,
// ICANN and private sections; absent for a public suffix itself),
// "public_suffix", "unicode" (when any label is an IDN), "wildcard". The value is
// lower-case A-labels without trailing dot. Labels may hold '_' (DNS allows it,
// host names do not; a note says so). Refused with kValidation: empty, spaces,
// characters outside letters/digits/'-'/'_', bad hyphens, label > 63 or name >
// 253 octets, all-digit last label (an IP address), invalid IDNA2008 (libidn2's
// reason), a single label or wildcard when the options forbid them.
core::Result<Observable> CanonicalDomain(std::string_view text, const DomainOptions& options = {});

// True when `tld` (one label, any case) is a top-level domain in the public
// suffix list. Classification uses it to tell "report.pdf" from "example.py".
bool IsKnownTopLevelDomain(std::string_view tld);

// Reversed labels for "this domain and everything under it" range scans:
// "mail.example.com" -> "com.example.mail". Precondition: canonical.
std::string ReversedLabels(std::string_view canonical_domain);

namespace detail {

// CanonicalDomain's work for the URL and e-mail canonicalizers: on refusal returns
// false with the bare reason (no "not a valid domain name: " prefix) so they can
// word their own errors ("host: ...").
bool CanonicalizeDomain(std::string_view text, const DomainOptions& options, Observable* out,
                        std::string* reason);

}  // namespace detail

}  // namespace tessera::normalize
