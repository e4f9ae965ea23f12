#include "core/json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace tessera::core {
namespace {

Json MustParse(std::string_view text) {
  Result<Json> r = ParseJson(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().ToString());
  return r.ok() ? std::move(r).value() : Json();
}

std::string Es6(double d) {
  std::string out;
  AppendEs6Number(&out, d);
  return out;
}

// RFC 8785 §3.2.2.3 and Appendix B sample values.
TEST(Es6NumberTest, RfcSamples) {
  struct Case {
    double value;
    const char* expected;
  };
  const Case cases[] = {
      {0.0, "0"},
      {-0.0, "0"},
      {1e21, "1e+21"},
      {1e20, "100000000000000000000"},
      {1e-7, "1e-7"},
      {1.5e-7, "1.5e-7"},
      {0.000001, "0.000001"},
      {333333333.33333329, "333333333.3333333"},
      {4.5, "4.5"},
      {2e-3, "0.002"},
      {5e-324, "5e-324"},
      {-5e-324, "-5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {-1.7976931348623157e308, "-1.7976931348623157e+308"},
      {9007199254740992.0, "9007199254740992"},
      {-9007199254740992.0, "-9007199254740992"},
      {295147905179352830000.0, "295147905179352830000"},
      {1e23, "1e+23"},
      {1.0, "1"},
      {-1.0, "-1"},
      {100.0, "100"},
      {0.1, "0.1"},
      {123.456, "123.456"},
      {1.25e-6, "0.00000125"},
      {1e-6, "0.000001"},
      {4.940656458412465e-324, "5e-324"},
      {2.2250738585072014e-308, "2.2250738585072014e-308"},
      {123456789012345680000.0, "123456789012345680000"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Es6(c.value), c.expected) << "value " << c.value;
  }
}

// RFC 8785 Appendix B: IEEE-754 bit patterns and their expected serialization.
TEST(Es6NumberTest, RfcAppendixBBitPatterns) {
  struct Case {
    uint64_t bits;
    const char* expected;
  };
  const Case cases[] = {
      {0x0000000000000000, "0"},
      {0x8000000000000000, "0"},
      {0x0000000000000001, "5e-324"},
      {0x8000000000000001, "-5e-324"},
      {0x7fefffffffffffff, "1.7976931348623157e+308"},
      {0xffefffffffffffff, "-1.7976931348623157e+308"},
      {0x4340000000000000, "9007199254740992"},
      {0xc340000000000000, "-9007199254740992"},
      {0x4430000000000000, "295147905179352830000"},
      {0x44b52d02c7e14af5, "9.999999999999997e+22"},
      {0x44b52d02c7e14af6, "1e+23"},
      {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
      {0x444b1ae4d6e2ef4e, "999999999999999700000"},
      {0x444b1ae4d6e2ef4f, "999999999999999900000"},
      {0x444b1ae4d6e2ef50, "1e+21"},
      {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
      {0x3eb0c6f7a0b5ed8d, "0.000001"},
      {0x41b3de4355555553, "333333333.3333332"},
      {0x41b3de4355555554, "333333333.33333325"},
      {0x41b3de4355555555, "333333333.3333333"},
      {0x41b3de4355555556, "333333333.3333334"},
      {0x41b3de4355555557, "333333333.33333343"},
      {0xbecbf647612f3696, "-0.0000033333333333333333"},
      {0x43143ff3c1cb0959, "1424953923781206.2"},
  };
  for (const Case& c : cases) {
    double d = 0;
    static_assert(sizeof(d) == sizeof(c.bits));
    std::memcpy(&d, &c.bits, sizeof(d));
    EXPECT_EQ(Es6(d), c.expected) << std::hex << c.bits;
  }
}

TEST(JsonStringTest, EscapesEveryControlCharacter) {
  for (int c = 0; c < 0x20; ++c) {
    std::string out;
    AppendJsonString(&out, std::string(1, static_cast<char>(c)));
    std::string expected;
    switch (c) {
      case '\b':
        expected = "\"\\b\"";
        break;
      case '\f':
        expected = "\"\\f\"";
        break;
      case '\n':
        expected = "\"\\n\"";
        break;
      case '\r':
        expected = "\"\\r\"";
        break;
      case '\t':
        expected = "\"\\t\"";
        break;
      default: {
        char buf[16];
        std::snprintf(buf, sizeof(buf), "\"\\u%04x\"", c);
        expected = buf;
      }
    }
    EXPECT_EQ(out, expected) << "control char " << c;
  }
}

TEST(JsonStringTest, QuoteBackslashAndNonAscii) {
  struct Case {
    std::string in;
    std::string expected;
  };
  const Case cases[] = {
      {"a\"b", R"("a\"b")"},
      {"a\\b", R"("a\\b")"},
      {"/", R"("/")"},  // solidus is not escaped
      {"\x7f", "\"\x7f\""},
      {"\xe2\x82\xac", "\"\xe2\x82\xac\""},          // U+20AC raw
      {"\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\""},  // U+1F600 raw
      {"\x1f", R"("\u001f")"},
      {"", R"("")"},
  };
  for (const Case& c : cases) {
    std::string out;
    AppendJsonString(&out, c.in);
    EXPECT_EQ(out, c.expected);
  }
}

// Every byte value at every offset of strings long enough for the 16- and
// 8-byte scans, after plain runs and after other escapes: the buffer writer and
// the appender agree, and the result parses back to the input.
TEST(JsonStringTest, BufferWriterMatchesAppenderAtEveryOffset) {
  for (int c = 0; c < 256; ++c) {
    for (size_t length : {1, 7, 8, 9, 15, 16, 17, 31, 33, 40}) {
      for (size_t at = 0; at < length; ++at) {
        std::string in(length, 'a');
        in[at] = static_cast<char>(c);
        if (at + 2 < length) in[at + 2] = '"';
        std::string appended = "x";
        AppendJsonString(&appended, in);
        std::string written(MaxJsonStringSize(in.size()), '\0');
        written.resize(static_cast<size_t>(WriteJsonString(written.data(), in) - written.data()));
        ASSERT_EQ("x" + written, appended) << "byte " << c << " at " << at << " of " << length;
        if (c < 0x80) {
          auto back = ParseJson(written);
          ASSERT_TRUE(back.ok()) << written;
          EXPECT_EQ(back->as_string(), in);
        }
      }
    }
  }
}

// RFC 8785 §3.2.3 sorting example.
TEST(CanonicalJsonTest, SortsKeysByUtf16CodeUnits) {
  Json j = MustParse(
      R"({"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh",)"
      R"("1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control",)"
      R"("\u00f6":"Latin Small Letter O With Diaeresis"})");
  std::string canon = CanonicalJson(j);
  std::vector<std::string> order = {
      "\r", "1", "\xc2\x80", "\xc3\xb6", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xef\xac\xb3"};
  size_t last = 0;
  for (const std::string& key : order) {
    std::string quoted;
    AppendJsonString(&quoted, key);
    size_t pos = canon.find(quoted + ":");
    ASSERT_NE(pos, std::string::npos) << canon;
    EXPECT_GE(pos, last) << "key out of order: " << quoted;
    last = pos;
  }
  EXPECT_EQ(canon,
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
            "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\","
            "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
            "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

// RFC 8785 §3.2.2 main example.
TEST(CanonicalJsonTest, RfcExampleDocument) {
  Json j = MustParse(R"({
    "numbers": [333333333.33333329, 1E30, 4.50,
                2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  })");
  EXPECT_EQ(CanonicalJson(j),
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,"
            "1e-27],\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

TEST(CanonicalJsonTest, NestedObjectsSortedAndNoWhitespace) {
  Json j = MustParse(R"({ "b" : [ {"z":1,"a":2} ], "a" : { "y": -0, "x": 1.0 } })");
  EXPECT_EQ(CanonicalJson(j), R"({"a":{"x":1,"y":0},"b":[{"a":2,"z":1}]})");
}

TEST(JsonParseTest, RoundTripPreservesOrderAndLiterals) {
  const std::string cases[] = {
      R"({"z":1,"a":2,"m":[3,4.50,1E30,-0,0.1e-2]})",
      R"([9007199254740993,18446744073709551615,-9223372036854775808])",
      R"({"big":295147905179352830001,"bigger":123456789012345678901234567890})",
      "{\"s\":\"\xe2\x82\xac\\n\\\"\",\"nested\":{\"b\":true,\"a\":false,\"n\":null}}",
      R"([])",
      R"({})",
      R"("just a string")",
      R"(42)",
  };
  for (const std::string& text : cases) {
    Json j = MustParse(text);
    EXPECT_EQ(WriteJson(j), text);
  }
}

TEST(JsonParseTest, BigIntegerKeepsLiteralAndApproximateValue) {
  Json j = MustParse(R"({"n":123456789012345678901234567890})");
  const Json* n = j.Find("n");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->as_number().literal, "123456789012345678901234567890");
  EXPECT_DOUBLE_EQ(n->as_double(), 1.2345678901234568e29);
  int64_t i = 0;
  EXPECT_FALSE(n->GetInt64(&i));

  Json k = MustParse("9007199254740993");
  EXPECT_EQ(k.as_number().literal, "9007199254740993");
  EXPECT_TRUE(k.GetInt64(&i));
  EXPECT_EQ(i, 9007199254740993);
}

TEST(JsonParseTest, GetInt64) {
  struct Case {
    const char* text;
    bool ok;
    int64_t value;
  };
  const Case cases[] = {
      {"0", true, 0},
      {"-12", true, -12},
      {"1.0", true, 1},
      {"1e3", true, 1000},
      {"1.5", false, 0},
      {"9223372036854775807", true, INT64_MAX},
      {"9223372036854775808", false, 0},
      {"-9223372036854775808", true, INT64_MIN},
      {"1e19", false, 0},
  };
  for (const Case& c : cases) {
    Json j = MustParse(c.text);
    int64_t v = -999;
    EXPECT_EQ(j.GetInt64(&v), c.ok) << c.text;
    if (c.ok) {
      EXPECT_EQ(v, c.value) << c.text;
    }
  }
}

TEST(JsonParseTest, RejectsDuplicateKeys) {
  Result<Json> r = ParseJson(R"({"a":1,"b":{"c":1,"c":2}})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kParse);
  EXPECT_EQ(r.error().location, "/b/c");
  EXPECT_NE(r.error().message.find("duplicate"), std::string::npos);

  EXPECT_FALSE(ParseJson(R"({"a":1,"a":1})").ok());
  // Large objects take the hashed path.
  std::string big = "{";
  for (int i = 0; i < 40; ++i) big += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  EXPECT_TRUE(ParseJson(big + "\"k40\":0}").ok());
  Result<Json> dup = ParseJson(big + "\"k7\":0}");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().location, "/k7");
  EXPECT_TRUE(ParseJson(R"({"a":{"a":1}})").ok());  // same key at different levels is fine
}

TEST(JsonParseTest, DepthLimit) {
  JsonParseLimits limits;
  limits.max_depth = 5;
  EXPECT_TRUE(ParseJson("[[[[[1]]]]]", limits).ok());
  Result<Json> r = ParseJson("[[[[[[1]]]]]]", limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimit);
  EXPECT_TRUE(ParseJson(R"({"a":{"b":{"c":{"d":{"e":1}}}}})", limits).ok());
  EXPECT_FALSE(ParseJson(R"({"a":{"b":{"c":{"d":{"e":{}}}}}})", limits).ok());
  limits.max_depth = 2;
  Result<Json> at = ParseJson(R"({"x":1,"a/b":[2,[3]]})", limits);
  ASSERT_FALSE(at.ok());
  EXPECT_EQ(at.error().location, "/a~1b/1");

  // The default limit (128) stops hostile nesting well below simdjson's own.
  std::string deep(2000, '[');
  deep += std::string(2000, ']');
  Result<Json> d = ParseJson(deep);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ErrorCode::kLimit);
}

TEST(JsonParseTest, SizeLimit) {
  JsonParseLimits limits;
  limits.max_bytes = 4;
  EXPECT_TRUE(ParseJson("[1]", limits).ok());
  Result<Json> r = ParseJson("[1,2]", limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kLimit);
}

TEST(JsonParseTest, RejectsInvalidUtf8WithOffset) {
  struct Case {
    std::string text;
    std::string location;
  };
  const Case cases[] = {
      {"\"ab\xff\"", "byte 3"},           {"[\"\xc0\xaf\"]", "byte 2"},  // overlong '/'
      {"\"\xed\xa0\x80\"", "byte 1"},                                    // encoded surrogate
      {"\"\xf4\x90\x80\x80\"", "byte 1"},                                // above U+10FFFF
      {"\"\xe2\x82\"", "byte 1"},                                        // truncated sequence
  };
  for (const Case& c : cases) {
    Result<Json> r = ParseJson(c.text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kParse);
    EXPECT_EQ(r.error().location, c.location);
  }
}

TEST(JsonParseTest, RejectsMalformedDocuments) {
  const char* cases[] = {
      "",     "   ",   "[1,]",  "{\"a\":1,}", "{\"a\" 1}", "[1 2]",     "01",          "1.",
      ".5",   "+1",    "NaN",   "tru",        "nul",       "[\"\\x\"]", "\"\\ud800\"", "\"abc",
      "[1]]", "{} {}", "1e400", "-",          "\"a\x01\"", "[01]",      "{1:2}",       "'a'",
  };
  for (const char* text : cases) {
    Result<Json> r = ParseJson(text);
    EXPECT_FALSE(r.ok()) << "accepted: " << text;
    if (!r.ok()) {
      EXPECT_FALSE(r.error().message.empty());
    }
  }
}

TEST(JsonParseTest, OutOfRangeNumberReportsOffset) {
  Result<Json> r = ParseJson("[1, 2e999]");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().location, "byte 4");
}

TEST(JsonParseTest, NumberValuesAndSurrogatePairs) {
  Json j = MustParse(R"([-0, 1e-400, 0.1, "\ud83d\ude00", "\u0000"])");
  const Json::Array& a = j.as_array();
  EXPECT_TRUE(std::signbit(a[0].as_double()));
  EXPECT_EQ(a[1].as_double(), 0.0);
  EXPECT_EQ(a[1].as_number().literal, "1e-400");
  EXPECT_EQ(a[2].as_double(), 0.1);
  EXPECT_EQ(a[3].as_string(), "\xf0\x9f\x98\x80");
  EXPECT_EQ(a[4].as_string(), std::string(1, '\0'));
}

TEST(JsonTest, EqualityIsStructural) {
  EXPECT_EQ(MustParse(R"({"a":1,"b":[1,2]})"), MustParse(R"({"b":[1,2.0],"a":1e0})"));
  EXPECT_FALSE(MustParse(R"([1,2])") == MustParse(R"([2,1])"));
  EXPECT_FALSE(MustParse(R"({"a":1})") == MustParse(R"({"a":1,"b":2})"));
  EXPECT_FALSE(MustParse(R"({"a":1,"c":2})") == MustParse(R"({"a":1,"b":2})"));
  EXPECT_FALSE(MustParse("1") == MustParse("\"1\""));
  EXPECT_FALSE(MustParse("true") == MustParse("false"));
  EXPECT_EQ(Json::Null(), MustParse("null"));
}

TEST(JsonTest, ObjectHelpers) {
  Json o = Json::MakeObject();
  o.Set("b", Json::Int(1));
  o.Set("a", Json::String("x"));
  o.Set("b", Json::Bool(true));  // replaced in place, order kept
  EXPECT_EQ(WriteJson(o), R"({"b":true,"a":"x"})");
  ASSERT_NE(o.Find("a"), nullptr);
  EXPECT_EQ(o.Find("a")->as_string(), "x");
  EXPECT_EQ(o.Find("zz"), nullptr);
  EXPECT_TRUE(o.Erase("b"));
  EXPECT_FALSE(o.Erase("b"));
  EXPECT_EQ(WriteJson(o), R"({"a":"x"})");
  EXPECT_EQ(Json::Int(5).Find("a"), nullptr);
}

TEST(JsonTest, Constructors) {
  EXPECT_EQ(WriteJson(Json::Int(-42)), "-42");
  EXPECT_EQ(WriteJson(Json::Int(INT64_MIN)), "-9223372036854775808");
  EXPECT_EQ(WriteJson(Json::Double(0.5)), "0.5");
  EXPECT_EQ(WriteJson(Json::Double(1e21)), "1e+21");
  EXPECT_EQ(WriteJson(Json::Double(std::numeric_limits<double>::quiet_NaN())), "null");
  EXPECT_EQ(WriteJson(Json::NumberLiteral("1.50", 1.5)), "1.50");
  EXPECT_EQ(CanonicalJson(Json::NumberLiteral("1.50", 1.5)), "1.5");
}

TEST(JsonWriteTest, Pretty) {
  Json j = MustParse(R"({"a":[1,{"b":null}],"c":{},"d":[],"e":"x"})");
  EXPECT_EQ(WriteJson(j, JsonStyle::kPretty),
            "{\n"
            "  \"a\": [\n"
            "    1,\n"
            "    {\n"
            "      \"b\": null\n"
            "    }\n"
            "  ],\n"
            "  \"c\": {},\n"
            "  \"d\": [],\n"
            "  \"e\": \"x\"\n"
            "}");
  EXPECT_EQ(MustParse(WriteJson(j, JsonStyle::kPretty)), j);
}

TEST(JsonWriterTest, CompactAndPretty) {
  auto emit = [](JsonWriter& w) {
    w.BeginObject()
        .Key("n")
        .Int(3)
        .Key("list")
        .BeginArray()
        .String("a\n")
        .Double(0.25)
        .Bool(false)
        .Null()
        .EndArray()
        .Key("empty")
        .BeginArray()
        .EndArray()
        .Key("tree")
        .Value(Json::MakeObject({{"k", Json::MakeArray({Json::Int(1)})}}))
        .EndObject();
  };
  std::string compact;
  JsonWriter cw(&compact);
  emit(cw);
  EXPECT_EQ(compact, R"({"n":3,"list":["a\n",0.25,false,null],"empty":[],"tree":{"k":[1]}})");

  std::string pretty;
  JsonWriter pw(&pretty, JsonStyle::kPretty);
  emit(pw);
  EXPECT_EQ(pretty,
            "{\n"
            "  \"n\": 3,\n"
            "  \"list\": [\n"
            "    \"a\\n\",\n"
            "    0.25,\n"
            "    false,\n"
            "    null\n"
            "  ],\n"
            "  \"empty\": [],\n"
            "  \"tree\": {\n"
            "    \"k\": [\n"
            "      1\n"
            "    ]\n"
            "  }\n"
            "}");
  EXPECT_EQ(MustParse(pretty), MustParse(compact));
}

}  // namespace
}  // namespace tessera::core

namespace tessera::core {
namespace {

// The writer scans eight bytes at a time: escapes must be found at every
// position of a long string, including right after long plain runs and in UTF-8.
TEST(JsonEscapeTest, FindsSpecialBytesAtEveryPosition) {
  for (char special : {'"', '\\', '\n', '\x01', '\x1f'}) {
    for (size_t pos = 0; pos < 40; ++pos) {
      std::string s(40, 'a');
      s[pos] = special;
      s += "\xc3\xa9";  // and non-ASCII UTF-8 in the same string
      std::string out;
      AppendJsonString(&out, s);
      auto back = ParseJson(out);
      ASSERT_TRUE(back.ok()) << out;
      EXPECT_EQ(back->as_string(), s) << pos;
    }
  }
}

}  // namespace
}  // namespace tessera::core
