#include "formats/feeds/time_format.h"

#include <array>
#include <cstdint>

namespace tessera::formats::feeds {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

struct Fields {
  int year = -1;
  int month = -1;
  int day = -1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  std::string_view fraction;  // digits only
  int offset_minutes = 0;     // local = UTC + offset
  bool epoch = false;
  int64_t epoch_seconds = 0;
};

// Reads between min and max digits at *pos; false when fewer than min.
bool ReadNumber(std::string_view text, size_t* pos, int min_digits, int max_digits, int* out) {
  int value = 0;
  int n = 0;
  while (*pos < text.size() && n < max_digits && IsDigit(text[*pos])) {
    value = value * 10 + (text[*pos] - '0');
    ++*pos;
    ++n;
  }
  if (n < min_digits) return false;
  *out = value;
  return true;
}

constexpr std::array<std::string_view, 12> kMonths = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};
constexpr std::array<std::string_view, 7> kWeekdays = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

// Matches a name's three-letter abbreviation or the whole name, case-insensitively.
template <size_t N>
int ReadName(std::string_view text, size_t* pos, const std::array<std::string_view, N>& names) {
  for (size_t i = 0; i < N; ++i) {
    std::string_view name = names[i];
    size_t n = 0;
    while (n < name.size() && *pos + n < text.size() && Lower(text[*pos + n]) == name[n]) ++n;
    if (n == name.size() || n == 3) {
      // Three letters must not be followed by more letters of another word.
      if (n == 3 && *pos + 3 < text.size()) {
        char next = Lower(text[*pos + 3]);
        if (next >= 'a' && next <= 'z') continue;
      }
      *pos += n;
      return static_cast<int>(i);
    }
  }
  return -1;
}

bool ReadZone(std::string_view text, size_t* pos, int* offset) {
  if (*pos >= text.size()) return false;
  char c = text[*pos];
  if (c == 'Z' || c == 'z') {
    ++*pos;
    *offset = 0;
    return true;
  }
  if (text.substr(*pos, 3) == "UTC" || text.substr(*pos, 3) == "GMT") {
    *pos += 3;
    *offset = 0;
    return true;
  }
  if (c != '+' && c != '-') return false;
  ++*pos;
  int hours = 0;
  int minutes = 0;
  size_t start = *pos;
  if (!ReadNumber(text, pos, 2, 2, &hours)) return false;
  if (*pos < text.size() && text[*pos] == ':') {
    ++*pos;
    if (!ReadNumber(text, pos, 2, 2, &minutes)) return false;
  } else if (*pos + 1 < text.size() && IsDigit(text[*pos]) && IsDigit(text[*pos + 1])) {
    if (!ReadNumber(text, pos, 2, 2, &minutes)) return false;
  }
  if (*pos - start < 2 || hours > 23 || minutes > 59) return false;
  *offset = (c == '-' ? -1 : 1) * (hours * 60 + minutes);
  return true;
}

bool Matches(std::string_view format, std::string_view text, size_t* pos, Fields* f);

