#include "formats/feeds/time_format.h"

#include <gtest/gtest.h>

#include <string>

namespace tessera::formats::feeds {
namespace {

std::string Parse(std::string_view format, std::string_view text, bool trailing = false) {
  std::string out;
  return ParseFeedTime(format, text, &out, trailing) ? out : "(none)";
}

TEST(FeedTime, Auto) {
  EXPECT_EQ(Parse("auto", "2019-02-13 00:34:42"), "2019-02-13T00:34:42.000Z");
  EXPECT_EQ(Parse("auto", "2019-02-13T00:34:42Z"), "2019-02-13T00:34:42.000Z");
  EXPECT_EQ(Parse("auto", "2019-04-01 03:13:20Z"), "2019-04-01T03:13:20.000Z");
  EXPECT_EQ(Parse("auto", "2019-02-13 00:34:42.5"), "2019-02-13T00:34:42.500Z");
  EXPECT_EQ(Parse("auto", "2019-02-13T00:34:42.123456+02:00"), "2019-02-12T22:34:42.123456Z");
  EXPECT_EQ(Parse("auto", "2019-02-13 00:34 UTC"), "2019-02-13T00:34:00.000Z");
  EXPECT_EQ(Parse("auto", "2019-02-13"), "2019-02-13T00:00:00.000Z");
  EXPECT_EQ(Parse("", "1450193702"), "2015-12-15T15:35:02.000Z");
  EXPECT_EQ(Parse("auto", "2019-02-30"), "(none)");
  EXPECT_EQ(Parse("auto", "2019-02-13 25:00:00"), "(none)");
  EXPECT_EQ(Parse("auto", "yesterday"), "(none)");
  EXPECT_EQ(Parse("auto", "2019-02-13 00:34:42 junk"), "(none)");
}

TEST(FeedTime, Formats) {
  EXPECT_EQ(Parse("%Y-%m-%d %H:%M:%S", "2019-02-13 00:34:42"), "2019-02-13T00:34:42.000Z");
  EXPECT_EQ(Parse("%d-%m-%Y", "21-06-2019"), "2019-06-21T00:00:00.000Z");
  EXPECT_EQ(Parse("%a, %d %b %Y %H:%M:%S GMT", "Mon, 14 Sep 2015 04:39:22 GMT"),
            "2015-09-14T04:39:22.000Z");
  EXPECT_EQ(Parse("%a, %d %b %Y %H:%M:%S %z", "Mon, 17 Aug 2015 14:36:19 +0000"),
            "2015-08-17T14:36:19.000Z");
  EXPECT_EQ(Parse("%a %b %d %H:%M:%S %Y UTC", "Tue Dec  1 15:33:38 2015 UTC"),
            "2015-12-01T15:33:38.000Z");
  EXPECT_EQ(Parse("# %F %T", "# 2016-11-10 09:11:03"), "2016-11-10T09:11:03.000Z");
  EXPECT_EQ(Parse("%Y%m%d", "20240229"), "2024-02-29T00:00:00.000Z");
  EXPECT_EQ(Parse("%Y-%m-%d", "2024-02-29"), "2024-02-29T00:00:00.000Z");
  EXPECT_EQ(Parse("%Y-%m-%d", "2023-02-29"), "(none)");
  EXPECT_EQ(Parse("%d %B %Y", "1 January 2020"), "(none)");  // %B is not a directive
  EXPECT_EQ(Parse("%d %b %Y", "1 January 2020"), "2020-01-01T00:00:00.000Z");
  EXPECT_EQ(Parse("%Y-%m-%dT%H:%M:%S%z", "2024-03-01T00:30:00+01:00"), "2024-02-29T23:30:00.000Z");
  EXPECT_EQ(Parse("%s", "1450193702 (Tue Dec 15 15:35:02 2015 GMT)", true),
            "2015-12-15T15:35:02.000Z");
  EXPECT_EQ(Parse("%s", "1450193702 (Tue Dec 15 15:35:02 2015 GMT)"), "(none)");
}

TEST(FeedTime, ValidFormats) {
  EXPECT_TRUE(IsValidTimeFormat("auto"));
  EXPECT_TRUE(IsValidTimeFormat("%Y-%m-%d %H:%M:%S%%"));
  EXPECT_FALSE(IsValidTimeFormat("%Q"));
  EXPECT_FALSE(IsValidTimeFormat("%Y-%"));
}

}  // namespace
}  // namespace tessera::formats::feeds
