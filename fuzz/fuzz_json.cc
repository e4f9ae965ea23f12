// libFuzzer target for the JSON layer: whatever ParseJson accepts must survive
// WriteJson (compact and pretty) and parse back equal (Json operator==), and the
// RFC 8785 form must be a fixed point: CanonicalJson(ParseJson(CanonicalJson(x)))
// == CanonicalJson(x). Aborts on any mismatch.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/json.h"

namespace {

[[noreturn]] void Fail(const char* what, std::string_view a, std::string_view b) {
  std::fprintf(stderr, "fuzz_json: %s\n  first:  %.*s\n  second: %.*s\n", what,
               static_cast<int>(a.size() > 2000 ? 2000 : a.size()), a.data(),
               static_cast<int>(b.size() > 2000 ? 2000 : b.size()), b.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace core = tessera::core;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto first = core::ParseJson(text);
  if (!first.ok()) return 0;

  for (core::JsonStyle style : {core::JsonStyle::kCompact, core::JsonStyle::kPretty}) {
    std::string written = core::WriteJson(*first, style);
    auto again = core::ParseJson(written);
    if (!again.ok()) Fail("WriteJson output does not parse", text, written);
    if (!(*again == *first)) Fail("WriteJson round trip changed the value", text, written);
  }

  std::string canonical = core::CanonicalJson(*first);
  auto reparsed = core::ParseJson(canonical);
  if (!reparsed.ok()) Fail("CanonicalJson output does not parse", text, canonical);
  if (!(*reparsed == *first)) Fail("CanonicalJson changed the value", text, canonical);
  std::string canonical2 = core::CanonicalJson(*reparsed);
  if (canonical2 != canonical) Fail("CanonicalJson is not idempotent", canonical, canonical2);
  return 0;
}
