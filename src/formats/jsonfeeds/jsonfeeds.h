// The JSON feed readers: ThreatFox, URLhaus, AlienVault OTX, the IntelMQ-covered
// JSON feeds (Feodo Tracker, PhishTank, Blueliv, ESET, Microsoft, n6,
// AnubisNetworks, Shodan, CZ.NIC PROKI, IntelMQ events), CleanMX XML and a
// generic reader driven by a field mapping. Registered once; thread-safe.
#pragma once

#include <vector>

#include "formats/reader.h"

namespace tessera::formats {

std::vector<Format> JsonFeedFormats();

}  // namespace tessera::formats
