// libFuzzer target for free-text extraction: never crashes; every result's offset
// and raw text point into the input (raw == text.substr(offset, raw.size())),
// offsets never go backwards, and no (kind, value) is reported twice. Aborts on a
// violation.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "normalize/extract.h"

namespace {

[[noreturn]] void Fail(const char* what, std::string_view text, std::string_view detail) {
  std::fprintf(stderr, "fuzz_extract: %s\n  text:   %.*s\n  detail: %.*s\n", what,
               static_cast<int>(text.size() > 2000 ? 2000 : text.size()), text.data(),
               static_cast<int>(detail.size() > 2000 ? 2000 : detail.size()), detail.data());
  std::abort();
}

void Check(std::string_view text, const tessera::normalize::ExtractOptions& options) {
  namespace normalize = tessera::normalize;
  size_t last_offset = 0;
  std::set<std::pair<normalize::Kind, std::string>> seen;
  for (const normalize::Extracted& e : normalize::ExtractObservables(text, options)) {
    if (e.offset > text.size() || e.raw.size() > text.size() - e.offset) {
      Fail("offset or raw outside the input", text, e.raw);
    }
    if (text.substr(e.offset, e.raw.size()) != e.raw)
      Fail("raw is not the input text", text, e.raw);
    if (e.offset < last_offset) Fail("offsets go backwards", text, e.raw);
    last_offset = e.offset;
    if (e.observable.value.empty()) Fail("empty value", text, e.raw);
    if (!seen.emplace(e.observable.kind, e.observable.value).second) {
      Fail("reported twice", text, e.observable.value);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  tessera::normalize::ExtractOptions options;
  Check(text, options);
  options.file_names = true;
  options.normalize.assume_http_without_scheme = true;
  Check(text, options);
  return 0;
}
