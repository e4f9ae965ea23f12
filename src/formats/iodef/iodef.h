// The IODEF reader ("iodef"): RFC 5070 (IODEF 1.0) and RFC 7970 (IODEF 2.0) XML
// documents. Each Incident becomes one record: an `incident` with its reporter as
// an identity, the observables of its EventData (Flow/System/Node addresses, domain
// names, services, record data) in an observed-data with sightings of indicators
// for attacking systems, the v2 IndicatorData as indicators whose patterns keep the
// IndicatorExpression logic, and restriction attributes as TLP 2.0 markings
// (docs/formats/iodef.md). Whole-document reader; the format table is constant;
// thread-safe.
#pragma once

#include <vector>

#include "formats/reader.h"

namespace tessera::formats {

std::vector<Format> IodefFormats();

}  // namespace tessera::formats
