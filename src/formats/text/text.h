// Plain inputs: "lines" (one observable per line, '#' comments; each line
// classified, or read as the kind given by the `kind` option) and "text" (prose:
// every observable found, defanged or not, in order of appearance, through
// normalize's extractor). One record per observable: its SCO, and with
// `indicators=yes` an indicator with the STIX pattern and a based-on
// relationship. Streamed line by line.
#pragma once

#include <vector>

#include "formats/reader.h"

namespace tessera::formats {

std::vector<Format> TextFormats();

}  // namespace tessera::formats
