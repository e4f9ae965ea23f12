#include "formats/jsonfeeds/feed_time.h"

#include <cstdint>

#include "core/time.h"
#include "normalize/observable.h"

namespace tessera::formats::jsonfeeds {
namespace {

// 0001-01-01 .. 9999-12-31: epoch seconds STIX timestamps can hold.
constexpr int64_t kMaxEpochSeconds = 253402300799;

core::Result<std::string> FromEpoch(int64_t value) {
  core::Timestamp ts;
  // 13 digits and more: milliseconds (JavaScript clocks).
  if (value > 99999999999) {
    ts.seconds = value / 1000;
    ts.nanos = static_cast<int32_t>((value % 1000) * 1000000);
    ts.frac_digits = 3;
  } else {
    ts.seconds = value;
    ts.frac_digits = 3;
  }
  if (value < 0 || ts.seconds > kMaxEpochSeconds) {
    return core::MakeError(core::ErrorCode::kValidation,
                           "epoch time " + std::to_string(value) + " is out of range");
  }
  return core::FormatTimestamp(ts);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

core::Result<std::string> FeedTimeText(std::string_view raw) {
  std::string_view text = normalize::detail::TrimAsciiSpace(raw);
  if (text.empty()) return core::MakeError(core::ErrorCode::kValidation, "empty time");
  bool digits = text.size() <= 16;
  for (char c : text) digits = digits && IsDigit(c);
  if (digits) return FromEpoch(std::stoll(std::string(text)));

  std::string s(text);
  for (std::string_view zone : {" UTC", " GMT", " utc", " Z"}) {
    if (s.size() > zone.size() && s.compare(s.size() - zone.size(), zone.size(), zone) == 0) {
      s.resize(s.size() - zone.size());
      s += 'Z';
      break;
    }
  }
  if (s.size() == 10) s += "T00:00:00Z";  // a bare date
  if (s.size() > 10 && s[10] == ' ') s[10] = 'T';
  // The zone: "Z", "+00:00", "+0000", or none (UTC).
  size_t time_start = s.find_first_of("Tt");
  if (time_start == std::string::npos) {
    return core::MakeError(core::ErrorCode::kValidation, "not a time: '" + std::string(text) + "'");
  }
  size_t zone = s.find_first_of("Zz+-", time_start);
  if (zone == std::string::npos) {
    s += 'Z';
  } else if (s[zone] == '+' || s[zone] == '-') {
    std::string_view offset = std::string_view(s).substr(zone + 1);
    if (offset.size() == 4 && IsDigit(offset[0]) && IsDigit(offset[3])) s.insert(zone + 3, ":");
    if (offset.size() == 2 && IsDigit(offset[0]) && IsDigit(offset[1])) s += ":00";
  }
  auto ts = core::ParseRfc3339(s);
  if (!ts.ok()) {
    return core::MakeError(core::ErrorCode::kValidation,
                           "not a time: '" + std::string(text) + "' (" + ts.error().message + ")");
  }
  core::Timestamp out = *ts;
  // STIX 2.1 §3.2: created and modified are at least millisecond precise.
  if (out.frac_digits < 3) out.frac_digits = 3;
  return core::FormatTimestamp(out);
}

core::Result<std::string> FeedTime(const core::Json& value) {
  if (value.is_string()) return FeedTimeText(value.as_string());
  int64_t n = 0;
  if (value.is_number() && value.GetInt64(&n)) return FromEpoch(n);
  if (value.is_number() && value.as_double() >= 0 && value.as_double() < 1e15) {
    return FromEpoch(static_cast<int64_t>(value.as_double()));
  }
  return core::MakeError(core::ErrorCode::kValidation, "not a time (neither a string nor a number)");
}

}  // namespace tessera::formats::jsonfeeds
