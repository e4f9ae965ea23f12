// The time stamps JSON feeds write, read into STIX 2.1 timestamps: RFC 3339
// with any offset, "2021-01-17 07:44:46" and "2018-12-31 23:00:00 UTC",
// "+0000" offsets without a colon, bare dates, and Unix epoch seconds or
// milliseconds. A time without a zone is taken as UTC (every feed here writes
// UTC). Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/json.h"
#include "core/result.h"

namespace tessera::formats::jsonfeeds {

// A STIX timestamp ("2021-01-17T07:44:46Z") from a string or a number, or an
// error saying why the value is not a time.
core::Result<std::string> FeedTime(const core::Json& value);
core::Result<std::string> FeedTimeText(std::string_view text);

}  // namespace tessera::formats::jsonfeeds
