#include "normalize/classify.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tessera::normalize {
namespace {

struct ClassifyCase {
  const char* token;
  std::vector<Kind> kinds;     // expected kinds (empty: not an observable)
  const char* reason_contains; // for ambiguous / none; "" when not checked
};

class ClassifyTest : public ::testing::TestWithParam<ClassifyCase> {};

TEST_P(ClassifyTest, Kinds) {
  const ClassifyCase& c = GetParam();
  Classification got = Classify(c.token);
  EXPECT_EQ(got.kinds, c.kinds) << c.token << ": " << got.reason;
  if (*c.reason_contains != '\0') {
    EXPECT_NE(got.reason.find(c.reason_contains), std::string::npos) << c.token << ": " << got.reason;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Tokens, ClassifyTest,
    ::testing::Values(
        ClassifyCase{"example.com", {Kind::kDomain}, ""},
        ClassifyCase{"EXAMPLE.COM.", {Kind::kDomain}, ""},
        ClassifyCase{"evil[.]example[.]com", {Kind::kDomain}, ""},
        ClassifyCase{"198.51.100.7", {Kind::kIpv4}, ""},
        ClassifyCase{"198.51.100[.]7", {Kind::kIpv4}, ""},
        ClassifyCase{"2001:db8::1", {Kind::kIpv6}, ""},
        ClassifyCase{"198.51.100.0/24", {Kind::kIpv4Network}, ""},
        ClassifyCase{"2001:db8::/32", {Kind::kIpv6Network}, ""},
        ClassifyCase{"http://example.com/a", {Kind::kUrl}, ""},
        ClassifyCase{"hxxp://evil[.]example[.]com/a", {Kind::kUrl}, ""},
        ClassifyCase{"user@example.com", {Kind::kEmail}, ""},
        ClassifyCase{"user[@]example[.]com", {Kind::kEmail}, ""},
        ClassifyCase{"44d88612fea8a8f36de82e1278abb02f", {Kind::kMd5}, ""},
        ClassifyCase{"3395856ce81f2b7382dee72602f798b642f14140", {Kind::kSha1}, ""},
        ClassifyCase{"275A021BBFB6489E54D471899F7DB9D1663FC695EC2FE2A2C4538AABF651FD0F",
                     {Kind::kSha256}, ""},
        ClassifyCase{"AS64500", {Kind::kAsn}, ""},
        ClassifyCase{"CVE-2021-44228", {Kind::kCve}, ""},
        ClassifyCase{"cve-2021-44228", {Kind::kCve}, ""},
        ClassifyCase{"cve1uv.example.co.uk", {Kind::kDomain}, ""},
        ClassifyCase{"aspmx.example.com", {Kind::kDomain}, ""},
        ClassifyCase{"00:1a:2b:3c:4d:5e", {Kind::kMac}, ""},
        ClassifyCase{"00-1A-2B-3C-4D-5E", {Kind::kMac}, ""},
        ClassifyCase{"invoice.exe", {Kind::kFileName}, ""},
        ClassifyCase{"report.pdf", {Kind::kFileName}, ""},
        ClassifyCase{"example.py", {Kind::kDomain, Kind::kFileName}, "ambiguous"},
        ClassifyCase{"photos.zip", {Kind::kDomain, Kind::kFileName}, ".zip"},
        ClassifyCase{"DE89 3704 0044 0532 0130 00", {Kind::kIban}, ""},
        ClassifyCase{"DE89370400440532013000", {Kind::kIban}, ""},
        ClassifyCase{"+49 30 1234567", {Kind::kPhoneNumber}, ""},
        ClassifyCase{"+49301234567", {Kind::kPhoneNumber}, ""},
        ClassifyCase{"4111111111111111", {Kind::kPaymentCard}, ""},
        ClassifyCase{"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", {Kind::kEthereumAddress}, ""},
        ClassifyCase{"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", {Kind::kBitcoinAddress}, ""},
        ClassifyCase{"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", {Kind::kBitcoinAddress}, ""},
        ClassifyCase{"twitter:example_handle", {Kind::kSocialAccount}, ""},
        ClassifyCase{"https://t.me/example_channel", {Kind::kUrl, Kind::kSocialAccount}, "ambiguous"},
        ClassifyCase{"hello", {}, ""},
        ClassifyCase{"", {}, "empty"},
        ClassifyCase{"1.2.3", {}, ""},
        ClassifyCase{"3.14", {}, ""}));

TEST(NormalizeTest, RefangsThenCanonicalizes) {
  auto url = Normalize("hxxp://EVIL[.]example[.]com:80/a/../b");
  ASSERT_TRUE(url.ok()) << url.error().message;
  EXPECT_EQ(url->kind, Kind::kUrl);
  EXPECT_EQ(url->value, "http://evil.example.com/b");
  auto domain = Normalize("  EVIL.example.COM.  ");
  ASSERT_TRUE(domain.ok());
  EXPECT_EQ(domain->value, "evil.example.com");
}

TEST(NormalizeTest, AmbiguityIsAnErrorNamingTheCandidates) {
  auto r = Normalize("example.py");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("domain"), std::string::npos);
  EXPECT_NE(r.error().message.find("filename"), std::string::npos);
  // Naming the kind resolves it.
  auto as_file = NormalizeAs(Kind::kFileName, "example.py");
  ASSERT_TRUE(as_file.ok());
  EXPECT_EQ(as_file->value, "example.py");
}

TEST(NormalizeTest, PaymentCardsNeedAKey) {
  EXPECT_FALSE(Normalize("4111111111111111").ok());
  NormalizeOptions options;
  options.payment_card_key = "test-key";
  auto spaced = Normalize("4111 1111 1111 1111", options);
  auto digits = Normalize("4111111111111111", options);
  ASSERT_TRUE(spaced.ok() && digits.ok());
  EXPECT_EQ(spaced->value, digits->value);
  EXPECT_EQ(digits->value.find("4111111111111111"), std::string::npos);
}

// TokenNormalizer reuses the storage of earlier results: a token must come out
// the same whatever came before it (no field or note left over from another).
TEST(TokenNormalizerTest, SameResultWhateverCameBefore) {
  const std::vector<std::string> tokens = {
      "hxxp://EVIL[.]example[.]com:80/a/../b?q=%7e#frag",
      "https://user:pw@[2001:DB8::1]:8443/x",
      "EXAMPLE.CO.UK.",
      "b\xc3\xbc" "cher.de",
      "192.168.001.010",
      "198.51.100.7",
      "user[@]Example.COM",
      "\"Quoted Name\" <x@example.org>",
      "44D88612FEA8A8F36DE82E1278ABB02F",
      "00000000000000000000000000000000",
      "AS 65550",
      "cve-2021-44228",
      "00-56-49-34-50-56",
      "::ffff:192.0.2.1",
      "[2001:db8::1]",
      "example.py",
      "hello",
      "",
      "invoice.pdf.exe",
  };
  NormalizeOptions options;
  options.payment_card_key = "test-key";
  TokenNormalizer normalizer(options);
  for (int round = 0; round < 3; ++round) {
    for (size_t k = 0; k < tokens.size(); ++k) {
      const std::string& token = round == 1 ? tokens[tokens.size() - 1 - k] : tokens[k];
      const Observable* got = normalizer.Normalize(token);
      auto want = Normalize(token, options);
      ASSERT_EQ(got != nullptr, want.ok()) << token;
      if (!want.ok()) {
        EXPECT_EQ(normalizer.error(), want.error().message) << token;
        continue;
      }
      // The Result path of the kind's own canonicalizer builds a fresh observable.
      auto fresh = NormalizeAs(want->kind, token, options);
      ASSERT_TRUE(fresh.ok()) << token;
      // (A MAC address that also dials as a phone number gets a note on top.)
      const Observable* want_ptr = &*want;
      for (const Observable* o : {got, want_ptr}) {
        EXPECT_EQ(o->kind, fresh->kind) << token;
        EXPECT_EQ(o->value, fresh->value) << token;
        EXPECT_EQ(o->fields, fresh->fields) << token;
        if (fresh->kind != Kind::kMac) {
          EXPECT_EQ(o->notes, fresh->notes) << token;
        }
      }
      EXPECT_EQ(got->notes, want->notes) << token;
    }
  }
}

// NormalizeAsInto gives NormalizeAs's result or error for every kind, whatever
// the reused observable held before.
TEST(NormalizeAsIntoTest, SameAsNormalizeAsWhateverCameBefore) {
  const std::vector<std::string> tokens = {
      "hxxp://EVIL[.]example[.]com:80/a/../b?q=%7e#frag",
      " https://user:pw@[2001:DB8::1]:8443/x ",
      "EXAMPLE.CO.UK.",
      "192.168.001.010",
      "10.0.0.0/8",
      "user[@]Example.COM",
      "44D88612FEA8A8F36DE82E1278ABB02F",
      "AS 65550",
      "cve-2021-44228",
      "00-56-49-34-50-56",
      "invoice.pdf.exe",
      "hello",
      "",
  };
  NormalizeOptions options;
  options.payment_card_key = "test-key";
  Observable reused;
  std::string error;
  for (Kind kind : AllKinds()) {
    for (const std::string& token : tokens) {
      auto want = NormalizeAs(kind, token, options);
      ASSERT_EQ(NormalizeAsInto(kind, token, options, &reused, &error), want.ok()) << token;
      if (!want.ok()) {
        EXPECT_EQ(error, want.error().message) << token;
        continue;
      }
      EXPECT_EQ(reused.kind, want->kind) << token;
      EXPECT_EQ(reused.value, want->value) << token;
      EXPECT_EQ(reused.fields, want->fields) << token;
      EXPECT_EQ(reused.notes, want->notes) << token;
    }
  }
}

TEST(NormalizeTest, KindNamesRoundTrip) {
  for (Kind k : AllKinds()) {
    auto back = KindFromName(KindName(k));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, k);
  }
  EXPECT_FALSE(KindFromName("nonsense").has_value());
}

}  // namespace
}  // namespace tessera::normalize
