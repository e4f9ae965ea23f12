#include "formats/misp/misp.h"

namespace tessera::formats {

std::vector<Format> MispFormats() { return {}; }

}  // namespace tessera::formats
