// The format registry: every reader Tessera has, by name, and detection of the
// format of an input from its content (never its file name). Constant after
// first use; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "core/result.h"
#include "formats/input.h"
#include "formats/reader.h"

namespace tessera::formats {

// Every format, most specific first (the order breaks ties in detection).
const std::vector<Format>& AllFormats();

// The format with this name, or nullptr.
const Format* FindFormat(std::string_view name);

struct Candidate {
  const Format* format = nullptr;
  Detection detection;
};

// Every format that claims the input (score > 0), best first. Looks at the
// first kDetectBytes (Peek: nothing is consumed) or, for a directory, its files.
std::vector<Candidate> RankFormats(Input& input);

// The best candidate; an error (kUnsupported) saying why when none claims it.
core::Result<Candidate> DetectFormat(Input& input);

}  // namespace tessera::formats
