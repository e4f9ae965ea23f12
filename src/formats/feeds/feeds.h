// The feeds readers (placeholder until the readers land).
#pragma once

#include <vector>

#include "formats/reader.h"

namespace tessera::formats {

std::vector<Format> FeedFormats();

}  // namespace tessera::formats
