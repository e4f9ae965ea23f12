// libFuzzer target for refanging: Refang must be idempotent (Refang(Refang(x)) ==
// Refang(x)), LooksDefanged must agree with it, and for whatever Normalize accepts,
// Defang of the canonical value must refang back to it (unless the value itself
// contains defang-like text such as "hxxp://" in a URL query). Aborts on a mismatch.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "normalize/classify.h"
#include "normalize/refang.h"

namespace {

[[noreturn]] void Fail(const char* what, std::string_view a, std::string_view b) {
  std::fprintf(stderr, "fuzz_refang: %s\n  first:  %.*s\n  second: %.*s\n", what,
               static_cast<int>(a.size() > 2000 ? 2000 : a.size()), a.data(),
               static_cast<int>(b.size() > 2000 ? 2000 : b.size()), b.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace normalize = tessera::normalize;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string once = normalize::Refang(text);
  std::string twice = normalize::Refang(once);
  if (twice != once) Fail("Refang is not idempotent", once, twice);
  if (normalize::LooksDefanged(text) != (once != text)) {
    Fail("LooksDefanged disagrees with Refang", text, once);
  }

  if (size > 4096) return 0;  // normalization of huge tokens adds nothing
  auto observable = normalize::Normalize(text);
  if (!observable.ok()) return 0;
  const std::string& value = observable->value;
  if (normalize::Refang(value) != value) return 0;
  std::string defanged = normalize::Defang(*observable);
  std::string back = normalize::Refang(defanged);
  if (back != value) Fail("Defang does not refang back to the canonical value", value, back);
  return 0;
}
