// Times as feeds write them ("2019-02-13 00:34:42", "21-06-2019",
// "Mon, 14 Sep 2015 04:39:22 GMT", "1450193702") read with a strptime-like
// format and written as STIX 2.1 timestamps (UTC, trailing Z). Stateless
// functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace tessera::formats::feeds {

// The format "auto" (or an empty format) accepts RFC 3339 and the usual
// variations: "YYYY-MM-DD", "YYYY-MM-DD HH:MM", "YYYY-MM-DD[T ]HH:MM:SS[.frac]"
// with an optional zone ("Z", "UTC", "GMT", "+HH:MM", "+HHMM"; none means UTC),
// and Unix seconds (9 to 10 digits).
inline constexpr std::string_view kAutoTimeFormat = "auto";

// Directives: %Y (4 digits) %y %m %d %e %H %M %S (1-2 digits) %f (fraction
// digits, kept) %z (Z, +HH, +HHMM, +HH:MM) %Z (UTC, GMT, Z) %b %h (English month,
// short or long) %a (weekday, ignored) %s (Unix seconds) %T (%H:%M:%S) %F
// (%Y-%m-%d) %%. A space matches one or more whitespace characters; any other
// character matches itself.
//
// Parses `text` (surrounding whitespace ignored) and appends the STIX timestamp to
// *out ("2019-02-13T00:34:42.000Z": the fraction as written, at least
// milliseconds as STIX wants them for created/modified). With
// `allow_trailing`, text after the format is ignored (banner lines). False, with
// *out unchanged, when the text does not match or is not a real calendar time.
bool ParseFeedTime(std::string_view format, std::string_view text, std::string* out,
                   bool allow_trailing = false);

// True when `format` is "auto"/empty or uses only the directives above.
bool IsValidTimeFormat(std::string_view format);

}  // namespace tessera::formats::feeds
