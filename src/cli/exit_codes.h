// Exit codes of the `tessera` command, one meaning each, so scripts can rely on them.
#pragma once

#include "core/result.h"

namespace tessera::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitInvalidData = 1,   // the input was read but is invalid / had bad records
  kExitUsage = 2,         // bad command line
  kExitInputError = 3,    // an input could not be read (missing file, I/O error, not JSON at all)
  kExitConflict = 4,      // what was to be created exists already
  kExitDenied = 5,        // not allowed: a refused token, a missing role
  kExitInternal = 70,     // a bug (EX_SOFTWARE)
};

// The exit code for an error at a module's interface (the one mapping, see STYLE.md).
int ExitCodeFor(core::ErrorCode code);

}  // namespace tessera::cli
