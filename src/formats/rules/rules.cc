#include "formats/rules/rules.h"

namespace tessera::formats {

std::vector<Format> RuleFormats() { return {}; }

}  // namespace tessera::formats