bool MatchDirective(char d, std::string_view text, size_t* pos, Fields* f) {
  switch (d) {
    case 'Y':
      return ReadNumber(text, pos, 4, 4, &f->year);
    case 'y': {
      int y = 0;
      if (!ReadNumber(text, pos, 2, 2, &y)) return false;
      f->year = y < 69 ? 2000 + y : 1900 + y;
      return true;
    }
    case 'm':
      return ReadNumber(text, pos, 1, 2, &f->month);
    case 'e':
      if (*pos < text.size() && text[*pos] == ' ') ++*pos;
      return ReadNumber(text, pos, 1, 2, &f->day);
    case 'd':
      return ReadNumber(text, pos, 1, 2, &f->day);
    case 'H':
      return ReadNumber(text, pos, 1, 2, &f->hour);
    case 'M':
      return ReadNumber(text, pos, 1, 2, &f->minute);
    case 'S':
      return ReadNumber(text, pos, 1, 2, &f->second);
    case 'f': {
      size_t start = *pos;
      while (*pos < text.size() && *pos - start < 9 && IsDigit(text[*pos])) ++*pos;
      if (*pos == start) return false;
      f->fraction = text.substr(start, *pos - start);
      return true;
    }
    case 'z':
      return ReadZone(text, pos, &f->offset_minutes);
    case 'Z': {
      if (text.substr(*pos, 3) == "UTC" || text.substr(*pos, 3) == "GMT") {
        *pos += 3;
        return true;
      }
      if (*pos < text.size() && text[*pos] == 'Z') {
        ++*pos;
        return true;
      }
      return false;
    }
    case 'b':
    case 'h': {
      int m = ReadName(text, pos, kMonths);
      if (m < 0) return false;
      f->month = m + 1;
      return true;
    }
    case 'a':
      return ReadName(text, pos, kWeekdays) >= 0;
    case 's': {
      size_t start = *pos;
      int64_t v = 0;
      while (*pos < text.size() && *pos - start < 12 && IsDigit(text[*pos])) {
        v = v * 10 + (text[*pos] - '0');
        ++*pos;
      }
      if (*pos == start) return false;
      f->epoch = true;
      f->epoch_seconds = v;
      return true;
    }
    case 'T':
      return Matches("%H:%M:%S", text, pos, f);
    case 'F':
      return Matches("%Y-%m-%d", text, pos, f);
    case '%':
      if (*pos < text.size() && text[*pos] == '%') {
        ++*pos;
        return true;
      }
      return false;
    default:
      return false;
  }
}

bool Matches(std::string_view format, std::string_view text, size_t* pos, Fields* f) {
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c == '%' && i + 1 < format.size()) {
      if (!MatchDirective(format[++i], text, pos, f)) return false;
    } else if (IsSpace(c)) {
      size_t start = *pos;
      while (*pos < text.size() && IsSpace(text[*pos])) ++*pos;
      if (*pos == start) return false;
      while (i + 1 < format.size() && IsSpace(format[i + 1])) ++i;
    } else {
      if (*pos >= text.size() || text[*pos] != c) return false;
      ++*pos;
    }
  }
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int* year, int* month, int* day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *year = static_cast<int>(y + (*month <= 2));
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) return 29;
  return kDays[month - 1];
}

// A real calendar date and time of day (years 1 to 9999).
bool IsCivilTime(const Fields& f) {
  return f.year >= 1 && f.year <= 9999 && f.month >= 1 && f.month <= 12 && f.day >= 1 &&
         f.day <= DaysInMonth(f.year, f.month) && f.hour <= 23 && f.minute <= 59 && f.second <= 59;
}

