// `tessera partner add|list|show|set|remove`: the partners registered with the
// hub and their sharing settings (default TLP and communities, anonymity,
// recognition, retention, personal data). Every change is audited as the
// operator. `app` and `exit_code` must outlive the parse.
#pragma once

#include <string_view>

#include "core/result.h"

namespace CLI {
class App;
}

namespace tessera::cli {

void RegisterPartnerCommand(CLI::App& app, int* exit_code);

// Whether `name` may name a partner or community (`kind` says which, for the
// message): 1 to 100 bytes, no control characters, no whitespace at either end,
// no leading '-'. kInvalidArgument otherwise.
core::Status CheckRegistryName(std::string_view kind, std::string_view name);

}  // namespace tessera::cli
