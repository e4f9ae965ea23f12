#include "core/time.h"

#include <gtest/gtest.h>

#include <string>

namespace tessera::core {
namespace {

TEST(StixTimestampTest, ValidValues) {
  struct Case {
    const char* text;
    int64_t seconds;
    int32_t nanos;
  };
  const Case cases[] = {
      {"1970-01-01T00:00:00Z", 0, 0},
      {"1970-01-01T00:00:01.5Z", 1, 500'000'000},
      {"2016-05-12T08:17:27.000Z", 1463041047, 0},
      {"2016-05-12T08:17:27.123456789Z", 1463041047, 123'456'789},
      {"2000-02-29T12:00:00Z", 951825600, 0},   // divisible by 400: leap
      {"2024-02-29T00:00:00Z", 1709164800, 0},  // divisible by 4: leap
      {"1969-12-31T23:59:59Z", -1, 0},
      {"1900-01-01T00:00:00Z", -2208988800, 0},
      {"9999-12-31T23:59:59.999Z", 253402300799, 999'000'000},
      {"0001-01-01T00:00:00Z", -62135596800, 0},
  };
  for (const Case& c : cases) {
    Result<Timestamp> r = ParseStixTimestamp(c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.error().ToString();
    EXPECT_EQ(r->seconds, c.seconds) << c.text;
    EXPECT_EQ(r->nanos, c.nanos) << c.text;
    EXPECT_EQ(FormatTimestamp(*r), c.text);  // precision preserved exactly
  }
}

TEST(StixTimestampTest, InvalidValuesSayWhatIsWrong) {
  struct Case {
    const char* text;
    const char* message_part;
  };
  const Case cases[] = {
      {"2016-13-01T00:00:00Z", "month 13 out of range"},
      {"2016-00-01T00:00:00Z", "month 0 out of range"},
      {"2016-04-31T00:00:00Z", "day 31 out of range"},
      {"2023-02-29T00:00:00Z", "not a leap year"},
      {"1900-02-29T00:00:00Z", "not a leap year"},  // divisible by 100, not 400
      {"2016-01-00T00:00:00Z", "day 0 out of range"},
      {"2016-01-01T24:00:00Z", "hour 24 out of range"},
      {"2016-01-01T23:60:00Z", "minute 60 out of range"},
      {"2016-01-01T23:59:61Z", "second 61 out of range"},
      {"2016-01-01T12:00:60Z", "leap second"},
      {"2016-06-15T23:59:60Z", "leap second"},  // not the last day of a month
      {"2016-01-01T00:00:00", "missing trailing Z"},
      {"2016-01-01T00:00:00+00:00", "timezone offset not allowed in STIX; use UTC with Z"},
      {"2016-01-01T00:00:00-05:00", "timezone offset not allowed in STIX"},
      {"2016-01-01T00:00:00z", "upper-case Z"},
      {"2016-01-01t00:00:00Z", "upper-case 'T'"},
      {"2016-01-01 00:00:00Z", "upper-case 'T'"},
      {"2016-01-01T00:00:00.Z", "digits after the decimal point"},
      {"2016-01-01T00:00:00.1234567890Z", "more than 9 fraction digits"},
      {"2016-01-01T00:00:00ZZ", "after trailing Z"},
      {"16-01-01T00:00:00Z", "4-digit year"},
      {"2016-1-01T00:00:00Z", "2-digit month"},
      {"2016-01-01", "'T'"},
      {"", "4-digit year"},
      {"2016/01/01T00:00:00Z", "'-'"},
      {"2016-01-01T00:00Z", "':'"},
  };
  for (const Case& c : cases) {
    Result<Timestamp> r = ParseStixTimestamp(c.text);
    ASSERT_FALSE(r.ok()) << "accepted: " << c.text;
    EXPECT_NE(r.error().message.find(c.message_part), std::string::npos)
        << c.text << " -> " << r.error().message;
  }
}

TEST(StixTimestampTest, LeapSecondClampsToEndOfMinute) {
  Result<Timestamp> leap = ParseStixTimestamp("2016-12-31T23:59:60Z");
  ASSERT_TRUE(leap.ok()) << leap.error().ToString();
  Result<Timestamp> before = ParseStixTimestamp("2016-12-31T23:59:59.999Z");
  Result<Timestamp> after = ParseStixTimestamp("2017-01-01T00:00:00Z");
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_LT(*before, *leap);
  EXPECT_LT(*leap, *after);
  EXPECT_EQ(FormatTimestamp(*leap), "2016-12-31T23:59:59Z");
  EXPECT_TRUE(ParseStixTimestamp("2015-06-30T23:59:60.5Z").ok());
}

TEST(StixTimestampTest, PrecisionPreserved) {
  const char* cases[] = {"2020-01-01T00:00:00.1Z", "2020-01-01T00:00:00.000Z",
                         "2020-01-01T00:00:00.10Z", "2020-01-01T00:00:00.000000000Z",
                         "2020-01-01T00:00:00.000001Z"};
  for (const char* text : cases) {
    Result<Timestamp> r = ParseStixTimestamp(text);
    ASSERT_TRUE(r.ok()) << text;
    EXPECT_EQ(FormatTimestamp(*r), text);
  }
  // Different precision, same instant: equal.
  EXPECT_EQ(*ParseStixTimestamp("2020-01-01T00:00:00.1Z"),
            *ParseStixTimestamp("2020-01-01T00:00:00.100Z"));
}

TEST(StixTimestampTest, Ordering) {
  const char* ascending[] = {
      "1969-12-31T23:59:59.999Z", "1970-01-01T00:00:00Z",     "1970-01-01T00:00:00.000000001Z",
      "2016-01-01T00:00:00.9Z",   "2016-01-01T00:00:01Z",     "2016-02-29T00:00:00Z",
      "2016-03-01T00:00:00Z",     "2017-01-01T00:00:00.001Z",
  };
  for (size_t i = 0; i + 1 < std::size(ascending); ++i) {
    Timestamp a = *ParseStixTimestamp(ascending[i]);
    Timestamp b = *ParseStixTimestamp(ascending[i + 1]);
    EXPECT_LT(a, b) << ascending[i] << " < " << ascending[i + 1];
    EXPECT_FALSE(b < a);
    EXPECT_NE(a, b);
  }
}

TEST(Rfc3339Test, OffsetsConvertToUtc) {
  struct Case {
    const char* text;
    const char* utc;
  };
  const Case cases[] = {
      {"2016-01-01T00:00:00Z", "2016-01-01T00:00:00Z"},
      {"2016-01-01t00:00:00z", "2016-01-01T00:00:00Z"},
      {"2016-01-01 00:00:00Z", "2016-01-01T00:00:00Z"},
      {"2016-01-01T05:30:00+05:30", "2016-01-01T00:00:00Z"},
      {"2015-12-31T19:00:00-05:00", "2016-01-01T00:00:00Z"},
      {"2016-03-01T01:00:00.25+02:00", "2016-02-29T23:00:00.25Z"},
      {"2016-01-01T00:00:00+0100", "2015-12-31T23:00:00Z"},
      {"2016-01-01T00:00:00.1234567891Z", "2016-01-01T00:00:00.123456789Z"},
  };
  for (const Case& c : cases) {
    Result<Timestamp> r = ParseRfc3339(c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.error().ToString();
    EXPECT_EQ(FormatTimestamp(*r), c.utc) << c.text;
  }
  const char* bad[] = {"2016-01-01T00:00:00",        "2016-01-01T00:00:00+24:00",
                       "2016-01-01T00:00:00+05",     "2016-02-30T00:00:00Z",
                       "2016-01-01T00:00:00Z extra", "2016-01-01X00:00:00Z"};
  for (const char* text : bad) EXPECT_FALSE(ParseRfc3339(text).ok()) << text;
}

TEST(TimestampTest, NowHasRequestedPrecision) {
  for (int digits : {0, 3, 6, 9}) {
    Timestamp now = Now(digits);
    EXPECT_EQ(now.frac_digits, digits);
    std::string text = FormatTimestamp(now);
    Result<Timestamp> back = ParseStixTimestamp(text);
    ASSERT_TRUE(back.ok()) << text;
    EXPECT_EQ(*back, now);
    EXPECT_GT(now.seconds, 1'600'000'000);  // after 2020
  }
}

TEST(TimestampTest, FormatNegativeWithFraction) {
  Timestamp ts;
  ts.seconds = -1;
  ts.nanos = 250'000'000;
  ts.frac_digits = 2;
  EXPECT_EQ(FormatTimestamp(ts), "1969-12-31T23:59:59.25Z");
}

}  // namespace
}  // namespace tessera::core
