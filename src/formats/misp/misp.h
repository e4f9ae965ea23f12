// The misp readers (placeholder until the readers land).
#pragma once

#include <vector>

#include "formats/reader.h"

namespace tessera::formats {

std::vector<Format> MispFormats();

}  // namespace tessera::formats
