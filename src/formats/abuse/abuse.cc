#include "formats/abuse/abuse.h"

namespace tessera::formats {

std::vector<Format> AbuseFormats() { return {}; }

}  // namespace tessera::formats
