// The `tessera` command: parses the command line and dispatches to a command
// group. The one last-resort catch of the program lives here.
#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>

#include "cli/audit_command.h"
#include "cli/community_command.h"
#include "cli/db_command.h"
#include "cli/exit_codes.h"
#include "cli/formats_command.h"
#include "cli/ingest_command.h"
#include "cli/normalize_command.h"
#include "cli/partner_command.h"
#include "cli/quarantine_command.h"
#include "cli/query_command.h"
#include "cli/redaction_command.h"
#include "cli/retention_command.h"
#include "cli/stix_commands.h"
#include "cli/token_command.h"
#include "cli/warninglists_command.h"

namespace {
constexpr const char* kVersion = "0.1.0";
}

int main(int argc, char** argv) {
  CLI::App app{
      "Tessera: an open threat-intelligence hub. It reads the formats partners share in, "
      "normalizes them to STIX 2.1, and (in later releases) stores, governs and shares them.",
      "tessera"};
  app.require_subcommand(1);
  app.set_version_flag("--version", kVersion);
  app.footer(
      "Exit codes: 0 success, 1 invalid input data, 2 usage error, 3 input not readable or not "
      "found, 4 already exists (or already done), 5 permission denied, 70 internal error.\n"
      "Run 'tessera COMMAND --help' for the options of a command.");
  int exit_code = tessera::cli::kExitOk;
  tessera::cli::RegisterStixCommands(app, &exit_code);
  tessera::cli::RegisterNormalizeCommand(app, &exit_code);
  tessera::cli::RegisterFormatsCommand(app, &exit_code);
  tessera::cli::RegisterWarninglistsCommand(app, &exit_code);
  tessera::cli::RegisterIngestCommand(app, &exit_code);
  tessera::cli::RegisterQueryCommand(app, &exit_code);
  tessera::cli::RegisterShowCommand(app, &exit_code);
  tessera::cli::RegisterQuarantineCommand(app, &exit_code);
  tessera::cli::RegisterDbCommand(app, &exit_code);
  tessera::cli::RegisterPartnerCommand(app, &exit_code);
  tessera::cli::RegisterCommunityCommand(app, &exit_code);
  tessera::cli::RegisterTokenCommand(app, &exit_code);
  tessera::cli::RegisterRetentionCommand(app, &exit_code);
  tessera::cli::RegisterRedactionCommand(app, &exit_code);
  tessera::cli::RegisterAuditCommand(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : tessera::cli::kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "tessera: internal error: " << e.what() << '\n';
    return tessera::cli::kExitInternal;
  }
  return exit_code;
}
