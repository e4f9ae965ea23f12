#include "formats/openioc/openioc.h"

namespace tessera::formats {

std::vector<Format> OpenIocFormats() { return {}; }

}  // namespace tessera::formats