bool Emit(Fields f, std::string* out) {
  if (f.epoch) {
    // 1970 to 9999.
    if (f.epoch_seconds > 253402300799) return false;
    int64_t days = f.epoch_seconds / 86400;
    int64_t rest = f.epoch_seconds % 86400;
    CivilFromDays(days, &f.year, &f.month, &f.day);
    f.hour = static_cast<int>(rest / 3600);
    f.minute = static_cast<int>(rest / 60 % 60);
    f.second = static_cast<int>(rest % 60);
  } else {
    if (!IsCivilTime(f)) return false;
    if (f.offset_minutes != 0) {
      int64_t t = DaysFromCivil(f.year, f.month, f.day) * 86400 + f.hour * 3600 + f.minute * 60 +
                  f.second - static_cast<int64_t>(f.offset_minutes) * 60;
      int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
      int64_t rest = t - days * 86400;
      CivilFromDays(days, &f.year, &f.month, &f.day);
      if (f.year < 1 || f.year > 9999) return false;
      f.hour = static_cast<int>(rest / 3600);
      f.minute = static_cast<int>(rest / 60 % 60);
      f.second = static_cast<int>(rest % 60);
    }
  }
  // YYYY-MM-DDTHH:MM:SS, then the fraction: STIX 2.1 §3.2 wants created and
  // modified precise to the millisecond at least.
  char buf[19] = {'0', '0', '0', '0', '-', '0', '0', '-', '0', '0',
                  'T', '0', '0', ':', '0', '0', ':', '0', '0'};
  auto put = [&buf](size_t at, int value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      buf[at + static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(0, f.year, 4);
  put(5, f.month, 2);
  put(8, f.day, 2);
  put(11, f.hour, 2);
  put(14, f.minute, 2);
  put(17, f.second, 2);
  out->append(buf, sizeof(buf));
  out->push_back('.');
  out->append(f.fraction);
  if (f.fraction.size() < 3) out->append(3 - f.fraction.size(), '0');
  out->push_back('Z');
  return true;
}

bool Digits(std::string_view s, size_t at, size_t n) {
  if (at + n > s.size()) return false;
  for (size_t i = at; i < at + n; ++i) {
    if (!IsDigit(s[i])) return false;
  }
  return true;
}

int Two(std::string_view s, size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

// RFC 3339 and its common relatives, without a format.
bool ParseAuto(std::string_view text, size_t* pos, Fields* f) {
  std::string_view s = text;
  // Unix seconds.
  if (s.size() >= 9 && s.size() <= 10 && Digits(s, 0, s.size())) {
    f->epoch = true;
    for (char c : s) f->epoch_seconds = f->epoch_seconds * 10 + (c - '0');
    *pos = s.size();
    return true;
  }
  if (!Digits(s, 0, 4) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2) || s[7] != '-' ||
      !Digits(s, 8, 2)) {
    return false;
  }
  f->year = Two(s, 0) * 100 + Two(s, 2);
  f->month = Two(s, 5);
  f->day = Two(s, 8);
  size_t i = 10;
  if (i < s.size() && (s[i] == 'T' || s[i] == 't' || s[i] == ' ') && Digits(s, i + 1, 2) &&
      i + 3 < s.size() && s[i + 3] == ':' && Digits(s, i + 4, 2)) {
    f->hour = Two(s, i + 1);
    f->minute = Two(s, i + 4);
    i += 6;
    if (i < s.size() && s[i] == ':' && Digits(s, i + 1, 2)) {
      f->second = Two(s, i + 1);
      i += 3;
      if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
        size_t start = ++i;
        while (i < s.size() && i - start < 9 && IsDigit(s[i])) ++i;
        if (i == start) return false;
        f->fraction = s.substr(start, i - start);
      }
    }
    size_t zone = i;
    while (zone < s.size() && s[zone] == ' ') ++zone;
    if (zone < s.size()) {
      if (!ReadZone(s, &zone, &f->offset_minutes)) return false;
      i = zone;
    }
  }
  *pos = i;
  return true;
}

}  // namespace

bool ParseFeedTime(std::string_view format, std::string_view text, std::string* out,
                   bool allow_trailing) {
  text = Trim(text);
  if (text.empty()) return false;
  Fields f;
  size_t pos = 0;
  // The most common layout, without the directive interpreter.
  if (format == "%Y-%m-%d %H:%M:%S" && text.size() == 19 && Digits(text, 0, 4) && text[4] == '-' &&
      Digits(text, 5, 2) && text[7] == '-' && Digits(text, 8, 2) && text[10] == ' ' &&
      Digits(text, 11, 2) && text[13] == ':' && Digits(text, 14, 2) && text[16] == ':' &&
      Digits(text, 17, 2)) {
    f.year = Two(text, 0) * 100 + Two(text, 2);
    f.month = Two(text, 5);
    f.day = Two(text, 8);
    f.hour = Two(text, 11);
    f.minute = Two(text, 14);
    f.second = Two(text, 17);
    if (!IsCivilTime(f)) return false;
    // Emit's output, which here is the text's own digits: "YYYY-MM-DDTHH:MM:SS.000Z".
    out->append(text.data(), 10).append(1, 'T').append(text.data() + 11, 8).append(".000Z");
    return true;
  }
  bool ok = format.empty() || format == kAutoTimeFormat ? ParseAuto(text, &pos, &f)
                                                        : Matches(format, text, &pos, &f);
  if (!ok) return false;
  if (pos != text.size() && !allow_trailing) return false;
  if (!f.epoch && (f.year < 0 || f.month < 0 || f.day < 0)) return false;
  return Emit(f, out);
}

bool IsValidTimeFormat(std::string_view format) {
  if (format.empty() || format == kAutoTimeFormat) return true;
  static constexpr std::string_view kDirectives = "YymdeHMSfzZbhasTF%";
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (i + 1 >= format.size() || kDirectives.find(format[i + 1]) == std::string_view::npos) {
      return false;
    }
    ++i;
  }
  return true;
}

}  // namespace tessera::formats::feeds
