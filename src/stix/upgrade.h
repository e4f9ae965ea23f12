// STIX 2.0 -> 2.1 upgrade of a whole document (bundle, object or list), following
// the changes the STIX 2.1 specification lists against 2.0; docs/STIX.md has the
// table. Works on the mutable JSON tree. Stateless; thread-safe.
#pragma once

#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "stix/validate.h"

namespace tessera::stix {

// Rewrites `doc` in place. Each change made is reported as a kInfo problem (with
// the object index and path) so a user can see what the upgrade did; anything
// that could not be converted is a kWarning and is left as it was.
core::Status UpgradeToV21(core::Json* doc, std::vector<Problem>* notes);

}  // namespace tessera::stix
