// `tessera audit show|verify|resolve`: reading the audit log, checking its hash
// chain and resolving pseudonyms, as the operator or with an auditor token.
// Also the one way the registry commands record an operator change in the log.
// `app` and `exit_code` must outlive the parse.
#pragma once

#include <string>
#include <string_view>

namespace CLI {
class App;
}

namespace tessera::governance {
class Policy;
}

namespace tessera::cli {

void RegisterAuditCommand(CLI::App& app, int* exit_code);

// Appends a change made from the command line (actor "operator") to the audit
// log. `details` is a JSON object and never holds a secret. Returns 0, or prints
// "tessera: ..." (the change was made, its record failed) and returns the exit
// code for the error.
int AuditChange(governance::Policy& policy, std::string_view action, std::string_view target,
                std::string details);

}  // namespace tessera::cli
