// The xarf readers (placeholder until the readers land).
#pragma once

#include <vector>

#include "formats/reader.h"

namespace tessera::formats {

std::vector<Format> XarfFormats();

}  // namespace tessera::formats
