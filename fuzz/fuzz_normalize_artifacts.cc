// libFuzzer target for the cybercrime-artifact canonicalizers (artifacts.h):
// every function sees every input. Whatever one accepts must be a fixed point
// (canonicalizing the canonical value gives it back, with the same fields and
// no notes). Payment cards, whose value is a keyed hash, must instead hash the
// same digits the same way and never show the number. Every refusal carries a
// printable ASCII reason. Aborts on any violation.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "normalize/artifacts.h"

namespace {

namespace normalize = tessera::normalize;

constexpr std::string_view kKey = "fuzz-card-key";

[[noreturn]] void Fail(const char* what, std::string_view a, std::string_view b) {
  std::fprintf(stderr, "fuzz_normalize_artifacts: %s\n  first:  %.*s\n  second: %.*s\n", what,
               static_cast<int>(a.size() > 2000 ? 2000 : a.size()), a.data(),
               static_cast<int>(b.size() > 2000 ? 2000 : b.size()), b.data());
  std::abort();
}

// Reasons are plain ASCII (never raw input bytes), so they survive JSON and logs.
void CheckMessage(const char* name, std::string_view message, std::string_view input) {
  if (message.empty()) Fail(name, "refused without a reason", input);
  for (char c : message) {
    if (c < 32 || c > 126) Fail(name, "reason is not printable ASCII", message);
  }
}

template <typename Fn>
void CheckFixedPoint(const char* name, Fn canonical, std::string_view text) {
  auto first = canonical(text);
  if (!first.ok()) {
    CheckMessage(name, first.error().message, text);
    return;
  }
  auto second = canonical(first->value);
  if (!second.ok()) Fail(name, "canonical value refused", first->value);
  if (second->value != first->value) Fail(name, first->value, second->value);
  if (second->fields != first->fields) Fail(name, "fields changed", first->value);
  if (!second->notes.empty()) Fail(name, "canonical value has notes", second->notes.front());
  if (second->kind != first->kind) Fail(name, "kind changed", first->value);
}

void CheckPaymentCard(std::string_view text) {
  auto first = normalize::CanonicalPaymentCard(text, kKey);
  if (!first.ok()) {
    CheckMessage("card", first.error().message, text);
    return;
  }
  std::string digits;
  for (char c : text) {
    if (c >= '0' && c <= '9') digits += c;
  }
  if (first->value.size() != 64) Fail("card value is not a SHA-256 hex", text, first->value);
  if (first->value.find(digits) != std::string::npos) Fail("card value shows the number", text, "");
  for (const auto& [key, value] : first->fields) {
    if (value.find(digits) != std::string::npos) Fail("card field shows the number", text, key);
  }
  // The same number without separators hashes the same.
  auto bare = normalize::CanonicalPaymentCard(digits, kKey);
  if (!bare.ok()) Fail("card refused without separators", text, digits);
  if (bare->value != first->value || bare->fields != first->fields) {
    Fail("separators changed the card value", text, digits);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckFixedPoint("bitcoin", normalize::CanonicalBitcoinAddress, text);
  CheckFixedPoint("ethereum", normalize::CanonicalEthereumAddress, text);
  CheckFixedPoint("monero", normalize::CanonicalMoneroAddress, text);
  CheckFixedPoint("iban", normalize::CanonicalIban, text);
  CheckFixedPoint("phone", normalize::CanonicalPhoneNumber, text);
  CheckFixedPoint("social", normalize::CanonicalSocialAccount, text);
  CheckPaymentCard(text);
  if (normalize::CanonicalPaymentCard(text, "").ok()) Fail("card accepted without a key", text, "");
  return 0;
}
