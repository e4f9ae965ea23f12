#include "formats/xarf/xarf.h"

namespace tessera::formats {

std::vector<Format> XarfFormats() { return {}; }

}  // namespace tessera::formats
