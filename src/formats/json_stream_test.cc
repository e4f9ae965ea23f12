// The array splitter: elements and members across any split of the bytes.
#include "formats/json_stream.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tessera::formats {
namespace {

struct Split {
  std::vector<std::string> elements;
  std::vector<uint64_t> offsets;
  std::vector<uint64_t> lines;
  std::vector<std::string> members;
  core::Status status;
};

// Feeds `text` in pieces of `piece` bytes (every split must give the same result).
Split SplitText(const std::string& member, const std::string& text, size_t piece) {
  Split out;
  JsonArraySplitter::Callbacks callbacks;
  callbacks.element = [&](std::string_view e, uint64_t offset, uint64_t line) {
    out.elements.emplace_back(e);
    out.offsets.push_back(offset);
    out.lines.push_back(line);
  };
  callbacks.member = [&](std::string_view key, std::string_view value) {
    out.members.push_back(std::string(key) + "=" + std::string(value));
  };
  JsonArraySplitter splitter(member, std::move(callbacks));
  for (size_t at = 0; at < text.size(); at += piece) {
    out.status = splitter.Feed(std::string_view(text).substr(at, piece));
    if (!out.status.ok()) return out;
  }
  out.status = splitter.Finish();
  return out;
}

TEST(JsonArraySplitter, BundleMembersAndElementsAtAnySplit) {
  std::string text =
      "{\"type\": \"bundle\", \"id\":\"b\",\n\"objects\": [ {\"a\": \"x]},\\\"\"},\n [1,{\"b\":[]}] , 7 ,"
      " \"s,]\" ], \"tail\": {\"k\": [1,2]} }";
  for (size_t piece : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{1000}}) {
    Split s = SplitText("objects", text, piece);
    ASSERT_TRUE(s.status.ok()) << piece << ": " << s.status.error().ToString();
    ASSERT_EQ(s.elements.size(), 4u) << piece;
    EXPECT_EQ(s.elements[0], "{\"a\": \"x]},\\\"\"}");
    EXPECT_EQ(s.elements[1], "[1,{\"b\":[]}]");
    EXPECT_EQ(s.elements[2], "7");
    EXPECT_EQ(s.elements[3], "\"s,]\"");
    EXPECT_EQ(s.offsets[0], text.find("{\"a\""));
    EXPECT_EQ(s.lines[0], 2u);
    ASSERT_EQ(s.members.size(), 3u);
    EXPECT_EQ(s.members[0], "type=\"bundle\"");
    EXPECT_EQ(s.members[1], "id=\"b\"");
    EXPECT_EQ(s.members[2], "tail={\"k\": [1,2]}");
  }
}

TEST(JsonArraySplitter, RootArray) {
  Split s = SplitText("", "[{\"a\":1},{\"b\":2}]", 3);
  ASSERT_TRUE(s.status.ok());
  EXPECT_EQ(s.elements.size(), 2u);
  Split empty = SplitText("", " [ ] ", 1);
  ASSERT_TRUE(empty.status.ok());
  EXPECT_TRUE(empty.elements.empty());
}

TEST(JsonArraySplitter, Errors) {
  EXPECT_FALSE(SplitText("objects", "[1]", 10).status.ok());          // not an object
  EXPECT_FALSE(SplitText("", "{}", 10).status.ok());                  // not an array
  EXPECT_FALSE(SplitText("objects", "{\"a\":1}", 10).status.ok());    // no objects array
  EXPECT_FALSE(SplitText("", "[1,2", 10).status.ok());                // truncated
  EXPECT_FALSE(SplitText("", "[1]]", 10).status.ok());                // stray bracket
  EXPECT_FALSE(SplitText("", "[1] x", 10).status.ok());               // trailing data
  EXPECT_FALSE(SplitText("", "", 10).status.ok());                    // empty
  std::string deep = "[" + std::string(600, '[') + std::string(600, ']') + "]";
  Split s = SplitText("", deep, 64);
  ASSERT_FALSE(s.status.ok());
  EXPECT_NE(s.status.error().message.find("deeper"), std::string::npos);
}

TEST(JsonArraySplitter, ObjectsArrayIsOnlyTheRootMember) {
  // An "objects" key nested in another member is not the streamed array.
  Split s = SplitText("objects", "{\"x\": {\"objects\": [1]}, \"objects\": [2, 3]}", 5);
  ASSERT_TRUE(s.status.ok());
  ASSERT_EQ(s.elements.size(), 2u);
  EXPECT_EQ(s.elements[0], "2");
}

}  // namespace
}  // namespace tessera::formats
