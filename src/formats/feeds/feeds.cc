#include "formats/feeds/feeds.h"

namespace tessera::formats {

std::vector<Format> FeedFormats() { return {}; }

}  // namespace tessera::formats
