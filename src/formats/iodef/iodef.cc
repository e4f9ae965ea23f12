#include "formats/iodef/iodef.h"

namespace tessera::formats {

std::vector<Format> IodefFormats() { return {}; }

}  // namespace tessera::formats
