// CleanMX XML feeds (phishing and virus URLs): a whole document (pugixml), one
// record per <entry>. Stateless functions; thread-safe.
#pragma once

#include <string_view>

#include "core/result.h"
#include "formats/input.h"
#include "formats/reader.h"

namespace tessera::formats::jsonfeeds {

Detection DetectCleanMx(std::string_view head);
core::Status ReadCleanMx(Input& input, const ReadContext& context, Sink& sink);

}  // namespace tessera::formats::jsonfeeds
