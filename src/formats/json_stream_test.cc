// The streaming splitter: elements and members across any split of the bytes,
// in each of the shapes the STIX, MISP and JSON-feed readers ask for.
#include "formats/json_stream.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace tessera::formats {
namespace {

struct Split {
  std::vector<std::string> elements;
  std::vector<uint64_t> offsets;
  std::vector<uint64_t> lines;
  std::vector<std::string> groups;
  std::vector<bool> complete;
  std::vector<bool> too_big;
  std::vector<std::string> members;
  core::Status status;

  // Everything, errors by message and location.
  bool operator==(const Split& o) const {
    auto error = [](const core::Status& s) {
      return s.ok() ? std::string() : s.error().message + " at " + s.error().location;
    };
    return elements == o.elements && offsets == o.offsets && lines == o.lines &&
           groups == o.groups && complete == o.complete && too_big == o.too_big &&
           members == o.members && error(status) == error(o.status);
  }
};

// Feeds `text` in pieces of `piece` bytes (every split must give the same result).
Split SplitText(const JsonStreamShape& shape, std::string_view text, size_t piece,
                size_t max_element_bytes = size_t{1} << 20,
                BlockScanning scanning = BlockScanning::kWidest) {
  Split out;
  JsonStreamSplitter::Callbacks callbacks;
  callbacks.element = [&](const JsonElement& e) {
    out.elements.emplace_back(e.bytes);
    out.offsets.push_back(e.offset);
    out.lines.push_back(e.line);
    out.groups.emplace_back(e.group);
    out.complete.push_back(e.complete);
    out.too_big.push_back(e.too_big);
  };
  callbacks.member = [&](std::string_view key, std::string_view value) {
    out.members.push_back(std::string(key).append("=").append(value));
  };
  JsonStreamSplitter splitter(shape, max_element_bytes, std::move(callbacks), scanning);
  for (size_t at = 0; at < text.size(); at += piece) {
    out.status = splitter.Feed(text.substr(at, piece));
    if (!out.status.ok()) return out;
  }
  out.status = splitter.Finish();
  return out;
}

JsonStreamShape Member(std::string_view name) {
  JsonStreamShape shape;
  shape.array_members = {name};
  return shape;
}

// A JSON feed: records under "data" after "query_status" only, or id-keyed.
JsonStreamShape Feed() {
  JsonStreamShape shape;
  shape.array_members = {"data"};
  shape.leading_members = std::vector<std::string_view>{"query_status"};
  shape.id_keyed = true;
  shape.records = true;
  return shape;
}

TEST(JsonStreamSplitter, BundleMembersAndElementsAtAnySplit) {
  std::string text =
      "{\"type\": \"bundle\", \"id\":\"b\",\n\"objects\": [ {\"a\": \"x]},\\\"\"},\n "
      "[1,{\"b\":[]}] , 7 ,"
      " \"s,]\" ], \"tail\": {\"k\": [1,2]} }";
  for (size_t piece : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{1000}}) {
    Split s = SplitText(Member("objects"), text, piece);
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

TEST(JsonStreamSplitter, RootArray) {
  Split s = SplitText({}, "[{\"a\":1},{\"b\":2}]", 3);
  ASSERT_TRUE(s.status.ok());
  EXPECT_EQ(s.elements.size(), 2u);
  Split empty = SplitText({}, " [ ] ", 1);
  ASSERT_TRUE(empty.status.ok());
  EXPECT_TRUE(empty.elements.empty());
}

// What may be read after an element lying in the chunk fed: the rest of it.
TEST(JsonStreamSplitter, ReadableAfterAnElement) {
  std::vector<std::string> bytes;
  std::vector<size_t> after;
  JsonStreamSplitter::Callbacks callbacks;
  callbacks.element = [&](const JsonElement& e) {
    bytes.emplace_back(e.bytes);
    after.push_back(e.readable_after);
  };
  JsonStreamSplitter splitter({}, size_t{1} << 20, std::move(callbacks));
  const std::string text = R"([{"a":1},{"b":2}])";
  ASSERT_TRUE(splitter.Feed(text.substr(0, 12)).ok());  // cuts {"b":2}
  ASSERT_TRUE(splitter.Feed(text.substr(12)).ok());
  ASSERT_TRUE(splitter.Finish().ok());
  ASSERT_EQ(bytes, (std::vector<std::string>{R"({"a":1})", R"({"b":2})"}));
  EXPECT_EQ(after[0], 4u);  // ,{"b of the first chunk
}

TEST(JsonStreamSplitter, MispEventsListAtAnySplit) {
  // Strings holding brackets, escapes and commas; nested arrays; scalars.
  std::string text = R"(  {"response": [ {"a": "]}\"[{,"}, [1, [2]], "s\\", 7 ,{"b": {}} ] })";
  JsonStreamShape shape = Member("response");
  shape.leading_members = std::vector<std::string_view>{};  // the list is the first member
  for (size_t piece = 1; piece < 8; ++piece) {
    Split s = SplitText(shape, text, piece);
    ASSERT_TRUE(s.status.ok()) << piece;
    EXPECT_EQ(s.elements, (std::vector<std::string>{R"({"a": "]}\"[{,"})", "[1, [2]]", R"("s\\")",
                                                    "7", R"({"b": {}})"}))
        << piece;
  }
  // A "response" after another member is not the list.
  EXPECT_TRUE(SplitText(shape, R"({"x": 1, "response": [1]})", 4).elements.empty());
}

