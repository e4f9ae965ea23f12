// libFuzzer target for governance's parsers: the redaction rules TOML
// (RedactionRules::FromToml), the redaction of STIX objects (Redact,
// RedactRefs), API tokens (ParseToken) and TLP text (ParseTlp, TlpFromTag).
// The first byte picks the parser, the rest is its input. Whatever the input,
// nothing crashes, and: a rules file that parses has a type and properties in
// every rule; a redacted object is "" or a JSON object; a token that parses
// reads back as the same text. Aborts on a violation.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/json.h"
#include "governance/redaction.h"
#include "governance/tlp.h"
#include "governance/token.h"

namespace {

namespace gov = tessera::governance;

[[noreturn]] void Fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "fuzz_governance: %s\n  input: %.*s\n", what,
               static_cast<int>(input.size() > 2000 ? 2000 : input.size()), input.data());
  std::abort();
}

void CheckObjectOrEmpty(const std::string& out, std::string_view input) {
  if (out.empty()) return;
  auto parsed = tessera::core::ParseJson(out);
  if (!parsed.ok() || !parsed->is_object()) Fail("redaction returned no JSON object", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0: {
      auto rules = gov::RedactionRules::FromToml(input, "fuzz.toml");
      if (rules.ok()) {
        for (const gov::RedactionRule& r : rules->rules()) {
          if (r.type.empty() || r.properties.empty()) Fail("a rule without type or properties", input);
        }
      }
      break;
    }
    case 1: {
      gov::RedactionRules rules = gov::RedactionRules::Builtin();
      CheckObjectOrEmpty(gov::Redact(input, rules, "key", false), input);
      CheckObjectOrEmpty(gov::Redact(input, rules, "key", true), input);
      CheckObjectOrEmpty(gov::RedactRefs(input, rules, "key"), input);
      break;
    }
    case 2: {
      if (auto token = gov::ParseToken(input)) {
        std::string again = "tsr_";
        again.append(token->id).append("_").append(token->secret);
        if (again != input) Fail("a parsed token does not read back as its text", input);
      }
      break;
    }
    default:
      (void)gov::ParseTlp(input);
      (void)gov::TlpFromTag(input);
      (void)gov::TlpFromMarkingId(input);
      (void)gov::ParsePap(input);
      break;
  }
  return 0;
}
