// AlienVault OTX pulses (a pulse, a list of pulses, or the API's
// {"results": [...]} page) read into reports with their indicators. One record
// per pulse; pulses stream one at a time. Stateless functions; thread-safe.
#pragma once

#include <string_view>

#include "core/result.h"
#include "formats/input.h"
#include "formats/reader.h"

namespace tessera::formats::jsonfeeds {

Detection DetectOtx(std::string_view head);
core::Status ReadOtx(Input& input, const ReadContext& context, Sink& sink);

}  // namespace tessera::formats::jsonfeeds