TEST(JsonStreamSplitter, FeedShapesAtAnySplit) {
  struct Case {
    std::string text;
    std::vector<std::string> records;
    std::vector<std::string> groups;
  };
  const Case cases[] = {
      {"[{\"a\":1}, {\"b\":\"]}\\\"\"} ,\n 7]",
       {"{\"a\":1}", "{\"b\":\"]}\\\"\"}", "7"},
       {"", "", ""}},
      {"{\"a\":1}\n{\"a\":2}\n", {"{\"a\":1}", "{\"a\":2}"}, {"", ""}},
      {"{\"query_status\":\"ok\",\"data\":[{\"x\":[1,{\"y\":2}]},{\"z\":3}]}",
       {"{\"x\":[1,{\"y\":2}]}", "{\"z\":3}"},
       {"", ""}},
      {"{\"17\":[{\"a\":1}],\"18\":[{\"b\":2},{\"c\":3}]}",
       {"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"},
       {"17", "18", "18"}},
      // "data" after another member is part of the record, not a record array.
      {"{\"id\":5,\"data\":[1,2]}", {"{\"id\":5,\"data\":[1,2]}"}, {""}},
      {"\xEF\xBB\xBF[{\"a\":1}]", {"{\"a\":1}"}, {""}},
  };
  for (const Case& c : cases) {
    for (size_t step : {size_t{1}, size_t{3}, c.text.size()}) {
      Split s = SplitText(Feed(), c.text, step);
      EXPECT_TRUE(s.status.ok()) << c.text;
      EXPECT_EQ(s.elements, c.records) << c.text << " step " << step;
      EXPECT_EQ(s.groups, c.groups) << c.text << " step " << step;
    }
  }
}

TEST(JsonStreamSplitter, FeedWrapperMembersLinesAndStrays) {
  Split s =
      SplitText(Feed(), "{\"query_status\": \"ok\",\n \"data\": [\n{\"a\":1},\n{\"b\":2}]}", 5);
  EXPECT_EQ(s.members, (std::vector<std::string>{"query_status=\"ok\""}));
  EXPECT_EQ(s.lines, (std::vector<uint64_t>{3, 4}));
  // A stray top-level token is handed out up to its line's end.
  Split stray = SplitText(Feed(), "{\"a\":1}\nnope, nope\n{\"b\":2}", 2);
  ASSERT_TRUE(stray.status.ok());
  EXPECT_EQ(stray.elements, (std::vector<std::string>{"{\"a\":1}", "nope, nope", "{\"b\":2}"}));
  EXPECT_EQ(stray.lines, (std::vector<uint64_t>{1, 2, 3}));
}

TEST(JsonStreamSplitter, CutShortAndTooBigElementsAreHandedOut) {
  // The element the input ends inside comes out flagged incomplete.
  Split cut = SplitText(Feed(), "[{\"a\":1},{\"b\":", 4);
  ASSERT_TRUE(cut.status.ok());
  EXPECT_EQ(cut.elements, (std::vector<std::string>{"{\"a\":1}", "{\"b\":"}));
  EXPECT_EQ(cut.complete, (std::vector<bool>{true, false}));
  // One over the limit keeps its beginning and is flagged; the next is whole.
  for (size_t piece : {size_t{1}, size_t{5}, size_t{100}}) {
    Split big = SplitText({}, R"([{"abcdef": 1}, 2])", piece, 4);
    ASSERT_TRUE(big.status.ok());
    EXPECT_EQ(big.elements, (std::vector<std::string>{"{\"ab", "2"})) << piece;
    EXPECT_EQ(big.too_big, (std::vector<bool>{true, false})) << piece;
  }
}

TEST(JsonStreamSplitter, Errors) {
  auto error_at = [](const Split& s) { return s.status.ok() ? "" : s.status.error().location; };
  EXPECT_EQ(error_at(SplitText(Member("objects"), "{\"a\": [1", 3)), "byte 8");  // cut short
  EXPECT_EQ(error_at(SplitText({}, "[1]]", 10)), "byte 3");                      // stray bracket
  EXPECT_EQ(error_at(SplitText({}, "[1] x", 10)), "byte 4");                     // trailing data
  EXPECT_EQ(error_at(SplitText({}, "42", 10)), "byte 0");  // not an array or object
  EXPECT_FALSE(SplitText(Feed(), "]", 1).status.ok());
  std::string deep = "[" + std::string(600, '[') + std::string(600, ']') + "]";
  Split s = SplitText({}, deep, 64);
  ASSERT_FALSE(s.status.ok());
  EXPECT_NE(s.status.error().message.find("deeper"), std::string::npos);
}

