// The detection-rule formats: YARA ("yara"), Snort ("snort"), Suricata
// ("suricata") and Sigma ("sigma") rule files, each rule one STIX indicator with
// the rule as its pattern (docs/formats/rules.md). Built once by the registry;
// the Format values are immutable and safe to share.
#pragma once

#include <vector>

#include "formats/reader.h"

namespace tessera::formats {

std::vector<Format> RuleFormats();

}  // namespace tessera::formats
