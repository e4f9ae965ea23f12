// The plain readers: lists of observables and free text.
#include <gtest/gtest.h>

#include <string>

#include "testing/format_golden.h"

namespace tessera::formats {
namespace {

using testing::ReadBytes;

TEST(LinesReader, OneRecordPerObservableAndRejectsWithLines) {
  std::string text = "# a list\nhxxp://EVIL[.]com:80/a/../b\n\n198.51.100.7\nnot a thing at all\nEXAMPLE.COM.\n";
  auto out = ReadBytes("lines", text);
  ASSERT_TRUE(out.status.ok());
  ASSERT_EQ(out.sink.records.size(), 3u);
  ASSERT_EQ(out.sink.rejects.size(), 1u);
  EXPECT_EQ(out.sink.rejects[0].position.line, 5u);
  EXPECT_EQ(out.sink.rejects[0].raw, "not a thing at all");
  auto objects = testing::Objects(out);
  ASSERT_EQ(objects.size(), 3u);
  EXPECT_EQ(objects[0].Find("value")->as_string(), "http://evil.com/b");
  EXPECT_EQ(objects[1].Find("type")->as_string(), "ipv4-addr");
  EXPECT_EQ(out.sink.records[2].position.line, 6u);
  EXPECT_EQ(out.sink.records[2].position.byte_offset, text.find("EXAMPLE"));
  EXPECT_FALSE(out.sink.records[2].notes.empty());  // trailing dot removed
  EXPECT_TRUE(testing::InvalidObjects(out).empty());
}

TEST(LinesReader, KindOptionAndIndicators) {
  ReadContext context = testing::TestContext();
  context.options = {{"kind", "domain"}, {"indicators", "yes"}};
  auto out = ReadBytes("lines", "example.py\n", context);
  ASSERT_TRUE(out.status.ok());
  ASSERT_EQ(out.sink.records.size(), 1u);
  auto objects = testing::Objects(out);
  ASSERT_EQ(objects.size(), 3u);  // SCO, indicator, based-on
  EXPECT_EQ(objects[1].Find("pattern")->as_string(), "[domain-name:value = 'example.py']");
  EXPECT_EQ(objects[2].Find("relationship_type")->as_string(), "based-on");
  EXPECT_TRUE(testing::InvalidObjects(out).empty());
  // Without the kind, example.py is ambiguous and rejected with the reason.
  auto ambiguous = ReadBytes("lines", "example.py\n");
  ASSERT_EQ(ambiguous.sink.rejects.size(), 1u);
  EXPECT_NE(ambiguous.sink.rejects[0].reason.find("ambiguous"), std::string::npos)
      << ambiguous.sink.rejects[0].reason;
}

TEST(LinesReader, BadOptionsAreErrors) {
  ReadContext context = testing::TestContext();
  context.options = {{"kind", "planet"}};
  EXPECT_EQ(ReadBytes("lines", "x\n", context).status.error().code,
            core::ErrorCode::kInvalidArgument);
  context.options = {{"indicators", "maybe"}};
  EXPECT_FALSE(ReadBytes("lines", "x\n", context).status.ok());
  context.options = {{"kind", "ipv4"}};
  EXPECT_FALSE(ReadBytes("text", "x\n", context).status.ok());
}

TEST(TextReader, ExtractsWithLinesAndOffsets) {
  std::string text = "Report.\nThe C2 was evil[.]example.org\nand 203.0.113.9 (twice: 203.0.113.9).\n";
  auto out = ReadBytes("text", text);
  ASSERT_TRUE(out.status.ok());
  ASSERT_EQ(out.sink.records.size(), 2u);
  EXPECT_EQ(out.sink.records[0].position.line, 2u);
  EXPECT_EQ(out.sink.records[0].position.byte_offset, text.find("evil"));
  EXPECT_EQ(out.sink.records[1].position.line, 3u);
  auto objects = testing::Objects(out);
  EXPECT_EQ(objects[0].Find("value")->as_string(), "evil.example.org");
  EXPECT_EQ(objects[1].Find("value")->as_string(), "203.0.113.9");
}

TEST(TextReader, Detection) {
  auto detect = [](std::string text) {
    auto in = Input::FromString(std::move(text), "x");
    auto got = DetectFormat(in);
    return got.ok() ? got->format->name : std::string("none");
  };
  EXPECT_EQ(detect("evil.com\n198.51.100.1\n# c\nhxxp://x[.]org/a\n"), "lines");
  EXPECT_EQ(detect("We saw the actor use evil.com for weeks.\n"), "text");
  EXPECT_EQ(detect(""), "none");
}

}  // namespace
}  // namespace tessera::formats
