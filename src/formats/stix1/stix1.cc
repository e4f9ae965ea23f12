#include "formats/stix1/stix1.h"

namespace tessera::formats {

std::vector<Format> Stix1Formats() { return {}; }

}  // namespace tessera::formats
