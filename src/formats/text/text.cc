#include "formats/text/text.h"

namespace tessera::formats {

std::vector<Format> TextFormats() { return {}; }

}  // namespace tessera::formats
