// The MISP readers: "misp" (a single event {"Event": {...}}, a bare event, an
// events list {"response": [...]} or an array of events; lists stream one event
// at a time) and "misp-feed" (a MISP feed folder or URL: manifest.json,
// <event-uuid>.json files, hashes.csv). Mapping: docs/formats/misp.md. The
// formats are constant; reading is thread-compatible (one read per Input).
#pragma once

#include <vector>

#include "formats/reader.h"

namespace tessera::formats {

std::vector<Format> MispFormats();

}  // namespace tessera::formats
