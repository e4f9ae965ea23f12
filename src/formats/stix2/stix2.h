// The stix2 readers (placeholder until the readers land).
#pragma once

#include <vector>

#include "formats/reader.h"

namespace tessera::formats {

std::vector<Format> Stix2Formats();

}  // namespace tessera::formats
