// The abuse readers (placeholder until the readers land).
#pragma once

#include <vector>

#include "formats/reader.h"

namespace tessera::formats {

std::vector<Format> AbuseFormats();

}  // namespace tessera::formats
