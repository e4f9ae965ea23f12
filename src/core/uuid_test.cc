#include "core/uuid.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace tessera::core {
namespace {

Uuid MustParse(std::string_view text) {
  Result<Uuid> r = ParseUuid(text);
  EXPECT_TRUE(r.ok()) << text;
  return r.ok() ? *r : Uuid{};
}

TEST(UuidTest, ParseAndFormat) {
  Uuid u = MustParse("6BA7B810-9dad-11d1-80b4-00c04fd430c8");
  EXPECT_EQ(u.ToString(), "6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  EXPECT_EQ(u.bytes[0], 0x6b);
  EXPECT_EQ(u.bytes[15], 0xc8);
  EXPECT_EQ(u.version(), 1);
  EXPECT_TRUE(u.is_rfc_variant());
  EXPECT_EQ(MustParse("00000000-0000-0000-0000-000000000000"), Uuid{});
}

TEST(UuidTest, ParseRejectsMalformed) {
  const char* cases[] = {
      "",
      "6ba7b810-9dad-11d1-80b4-00c04fd430c",    // short
      "6ba7b810-9dad-11d1-80b4-00c04fd430c8a",  // long
      "6ba7b8109dad11d180b400c04fd430c8",       // no hyphens
      "6ba7b810-9dad-11d1-80b4_00c04fd430c8",   // wrong separator
      "6ba7b81-09dad-11d1-80b4-00c04fd430c8",   // hyphen misplaced
      "6ba7b810-9dad-11d1-80b4-00c04fd430cg",   // non-hex
      "{6ba7b810-9dad-11d1-80b4-00c04fd430c}",  // braces
  };
  for (const char* text : cases) {
    Result<Uuid> r = ParseUuid(text);
    EXPECT_FALSE(r.ok()) << text;
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::kParse);
    }
  }
}

// RFC 9562 Appendix A.4 and well-known values computed with Python's uuid.uuid5.
TEST(UuidTest, V5KnownAnswers) {
  const Uuid dns = MustParse("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  const Uuid url = MustParse("6ba7b811-9dad-11d1-80b4-00c04fd430c8");
  struct Case {
    const Uuid* ns;
    const char* name;
    const char* expected;
  };
  const Case cases[] = {
      {&dns, "www.example.com", "2ed6657d-e927-568b-95e1-2665a8aea6a2"},
      {&dns, "python.org", "886313e1-3b8a-5372-9b90-0c9aee199e5d"},
      {&url, "http://python.org/", "4c565f0d-3f5a-5890-b41b-20cf47701c5e"},
  };
  for (const Case& c : cases) {
    Uuid u = UuidV5(*c.ns, c.name);
    EXPECT_EQ(u.ToString(), c.expected) << c.name;
    EXPECT_EQ(u.version(), 5);
    EXPECT_TRUE(u.is_rfc_variant());
  }
  // STIX 2.1 §2.9 SCO namespace; deterministic for the same name.
  const Uuid stix = MustParse("00abedb4-aa42-466c-9c01-fed23315a9b7");
  EXPECT_EQ(UuidV5(stix, R"({"value":"1.2.3.4"})"), UuidV5(stix, R"({"value":"1.2.3.4"})"));
  EXPECT_NE(UuidV5(stix, R"({"value":"1.2.3.4"})"), UuidV5(stix, R"({"value":"1.2.3.5"})"));
  // A name in pieces is the name they make together.
  EXPECT_EQ(UuidV5(stix, {"{", R"("value":"1.2.3.4")", "}"}).ToString(),
            "0198f97b-e65d-5025-87e5-58bc39d4bdb4");
  EXPECT_EQ(UuidV5(stix, {R"({"value":"1.2.3.4"})", ""}), UuidV5(stix, R"({"value":"1.2.3.4"})"));
}

TEST(UuidTest, V4VersionVariantAndUniqueness) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    Uuid u = UuidV4();
    EXPECT_EQ(u.version(), 4);
    EXPECT_TRUE(u.is_rfc_variant());
    std::string s = u.ToString();
    EXPECT_EQ(s[14], '4');
    EXPECT_NE(std::string("89ab").find(s[19]), std::string::npos) << s;
    EXPECT_EQ(MustParse(s), u);
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 200u);
}

}  // namespace
}  // namespace tessera::core
