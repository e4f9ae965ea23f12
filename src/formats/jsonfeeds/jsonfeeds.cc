#include "formats/jsonfeeds/jsonfeeds.h"

namespace tessera::formats {

std::vector<Format> JsonFeedFormats() { return {}; }

}  // namespace tessera::formats
