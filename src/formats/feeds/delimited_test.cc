#include "formats/feeds/delimited.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tessera::formats::feeds {
namespace {

std::vector<std::string> Fields(const RecordSplitter& s) {
  return std::vector<std::string>(s.fields().begin(), s.fields().end());
}

using Strings = std::vector<std::string>;

TEST(RecordSplitter, PlainAndQuotedFields) {
  RecordSplitter s(SplitOptions{});
  size_t consumed = 0;
  size_t lines = 0;
  std::string text = "a, b ,,\"c,d\",\"say \"\"hi\"\"\",\"x\"y\r\nnext\n";
  ASSERT_EQ(s.Split(text, false, &consumed, &lines), RecordSplitter::Status::kRecord);
  EXPECT_EQ(Fields(s), (Strings{"a", "b", "", "c,d", "say \"hi\"", "xy"}));
  EXPECT_EQ(consumed, text.find("next"));
  EXPECT_EQ(lines, 1u);
  EXPECT_EQ(s.raw(), "a, b ,,\"c,d\",\"say \"\"hi\"\"\",\"x\"y");
}

TEST(RecordSplitter, QuotedNewlinesAndIncompleteRecords) {
  RecordSplitter s(SplitOptions{});
  size_t consumed = 0;
  size_t lines = 0;
  std::string text = "1,\"two\nlines\",3\n4\n";
  ASSERT_EQ(s.Split(text, false, &consumed, &lines), RecordSplitter::Status::kRecord);
  EXPECT_EQ(Fields(s), (Strings{"1", "two\nlines", "3"}));
  EXPECT_EQ(lines, 2u);
  EXPECT_EQ(text.substr(consumed), "4\n");
  // The quote runs past the text: more input is needed, unless there is none.
  EXPECT_EQ(s.Split("1,\"open\nstill\n", false, &consumed, &lines),
            RecordSplitter::Status::kIncomplete);
  ASSERT_EQ(s.Split("1,\"open\nstill\n", true, &consumed, &lines),
            RecordSplitter::Status::kUnterminated);
  EXPECT_EQ(consumed, 8u);  // the first line alone
  EXPECT_EQ(s.raw(), "1,\"open");
}

TEST(RecordSplitter, QuotesInsideUnquotedFieldsAreLiteral) {
  RecordSplitter s(SplitOptions{});
  size_t consumed = 0;
  size_t lines = 0;
  ASSERT_EQ(s.Split("say \"hi\",b\n", true, &consumed, &lines), RecordSplitter::Status::kRecord);
  EXPECT_EQ(Fields(s), (Strings{"say \"hi\"", "b"}));
}

TEST(RecordSplitter, WhitespaceLayout) {
  SplitOptions options;
  options.whitespace = true;
  RecordSplitter s(options);
  size_t consumed = 0;
  size_t lines = 0;
  ASSERT_EQ(
      s.Split("zone \"example.com\"  {type master; file \"/x\";};\n", true, &consumed, &lines),
      RecordSplitter::Status::kRecord);
  EXPECT_EQ(Fields(s), (Strings{"zone", "example.com", "{type", "master;", "file", "/x;};"}));
  ASSERT_EQ(s.Split("  PRIMARY\texample.org   x.hosts  \n", true, &consumed, &lines),
            RecordSplitter::Status::kRecord);
  EXPECT_EQ(Fields(s), (Strings{"PRIMARY", "example.org", "x.hosts"}));
}

TEST(RecordSplitter, TrailingDelimiterMakesAnEmptyField) {
  RecordSplitter s(SplitOptions{});
  size_t consumed = 0;
  size_t lines = 0;
  ASSERT_EQ(s.Split("a,\"b\",", true, &consumed, &lines), RecordSplitter::Status::kRecord);
  EXPECT_EQ(Fields(s), (Strings{"a", "b", ""}));
  ASSERT_EQ(s.Split("a,b,", true, &consumed, &lines), RecordSplitter::Status::kRecord);
  EXPECT_EQ(Fields(s), (Strings{"a", "b", ""}));
}

TEST(SniffDelimiter, PicksTheConsistentSeparator) {
  std::vector<std::string> comments = {"#"};
  EXPECT_EQ(SniffDelimiter("# a,b\na;b;c\nd;e;f\n", comments), ';');
  EXPECT_EQ(SniffDelimiter("a\tb\tc\nd\te\tf\n", comments), '\t');
  EXPECT_EQ(SniffDelimiter("\"a,1\"|b|c\nd|e|f\n", comments), '|');
  EXPECT_EQ(SniffDelimiter("1.2.3.4 x\n5.6.7.8 y\n", comments), ' ');
  EXPECT_EQ(SniffDelimiter("http://a/?x=1,2\nhttp://b/\n", comments), 0);
  EXPECT_EQ(SniffDelimiter("# only comments\n", comments), 0);
  // Markup tables are not delimited data.
  EXPECT_EQ(SniffDelimiter("|a|b|c\n|d|e|f\n|g|h|i\n", comments), 0);
  EXPECT_NE(SniffDelimiter("| a | b |\n|---|---|\n| c | d |\n", comments), '|');
}

TEST(HtmlTable, RowsCellsAndReferences) {
  HtmlTableSplitter html;
  std::vector<HtmlTableSplitter::Row> rows;
  std::string page =
      "<table>\n<tr><th>A</th><TH>B</TH></tr>\n<tr><td>x &amp; <b>y</b></td><td>1&#47;2 &lt;3"
      "&nbsp;x";
  html.Feed(page, 0, false, &rows);
  ASSERT_EQ(rows.size(), 1u);  // the second row is still open
  EXPECT_TRUE(rows[0].header);
  EXPECT_EQ(rows[0].cells, (Strings{"A", "B"}));
  EXPECT_EQ(rows[0].line, 2u);
  html.Feed("</td></tr>\n<tr><td>&bogus; & z</td>\n</table>", page.size(), true, &rows);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_FALSE(rows[1].header);
  EXPECT_EQ(rows[1].cells, (Strings{"x & y", "1/2 <3 x"}));
  EXPECT_EQ(rows[1].line, 3u);
  EXPECT_EQ(rows[1].byte_offset, page.find("<tr><td>"));
  EXPECT_EQ(rows[2].cells, (Strings{"&bogus; & z"}));
  EXPECT_EQ(rows[2].line, 4u);
}

}  // namespace
}  // namespace tessera::formats::feeds
