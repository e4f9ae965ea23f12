#include "core/hash.h"

#include <gtest/gtest.h>

#include <string>

namespace tessera::core {
namespace {

TEST(HashTest, Sha1KnownAnswers) {
  EXPECT_EQ(HexEncode(Sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(HexEncode(Sha1("")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(HexEncode(Sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

TEST(HashTest, Sha256KnownAnswers) {
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(Sha256(std::string("a\0b", 3))), HexEncode(Sha256(std::string("a\0b", 3))));
  EXPECT_NE(HexEncode(Sha256(std::string("a\0b", 3))), HexEncode(Sha256("a")));
}

// RFC 4231 §4.2, §4.3, §4.7.
TEST(HashTest, HmacSha256Rfc4231) {
  EXPECT_EQ(HexEncode(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(HexEncode(HmacSha256(std::string(131, '\xaa'),
                                 "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HashTest, Hex) {
  EXPECT_EQ(HexEncode(std::string_view("\x00\x7f\xff", 3)), "007fff");
  EXPECT_EQ(HexDecode("007FfF"), std::string("\x00\x7f\xff", 3));
  EXPECT_EQ(HexDecode(""), std::string());
  EXPECT_EQ(HexDecode("abc"), std::nullopt);
  EXPECT_EQ(HexDecode("zz"), std::nullopt);
  EXPECT_EQ(HexDecode("0x12"), std::nullopt);
}

// RFC 4648 §10.
TEST(HashTest, Base64Rfc4648Vectors) {
  struct Case {
    const char* plain;
    const char* encoded;
  };
  const Case cases[] = {{"", ""},
                        {"f", "Zg=="},
                        {"fo", "Zm8="},
                        {"foo", "Zm9v"},
                        {"foob", "Zm9vYg=="},
                        {"fooba", "Zm9vYmE="},
                        {"foobar", "Zm9vYmFy"}};
  for (const Case& c : cases) {
    EXPECT_EQ(Base64Encode(c.plain), c.encoded);
    EXPECT_EQ(Base64Decode(c.encoded), std::string(c.plain)) << c.encoded;
  }
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_EQ(Base64Decode(Base64Encode(all)), all);
  EXPECT_EQ(Base64Encode("\xfb\xff"), "+/8=");
}

TEST(HashTest, Base64StrictRejection) {
  const char* cases[] = {
      "Zg",        // missing padding
      "Zg=",       // short padding
      "Zm9v\n",    // whitespace
      "Zm 9v",     // whitespace inside
      "Zg==Zg==",  // padding in the middle
      "Z===",      // too much padding
      "====",      // only padding
      "Zh==",      // non-zero unused bits (non-canonical)
      "Zm9=",      // non-zero unused bits
      "Zm9v-_==",  // URL-safe alphabet
      "Zm=v",      // padding before data
  };
  for (const char* text : cases) EXPECT_EQ(Base64Decode(text), std::nullopt) << text;
}

}  // namespace
}  // namespace tessera::core
