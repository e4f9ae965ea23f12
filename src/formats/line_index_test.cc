#include "formats/line_index.h"

#include <gtest/gtest.h>

#include <string>

namespace tessera::formats {
namespace {

TEST(LineIndexTest, LinesOfOffsetsInAnyOrder) {
  const std::string text = "ab\ncd\n\nef";  // lines start at 0, 3, 6, 7
  const LineIndex lines(text);
  EXPECT_EQ(lines.LineOf(7), 4u);  // asked first: the index is built on demand
  EXPECT_EQ(lines.LineOf(0), 1u);
  EXPECT_EQ(lines.LineOf(2), 1u);  // the newline itself ends line 1
  EXPECT_EQ(lines.LineOf(3), 2u);
  EXPECT_EQ(lines.LineOf(6), 3u);
  EXPECT_EQ(lines.LineOf(100), 4u);  // past the end: the last line
}

TEST(LineIndexTest, EmptyTextAndNoNewline) {
  EXPECT_EQ(LineIndex("").LineOf(0), 1u);
  EXPECT_EQ(LineIndex("abc").LineOf(2), 1u);
}

}  // namespace
}  // namespace tessera::formats
