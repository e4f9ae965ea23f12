// STIX 2.x readers: "stix" (a bundle, a single object or a JSON array of
// objects, STIX 2.1 or 2.0, the latter upgraded to 2.1) and "stix-jsonl" (one
// STIX object, or one bundle, per line). Bundles and arrays stream: memory is
// bounded by a batch of objects, whatever the document's size. One record per
// object; an object with validation errors is rejected with the errors.
#pragma once

#include <vector>

#include "formats/reader.h"

namespace tessera::formats {

std::vector<Format> Stix2Formats();

}  // namespace tessera::formats
