// Canonical URLs (RFC 3986 §6): scheme and host lower-cased, default port
// removed, dot segments resolved, percent-encoding upper-cased and unreserved
// characters decoded, IDN host to A-labels, empty path "/", query kept. The
// fragment policy and scheme-less input are documented in docs/NORMALIZATION.md.
// Stateless functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "normalize/observable.h"

namespace tessera::normalize {

struct UrlOptions {
  // "example.com/path" (no scheme): refused unless this is set, in which case
  // "http://" is assumed and a note says so.
  bool assume_http_without_scheme = false;
  bool keep_fragment = false;  // fragments never reach a server; dropped by default
};

// Only URLs with an authority ("scheme://host") are URL indicators: "mailto:",
// "javascript:", "data:" are refused, and so are defanged schemes ("hxxp"; refang
// first). Fields: "host" (canonical domain, dotted-quad IPv4, or RFC 5952 IPv6
// without brackets), "registrable_domain" when the host is a domain, "scheme".
core::Result<Observable> CanonicalUrl(std::string_view text, const UrlOptions& options = {});

namespace detail {

// IP literals as URL hosts and e-mail domain literals write them. A strict dotted
// quad (four decimal parts 0-255, no leading zeros) -> the same text; any RFC 4291
// IPv6 text -> RFC 5952 form. False when `text` is not one.
bool CanonicalDottedQuad(std::string_view text, std::string* out);
bool CanonicalIpv6Literal(std::string_view text, std::string* out);

// CanonicalUrl into `*out` (reusing its storage; see ObservableWriter). On refusal
// returns false with the bare reason (NotA's message without its prefix) in
// `*reason`, and `*out` holds nothing useful.
bool CanonicalizeUrl(std::string_view text, const UrlOptions& options, Observable* out,
                     std::string* reason);

}  // namespace detail

}  // namespace tessera::normalize