TEST(JsonStreamSplitter, ObjectsArrayIsOnlyTheRootMember) {
  // An "objects" key nested in another member is not the streamed array.
  Split s = SplitText(Member("objects"), "{\"x\": {\"objects\": [1]}, \"objects\": [2, 3]}", 5);
  ASSERT_TRUE(s.status.ok());
  ASSERT_EQ(s.elements.size(), 2u);
  EXPECT_EQ(s.elements[0], "2");
}

// A random JSON value for comparing the block scanners with the byte loop:
// nesting, strings of every length (so that they straddle blocks) with escaped
// quotes and backslashes, raw newlines, and now and then what is not JSON: a
// backslash or quote outside a string, an escaped raw newline, a bracket too
// many or too few.
void AppendRandomValue(std::mt19937* rng, int depth, std::string* out) {
  auto pick = [&](int n) { return static_cast<int>((*rng)() % static_cast<unsigned>(n)); };
  auto append_string = [&] {
    out->push_back('"');
    // Letters mostly; now and then an escaped quote or backslash, brackets and
    // commas, a raw newline, or an escaped raw newline (not JSON).
    static constexpr std::string_view kPieces[] = {"\\\"", "\\\\", "]}[{,:", "\n", "\\\n"};
    for (int k = pick(pick(4) == 0 ? 200 : 24); k > 0; --k) {
      const int piece = pick(12);
      if (piece < 5) {
        out->append(kPieces[piece]);
      } else {
        out->push_back(static_cast<char>('a' + pick(26)));
      }
    }
    out->push_back('"');
  };
  switch (depth > 5 ? 0 : pick(10)) {
    case 0:
      append_string();
      break;
    case 1:
      out->append(std::to_string(pick(100000)));
      break;
    case 2:
    case 3:
    case 4: {
      out->push_back('[');
      for (int k = pick(5); k > 0; --k) {
        AppendRandomValue(rng, depth + 1, out);
        if (k > 1) out->append(pick(3) == 0 ? ",\n " : ",");
      }
      out->push_back(']');
      break;
    }
    case 5: {
      const char* noise[] = {"\\", "\"", "]", "}", "[", "\\\"", "\n"};
      out->append(noise[pick(7)]);
      break;
    }
    default: {
      out->push_back('{');
      for (int k = pick(6); k > 0; --k) {
        append_string();
        out->push_back(':');
        AppendRandomValue(rng, depth + 1, out);
        if (k > 1) out->push_back(',');
      }
      out->push_back('}');
    }
  }
}

TEST(JsonStreamSplitter, BlockScanningAgreesWithTheByteLoop) {
  JsonStreamShape misp = Member("response");
  misp.leading_members = std::vector<std::string_view>{};
  const std::pair<JsonStreamShape, std::string> shapes[] = {
      {Member("objects"), "{\"type\": \"bundle\", \"objects\": ["},
      {misp, "{\"response\":["},
      {{}, "["},
      {Feed(), "{\"query_status\":\"ok\",\"data\":["},
  };
  std::mt19937 rng(20261129);
  for (int round = 0; round < 400; ++round) {
    const auto& [shape, head] = shapes[round % 4];
    std::string text = head;
    for (int k = static_cast<int>(rng() % 12); k > 0; --k) {
      AppendRandomValue(&rng, 0, &text);
      if (k > 1) text.append(rng() % 4 == 0 ? ",\n" : ",");
    }
    if (rng() % 8 != 0) text.append(shape.array_members.empty() ? "]" : "]}");
    // Nesting around the depth limit now and then.
    if (round % 50 == 7) {
      const size_t deep = JsonStreamSplitter::kMaxDepth - 4 + rng() % 8;
      text = head + std::string(deep, '[') + std::string(deep, ']') + "]";
    }
    const Split expected =
        SplitText(shape, text, text.size() + 1, 1000, BlockScanning::kByteByByte);
    for (BlockScanning scanning : {BlockScanning::kSse2, BlockScanning::kWidest}) {
      for (size_t piece : {size_t{63}, size_t{64}, size_t{100}, size_t{4096}, text.size() + 1}) {
        EXPECT_TRUE(SplitText(shape, text, piece, 1000, scanning) == expected)
            << "round " << round << ", piece " << piece << ":\n"
            << text;
      }
    }
  }
}

}  // namespace
}  // namespace tessera::formats
