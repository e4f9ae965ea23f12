// libFuzzer target for the name canonicalizers (domain, URL, e-mail, file name):
// every accepted value must be a fixed point (canonicalizing it again gives the
// same value and fields), and a URL's or e-mail address's host must itself be a
// canonical domain. Aborts on any mismatch.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "normalize/domain.h"
#include "normalize/email.h"
#include "normalize/filename.h"
#include "normalize/url.h"

namespace {

namespace normalize = tessera::normalize;
using normalize::Observable;
using tessera::core::Result;

[[noreturn]] void Fail(const char* what, std::string_view input, std::string_view value) {
  std::fprintf(stderr, "fuzz_normalize_names: %s\n  input: %.*s\n  value: %.*s\n", what,
               static_cast<int>(input.size() > 2000 ? 2000 : input.size()), input.data(),
               static_cast<int>(value.size() > 2000 ? 2000 : value.size()), value.data());
  std::abort();
}

template <typename F>
void CheckFixedPoint(const char* what, std::string_view input, const Result<Observable>& first,
                     F canonicalize) {
  if (!first.ok()) return;
  Result<Observable> again = canonicalize(first->value);
  if (!again.ok()) Fail(what, input, first->value);
  if (again->value != first->value) Fail(what, first->value, again->value);
  if (again->fields != first->fields) Fail(what, input, first->value);
}

// A domain-valued field must be what CanonicalDomain makes of it.
void CheckDomainField(const Observable& o, const char* field, std::string_view input) {
  const std::string* host = o.Field(field);
  if (host == nullptr || host->empty() || host->front() == '[' ||
      host->find(':') != std::string::npos || o.Field("registrable_domain") == nullptr) {
    return;
  }
  Result<Observable> domain = normalize::CanonicalDomain(*host);
  if (!domain.ok() || domain->value != *host) Fail("host is not a canonical domain", input, *host);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  for (bool wildcard : {false, true}) {
    for (bool single : {false, true}) {
      normalize::DomainOptions options;
      options.allow_wildcard = wildcard;
      options.allow_single_label = single;
      auto canonicalize = [&](std::string_view t) {
        return normalize::CanonicalDomain(t, options);
      };
      Result<Observable> first = canonicalize(text);
      CheckFixedPoint("CanonicalDomain is not idempotent", text, first, canonicalize);
      if (first.ok()) (void)normalize::ReversedLabels(first->value);
    }
  }

  for (bool assume_http : {false, true}) {
    for (bool keep_fragment : {false, true}) {
      normalize::UrlOptions options;
      options.assume_http_without_scheme = assume_http;
      options.keep_fragment = keep_fragment;
      Result<Observable> first = normalize::CanonicalUrl(text, options);
      // The canonical form always has a scheme, so it must pass without assume_http.
      normalize::UrlOptions strict = options;
      strict.assume_http_without_scheme = false;
      CheckFixedPoint("CanonicalUrl is not idempotent", text, first,
                      [&](std::string_view t) { return normalize::CanonicalUrl(t, strict); });
      if (first.ok()) CheckDomainField(*first, "host", text);
    }
  }

  Result<Observable> email = normalize::CanonicalEmail(text);
  CheckFixedPoint("CanonicalEmail is not idempotent", text, email,
                  [](std::string_view t) { return normalize::CanonicalEmail(t); });
  if (email.ok()) CheckDomainField(*email, "domain", text);

  Result<Observable> file = normalize::CanonicalFileName(text);
  CheckFixedPoint("CanonicalFileName is not idempotent", text, file,
                  [](std::string_view t) { return normalize::CanonicalFileName(t); });
  return 0;
}
