// The STIX 1.1.1 / 1.2 XML reader ("stix1"): a STIX_Package read whole (pugixml)
// into STIX 2.1, one record per top-level component (indicator, observable, TTP,
// threat actor, campaign, incident, exploit target, course of action, report),
// with CybOX observables as canonical SCOs and STIX patterns, TLP markings as the
// OASIS TLP 2.0 marking definitions. docs/formats/stix1.md has the mapping.
// Stateless; the formats are safe to share between threads.
#pragma once

#include <vector>

#include "formats/reader.h"

namespace tessera::formats {

std::vector<Format> Stix1Formats();

}  // namespace tessera::formats
