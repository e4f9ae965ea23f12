// `tessera community add|list|join|leave`: communities of partners that share
// with each other, and their members. A confidential community does not tell
// its members who the others are. Changes are audited as the operator. `app`
// and `exit_code` must outlive the parse.
#pragma once

namespace CLI {
class App;
}

namespace tessera::cli {

void RegisterCommunityCommand(CLI::App& app, int* exit_code);

}  // namespace tessera::cli
