// The iodef readers (placeholder until the readers land).
#pragma once

#include <vector>

#include "formats/reader.h"

namespace tessera::formats {

std::vector<Format> IodefFormats();

}  // namespace tessera::formats
