// RFC 3339 timestamps with STIX 2.1's rules (§3.2): UTC only, a trailing `Z`,
// and sub-second precision kept exactly as given. Value types; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tessera::core {

struct Timestamp {
  int64_t seconds = 0;     // since 1970-01-01T00:00:00Z (may be negative)
  int32_t nanos = 0;       // 0..999'999'999
  int8_t frac_digits = 0;  // digits of fraction as written (0..9); FormatTimestamp reproduces them

  friend bool operator==(const Timestamp& a, const Timestamp& b) {
    return a.seconds == b.seconds && a.nanos == b.nanos;
  }
  friend auto operator<=>(const Timestamp& a, const Timestamp& b) {
    if (a.seconds != b.seconds) return a.seconds <=> b.seconds;
    return a.nanos <=> b.nanos;
  }
};

// Strict STIX form: YYYY-MM-DDTHH:MM:SS[.fraction]Z, `T` and `Z` upper case, with
// real calendar checks (month lengths, leap years; second 60 accepted only as a
// leap second at 23:59:60). Error messages say what is wrong.
Result<Timestamp> ParseStixTimestamp(std::string_view text);

// Lenient RFC 3339 (any offset, lower-case t/z, space separator), converted to UTC.
// For readers of other formats; never used to validate STIX.
Result<Timestamp> ParseRfc3339(std::string_view text);

// Formats in STIX form with ts.frac_digits fraction digits.
std::string FormatTimestamp(const Timestamp& ts);

// The current time with `frac_digits` digits (3 = milliseconds, STIX's usual).
Timestamp Now(int frac_digits = 3);

}  // namespace tessera::core
