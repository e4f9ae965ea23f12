// The rule readers behind RuleFormats(): YARA, Snort/Suricata and Sigma files,
// one indicator per rule (docs/formats/rules.md has the mappings). Internal to
// src/formats/rules/; stateless functions, thread-safe.
#pragma once

#include <string_view>

#include "core/result.h"
#include "formats/input.h"
#include "formats/reader.h"

namespace tessera::formats::rules {

Detection DetectYara(std::string_view head);
core::Status ReadYara(Input& input, const ReadContext& context, Sink& sink);

// Snort 2/3 and Suricata rule files share one reader. With `suricata` (the
// "suricata" format) every rule is a Suricata rule; otherwise a rule is Suricata's
// when it uses syntax only Suricata has, and Snort's when not.
Detection DetectSnort(std::string_view head);
Detection DetectSuricata(std::string_view head);
core::Status ReadSnort(Input& input, const ReadContext& context, Sink& sink, bool suricata);

Detection DetectSigma(std::string_view head);
core::Status ReadSigma(Input& input, const ReadContext& context, Sink& sink);

}  // namespace tessera::formats::rules
