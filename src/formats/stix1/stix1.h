// The stix1 readers (placeholder until the readers land).
#pragma once

#include <vector>

#include "formats/reader.h"

namespace tessera::formats {

std::vector<Format> Stix1Formats();

}  // namespace tessera::formats
