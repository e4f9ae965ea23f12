// The OpenIOC reader ("openioc"): an OpenIOC 1.0 (<ioc>, schemas.mandiant.com/2010/ioc)
// or 1.1 (<OpenIOC>, openioc.org/schemas/OpenIOC_1.1) document becomes one STIX 2.1
// indicator whose pattern keeps the Indicator AND/OR tree, the identity of its
// author, and the SCOs of its plain observable values (docs/formats/openioc.md).
// Whole-document reader; the format table is constant; thread-safe.
#pragma once

#include <vector>

#include "formats/reader.h"

namespace tessera::formats {

std::vector<Format> OpenIocFormats();

}  // namespace tessera::formats
