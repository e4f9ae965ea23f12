#include "normalize/stix_mapping.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "normalize/classify.h"
#include "stix/bundle.h"

namespace tessera::normalize {
namespace {

Observable Must(std::string_view token, Kind kind) {
  NormalizeOptions options;
  options.payment_card_key = "test-key";
  auto o = NormalizeAs(kind, token, options);
  EXPECT_TRUE(o.ok()) << token << ": " << (o.ok() ? "" : o.error().message);
  return o.ok() ? *o : Observable{};
}

// One observable of every kind.
std::vector<Observable> OneOfEach() {
  return {
      Must("198.51.100.7", Kind::kIpv4),
      Must("2001:db8::1", Kind::kIpv6),
      Must("198.51.100.0/24", Kind::kIpv4Network),
      Must("2001:db8::/32", Kind::kIpv6Network),
      Must("example.com", Kind::kDomain),
      Must("http://example.com/it's", Kind::kUrl),
      Must("user@example.com", Kind::kEmail),
      Must("44d88612fea8a8f36de82e1278abb02f", Kind::kMd5),
      Must("3395856ce81f2b7382dee72602f798b642f14140", Kind::kSha1),
      Must("275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f", Kind::kSha256),
      Must("AS64500", Kind::kAsn),
      Must("CVE-2021-44228", Kind::kCve),
      Must("00:1a:2b:3c:4d:5e", Kind::kMac),
      Must("invoice.pdf.exe", Kind::kFileName),
      Must("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", Kind::kBitcoinAddress),
      Must("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", Kind::kEthereumAddress),
      Must("DE89370400440532013000", Kind::kIban),
      Must("+493012345678", Kind::kPhoneNumber),
      Must("4111111111111111", Kind::kPaymentCard),
      Must("twitter:example_handle", Kind::kSocialAccount),
  };
}

TEST(StixMappingTest, EveryKindMapsToValidStix) {
  core::Json bundle = core::Json::MakeObject();
  bundle.Set("type", core::Json::String("bundle"));
  bundle.Set("id", core::Json::String("bundle--5d0092c5-5f74-4287-9642-33f4c354e56d"));
  core::Json::Array objects;
  for (const Observable& o : OneOfEach()) objects.push_back(ToStixObject(o));
  for (core::Json& def : TesseraExtensionDefinitions()) objects.push_back(std::move(def));
  bundle.Set("objects", core::Json::MakeArray(std::move(objects)));
  auto doc = stix::ReadStix(core::WriteJson(bundle));
  ASSERT_TRUE(doc.ok());
  for (const stix::Problem& p : doc->problems) {
    EXPECT_NE(p.severity, stix::Severity::kError) << p.ToString();
    // The one deliberate deviation from a SHOULD: CVE vulnerabilities get a
    // deterministic UUIDv5 (in Tessera's namespace) so every hub names them alike.
    if (p.object_id.rfind("vulnerability--", 0) == 0 && p.path.ends_with("/id")) continue;
    EXPECT_NE(p.severity, stix::Severity::kWarning) << p.ToString();
  }
}

TEST(StixMappingTest, FastIdEqualsTheObjectsId) {
  for (const Observable& o : OneOfEach()) {
    core::Json object = ToStixObject(o);
    EXPECT_EQ(StixId(o), object.Find("id")->as_string()) << KindName(o.kind);
  }
}

TEST(StixMappingTest, IdsAreTheSpecsDeterministicIds) {
  // python-stix2 3.0.2: DomainName(value="example.com").id
  EXPECT_EQ(StixId(Must("EXAMPLE.com.", Kind::kDomain)),
            "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7");
  // Same observable, different spelling, one id.
  EXPECT_EQ(StixId(Must("hxxp://Example[.]com:80/", Kind::kUrl)),
            StixId(Must("http://example.com", Kind::kUrl)));
  // CVE vulnerabilities get a stable id, the same on every run and every hub.
  EXPECT_EQ(StixId(Must("cve-2021-44228", Kind::kCve)), StixId(Must("CVE-2021-44228", Kind::kCve)));
}

TEST(StixMappingTest, PatternsQuoteTheirLiterals) {
  EXPECT_EQ(ToStixPattern(Must("example.com", Kind::kDomain)),
            "[domain-name:value = 'example.com']");
  EXPECT_EQ(ToStixPattern(Must("http://example.com/it's", Kind::kUrl)),
            "[url:value = 'http://example.com/it\\'s']");
  EXPECT_EQ(ToStixPattern(Must("44d88612fea8a8f36de82e1278abb02f", Kind::kMd5)),
            "[file:hashes.'MD5' = '44d88612fea8a8f36de82e1278abb02f']");
  EXPECT_EQ(ToStixPattern(Must("198.51.100.0/24", Kind::kIpv4Network)),
            "[ipv4-addr:value ISSUBSET '198.51.100.0/24']");
  EXPECT_EQ(ToStixPattern(Must("AS64500", Kind::kAsn)), "[autonomous-system:number = 64500]");
  EXPECT_EQ(ToStixPattern(Must("CVE-2021-44228", Kind::kCve)), "");
}

TEST(StixMappingTest, CardNumbersNeverAppearInClear) {
  core::Json card = ToStixObject(Must("4111111111111111", Kind::kPaymentCard));
  std::string text = core::WriteJson(card);
  EXPECT_EQ(text.find("4111111111111111"), std::string::npos) << text;
  EXPECT_EQ(card.Find("bin")->as_string(), "411111");
  EXPECT_EQ(card.Find("last4")->as_string(), "1111");
}

}  // namespace
}  // namespace tessera::normalize
