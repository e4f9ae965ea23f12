// The X-ARF abuse-report format ("xarf"): X-ARF 4 JSON reports (xarf-spec),
// X-ARF 3 JSON reports (abusix/xarf schemas and xarf-spec's legacy form) and
// X-ARF 0.2 e-mails or bare YAML reports, each report one record of STIX
// objects: reporter identity, abuse source, observed-data and a sighting
// (docs/formats/xarf.md). Built once by the registry; immutable afterwards.
#pragma once

#include <vector>

#include "formats/reader.h"

namespace tessera::formats {

std::vector<Format> XarfFormats();

}  // namespace tessera::formats
