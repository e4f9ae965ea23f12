// Timestamp parsing and formatting with civil-date arithmetic (Howard Hinnant's
// days_from_civil / civil_from_days), so nothing depends on timegm, TZ or locale.
//
// Leap seconds: "23:59:60" (on the last day of a month, where ITU-R TF.460 allows
// them) is accepted and clamped to the last representable instant of that minute,
// 23:59:59.999999999, so it sorts after every real :59 instant and before the next
// day. The frac_digits of the input are kept, so it formats as 23:59:59.9...
#include "core/time.h"

#include <chrono>
#include <cstdio>
#include <string>

namespace tessera::core {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && IsLeapYear(y)) ? 29 : kDays[m - 1];
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Error ParseError(std::string message, size_t offset) {
  return MakeError(ErrorCode::kParse, std::move(message), "byte " + std::to_string(offset));
}

// Reads exactly `n` digits at `*pos`.
bool ReadDigits(std::string_view s, size_t* pos, size_t n, int* out) {
  if (*pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

struct Fields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int32_t nanos = 0;
  int8_t frac_digits = 0;
};

enum class Mode { kStix, kRfc3339 };

// Parses "YYYY-MM-DD?HH:MM:SS[.fff]" (the part shared by both forms) and validates the
// calendar. Leaves *pos at the time-zone designator.
Result<Fields> ParseDateTime(std::string_view s, size_t* pos, Mode mode) {
  Fields f;
  auto expect_sep = [&](char sep, const char* what) -> Status {
    if (*pos >= s.size() || s[*pos] != sep) {
      return ParseError(std::string("expected '") + sep + "' " + what, *pos);
    }
    ++*pos;
    return {};
  };
  if (!ReadDigits(s, pos, 4, &f.year)) return ParseError("expected a 4-digit year", *pos);
  TESSERA_RETURN_IF_ERROR(expect_sep('-', "after the year"));
  if (!ReadDigits(s, pos, 2, &f.month)) return ParseError("expected a 2-digit month", *pos);
  TESSERA_RETURN_IF_ERROR(expect_sep('-', "after the month"));
  if (!ReadDigits(s, pos, 2, &f.day)) return ParseError("expected a 2-digit day", *pos);

  if (*pos >= s.size()) return ParseError("missing time: expected 'T' after the date", *pos);
  char t = s[*pos];
  if (mode == Mode::kStix && t != 'T') {
    if (t == 't' || t == ' ') {
      return ParseError("date and time must be separated by upper-case 'T'", *pos);
    }
    return ParseError("expected 'T' after the date", *pos);
  }
  if (mode == Mode::kRfc3339 && t != 'T' && t != 't' && t != ' ') {
    return ParseError("expected 'T' or a space after the date", *pos);
  }
  ++*pos;

  if (!ReadDigits(s, pos, 2, &f.hour)) return ParseError("expected a 2-digit hour", *pos);
  TESSERA_RETURN_IF_ERROR(expect_sep(':', "after the hour"));
  if (!ReadDigits(s, pos, 2, &f.minute)) return ParseError("expected 2-digit minutes", *pos);
  TESSERA_RETURN_IF_ERROR(expect_sep(':', "after the minutes"));
  if (!ReadDigits(s, pos, 2, &f.second)) return ParseError("expected 2-digit seconds", *pos);

  if (*pos < s.size() && s[*pos] == '.') {
    ++*pos;
    size_t start = *pos;
    while (*pos < s.size() && IsDigit(s[*pos])) ++*pos;
    size_t count = *pos - start;
    if (count == 0) return ParseError("expected digits after the decimal point", start);
    if (count > 9) {
      // STIX 2.1 §3.2 allows any precision, but we keep nanoseconds at most.
      if (mode == Mode::kStix) {
        return MakeError(ErrorCode::kUnsupported,
                         "more than 9 fraction digits (nanosecond precision) not supported",
                         "byte " + std::to_string(start));
      }
      count = 9;  // RFC 3339 readers: truncate to nanoseconds
    }
    int32_t nanos = 0;
    for (size_t i = 0; i < 9; ++i) nanos = nanos * 10 + (i < count ? s[start + i] - '0' : 0);
    f.nanos = nanos;
    f.frac_digits = static_cast<int8_t>(count);
  }

  if (f.month < 1 || f.month > 12) {
    return ParseError("month " + std::to_string(f.month) + " out of range (01-12)", 5);
  }
  unsigned dim = DaysInMonth(f.year, static_cast<unsigned>(f.month));
  if (f.day < 1 || static_cast<unsigned>(f.day) > dim) {
    std::string why = "day " + std::to_string(f.day) + " out of range for " +
                      std::to_string(f.year) + "-" + (f.month < 10 ? "0" : "") +
                      std::to_string(f.month) + " (1-" + std::to_string(dim) + ")";
    if (f.month == 2 && f.day == 29) why += ": not a leap year";
    return ParseError(why, 8);
  }
  if (f.hour > 23) return ParseError("hour " + std::to_string(f.hour) + " out of range", 11);
  if (f.minute > 59) {
    return ParseError("minute " + std::to_string(f.minute) + " out of range", 14);
  }
  if (f.second > 60) {
    return ParseError("second " + std::to_string(f.second) + " out of range", 17);
  }
  if (f.second == 60) {
    if (f.hour != 23 || f.minute != 59 || static_cast<unsigned>(f.day) != dim) {
      return ParseError(
          "second 60 is only valid as a leap second at 23:59:60 on the last day of a month", 17);
    }
    f.second = 59;
    f.nanos = 999'999'999;
  }
  return f;
}

Timestamp ToTimestamp(const Fields& f, int64_t offset_seconds) {
  Timestamp ts;
  int64_t days =
      DaysFromCivil(f.year, static_cast<unsigned>(f.month), static_cast<unsigned>(f.day));
  ts.seconds = days * kSecondsPerDay + int64_t{f.hour} * 3600 + int64_t{f.minute} * 60 + f.second -
               offset_seconds;
  ts.nanos = f.nanos;
  ts.frac_digits = f.frac_digits;
  return ts;
}

}  // namespace

