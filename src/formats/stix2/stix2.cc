#include "formats/stix2/stix2.h"

namespace tessera::formats {

std::vector<Format> Stix2Formats() { return {}; }

}  // namespace tessera::formats
