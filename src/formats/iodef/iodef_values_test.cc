#include "formats/iodef/iodef_values.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

namespace tessera::formats::iodef {
namespace {

using normalize::Kind;
using stix::TlpLevel;

TEST(IodefValuesTest, RestrictionToTlp) {
  struct Case {
    std::string_view restriction;
    std::string_view ext;
    std::optional<TlpLevel> level;
  };
  const Case cases[] = {
      {"public", "", TlpLevel::kClear},       {"white", "", TlpLevel::kClear},
      {"partner", "", TlpLevel::kGreen},      {"green", "", TlpLevel::kGreen},
      {"need-to-know", "", TlpLevel::kAmber}, {"amber", "", TlpLevel::kAmber},
      {"private", "", TlpLevel::kRed},        {"RED", "", TlpLevel::kRed},
      {"default", "", std::nullopt},          {"ext-value", "amber+strict", TlpLevel::kAmberStrict},
      {"ext-value", "TLP:CLEAR", TlpLevel::kClear},
      {"ext-value", "", std::nullopt},        {"ext-value", "secret", std::nullopt},
      {"unknown", "", std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(RestrictionLevel(c.restriction, c.ext), c.level) << c.restriction << " " << c.ext;
  }
}

TEST(IodefValuesTest, AddressCategories) {
  EXPECT_EQ(AddressKind("ipv4-addr"), Kind::kIpv4);
  EXPECT_EQ(AddressKind("ipv4-net"), Kind::kIpv4Network);
  EXPECT_EQ(AddressKind("ipv4-net-mask"), Kind::kIpv4Network);
  EXPECT_EQ(AddressKind("ipv6-addr"), Kind::kIpv6);
  EXPECT_EQ(AddressKind("ipv6-net"), Kind::kIpv6Network);
  EXPECT_EQ(AddressKind("e-mail"), Kind::kEmail);
  EXPECT_EQ(AddressKind("mac"), Kind::kMac);
  EXPECT_EQ(AddressKind("asn"), Kind::kAsn);
  EXPECT_EQ(AddressKind("site-uri"), Kind::kUrl);
  EXPECT_EQ(AddressKind("fqdn"), Kind::kDomain);
  EXPECT_EQ(AddressKind("domain-name"), Kind::kDomain);
  EXPECT_EQ(AddressKind("atm"), std::nullopt);
}

TEST(IodefValuesTest, UnwrapJoinsWrappedLinesAndKeepsInnerSpaces) {
  EXPECT_EQ(Unwrap("\n   http://example.com/a?\n      b=1\n  "), "http://example.com/a?b=1");
  EXPECT_EQ(Unwrap("HKLM\\SYSTEM\\Services\\\n    .Net CLR\\Parameters"),
            "HKLM\\SYSTEM\\Services\\.Net CLR\\Parameters");
  EXPECT_EQ(Unwrap("  a  b  "), "a  b");
  EXPECT_EQ(Unwrap(""), "");
  EXPECT_EQ(Unwrap("\n\n"), "");
  EXPECT_EQ(Collapse("  Notification sent to\n     someone  "), "Notification sent to someone");
}

TEST(IodefValuesTest, HivesAreWrittenOutInFull) {
  EXPECT_EQ(ExpandHive("HKLM\\Software\\Run"), "HKEY_LOCAL_MACHINE\\Software\\Run");
  EXPECT_EQ(ExpandHive("hkcu\\x"), "HKEY_CURRENT_USER\\x");
  EXPECT_EQ(ExpandHive("HKU"), "HKEY_USERS");
  EXPECT_EQ(ExpandHive("HKEY_CLASSES_ROOT\\x"), "HKEY_CLASSES_ROOT\\x");
  EXPECT_EQ(ExpandHive("Software\\x"), "Software\\x");
}

TEST(IodefValuesTest, NetMasks) {
  EXPECT_EQ(Ipv4NetMaskToCidr("192.0.2.0/255.255.255.0"), "192.0.2.0/24");
  EXPECT_EQ(Ipv4NetMaskToCidr("192.0.2.0 255.255.255.128"), "192.0.2.0/25");
  EXPECT_EQ(Ipv4NetMaskToCidr("10.0.0.0/0.0.0.0"), "10.0.0.0/0");
  EXPECT_EQ(Ipv4NetMaskToCidr("192.0.2.0/255.0.255.0"), std::nullopt);  // not contiguous
  EXPECT_EQ(Ipv4NetMaskToCidr("192.0.2.0/255.255.255"), std::nullopt);
  EXPECT_EQ(Ipv4NetMaskToCidr("192.0.2.0"), std::nullopt);
  EXPECT_EQ(Ipv4NetMaskToCidr("192.0.2.0/256.0.0.0"), std::nullopt);
}

TEST(IodefValuesTest, Digests) {
  const std::string sha256 = "a934d8d273e44f15ccddbcd7180cf99d0fff719acff064f0b080299f9cd83e41";
  // XML-DSig: base64 of the digest bytes (line-wrapped is fine).
  auto d = DecodeDigest("http://www.w3.org/2001/04/xmlenc#sha256",
                        "qTTY0nPkTxXM3bzXGAz5nQ//\n   cZrP8GTwsIApn5zYPkE=");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, Kind::kSha256);
  EXPECT_EQ(d->hex, sha256);
  EXPECT_TRUE(d->note.empty());
  // Plain hex, upper case.
  d = DecodeDigest("http://www.w3.org/2001/04/xmlenc#sha256", "A934D8D273E44F15CCDDBCD7180CF99D"
                                                              "0FFF719ACFF064F0B080299F9CD83E41");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->hex, sha256);
  EXPECT_NE(d->note.find("hex, not base64"), std::string::npos);
  // Base64 of the text "0x<hex>" (RFC 8274 §A).
  d = DecodeDigest("http://www.w3.org/2000/09/xmldsig#sha1",
                   "MHg2NzUxQTI1MzQ4M0E2N0Q4NkUwRjg0NzYwRjYxRjEwQkJDQzJFREZG");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, Kind::kSha1);
  EXPECT_EQ(d->hex, "6751a253483a67d86e0f84760f61f10bbcc2edff");
  EXPECT_NE(d->note.find("'0x6751A253483A67D86E0F84760F61F10BBCC2EDFF'"), std::string::npos);
  // The algorithm and the length must agree.
  EXPECT_FALSE(DecodeDigest("http://www.w3.org/2001/04/xmldsig-more#md5", sha256).has_value());
  EXPECT_FALSE(DecodeDigest("#sha1", "AAAA").has_value());
  EXPECT_FALSE(DecodeDigest("#sha1", "").has_value());
  // An unknown algorithm: the length decides.
  d = DecodeDigest("urn:example:whatever", "d41d8cd98f00b204e9800998ecf8427e");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->kind, Kind::kMd5);
}

}  // namespace
}  // namespace tessera::formats::iodef