Result<Timestamp> ParseStixTimestamp(std::string_view text) {
  size_t pos = 0;
  Result<Fields> f = ParseDateTime(text, &pos, Mode::kStix);
  if (!f.ok()) return f.error();
  // STIX 2.1 §3.2: timestamps are UTC with a trailing upper-case Z.
  if (pos >= text.size()) return ParseError("missing trailing Z", pos);
  char c = text[pos];
  if (c == '+' || c == '-') {
    return ParseError("timezone offset not allowed in STIX; use UTC with Z", pos);
  }
  if (c == 'z') return ParseError("time zone designator must be upper-case Z", pos);
  if (c != 'Z') return ParseError("unexpected character; expected trailing Z", pos);
  if (pos + 1 != text.size()) return ParseError("unexpected text after trailing Z", pos + 1);
  return ToTimestamp(*f, 0);
}

Result<Timestamp> ParseRfc3339(std::string_view text) {
  size_t pos = 0;
  Result<Fields> f = ParseDateTime(text, &pos, Mode::kRfc3339);
  if (!f.ok()) return f.error();
  if (pos >= text.size()) return ParseError("missing time zone (Z or +HH:MM)", pos);
  char c = text[pos];
  int64_t offset = 0;
  if (c == 'Z' || c == 'z') {
    ++pos;
  } else if (c == '+' || c == '-') {
    ++pos;
    int hh = 0;
    int mm = 0;
    if (!ReadDigits(text, &pos, 2, &hh)) return ParseError("expected 2-digit offset hours", pos);
    if (pos < text.size() && text[pos] == ':') ++pos;
    if (!ReadDigits(text, &pos, 2, &mm)) {
      return ParseError("expected 2-digit offset minutes", pos);
    }
    if (hh > 23 || mm > 59) return ParseError("time zone offset out of range", pos - 5);
    offset = (c == '-' ? -1 : 1) * (int64_t{hh} * 3600 + int64_t{mm} * 60);
  } else {
    return ParseError("expected time zone: Z or +HH:MM", pos);
  }
  if (pos != text.size()) return ParseError("unexpected text after the time zone", pos);
  return ToTimestamp(*f, offset);
}

std::string FormatTimestamp(const Timestamp& ts) {
  int64_t days = ts.seconds / kSecondsPerDay;
  int64_t secs = ts.seconds % kSecondsPerDay;
  if (secs < 0) {
    secs += kSecondsPerDay;
    --days;
  }
  int64_t y = 0;
  unsigned m = 0;
  unsigned d = 0;
  CivilFromDays(days, &y, &m, &d);
  char buf[64];
  int hour = static_cast<int>(secs / 3600);
  int minute = static_cast<int>(secs / 60 % 60);
  int second = static_cast<int>(secs % 60);
  int len = std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02uT%02d:%02d:%02d",
                          static_cast<long long>(y), m, d, hour, minute, second);
  std::string out(buf, static_cast<size_t>(len));
  int digits = ts.frac_digits < 0 ? 0 : ts.frac_digits > 9 ? 9 : ts.frac_digits;
  if (digits > 0) {
    char frac[10];
    std::snprintf(frac, sizeof(frac), "%09d", static_cast<int>(ts.nanos));
    out.push_back('.');
    out.append(frac, static_cast<size_t>(digits));
  }
  out.push_back('Z');
  return out;
}

Timestamp Now(int frac_digits) {
  using std::chrono::duration_cast;
  using std::chrono::nanoseconds;
  int64_t ns =
      duration_cast<nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  Timestamp ts;
  ts.seconds = ns / 1'000'000'000;
  int64_t rem = ns % 1'000'000'000;
  if (rem < 0) {
    rem += 1'000'000'000;
    --ts.seconds;
  }
  int digits = frac_digits < 0 ? 0 : frac_digits > 9 ? 9 : frac_digits;
  int64_t unit = 1;
  for (int i = digits; i < 9; ++i) unit *= 10;
  ts.nanos = static_cast<int32_t>(rem - rem % unit);
  ts.frac_digits = static_cast<int8_t>(digits);
  return ts;
}

}  // namespace tessera::core
