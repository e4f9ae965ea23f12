#include "governance/token.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/hash.h"
#include "store/registry.h"

namespace tessera::governance {
namespace {

TEST(TokenTest, IssueParseAndMatch) {
  std::set<std::string> ids, texts;
  for (int i = 0; i < 50; ++i) {
    IssuedToken token = IssueToken();
    ASSERT_EQ(token.id.size(), 12u);
    EXPECT_EQ(token.id.find_first_not_of("0123456789abcdef"), std::string::npos);
    ASSERT_EQ(token.text.size(), 4u + 12 + 1 + 43);
    EXPECT_EQ(token.text.substr(0, 4), "tsr_");
    EXPECT_EQ(token.hash.size(), 32u);
    std::optional<ParsedToken> parsed = ParseToken(token.text);
    ASSERT_TRUE(parsed.has_value()) << token.text;
    EXPECT_EQ(parsed->id, token.id);
    EXPECT_EQ(parsed->secret, token.text.substr(17));
    EXPECT_EQ(SecretHash(parsed->secret), token.hash);
    EXPECT_TRUE(SecretMatches(parsed->secret, token.hash));
    ids.insert(token.id);
    texts.insert(token.text);
  }
  EXPECT_EQ(texts.size(), 50u);  // random, not repeating
  EXPECT_EQ(ids.size(), 50u);
}

TEST(TokenTest, HashIsSha256OfSecret) {
  IssuedToken token = IssueToken();
  std::optional<ParsedToken> parsed = ParseToken(token.text);
  ASSERT_TRUE(parsed);
  core::Sha256Digest digest = core::Sha256(parsed->secret);
  EXPECT_EQ(core::HexEncode(token.hash), core::HexEncode(digest));
}

// GCC 12 warns falsely (-Wrestrict) on "literal" + std::string at -O3.
std::string Cat(std::string_view a, std::string_view b) {
  std::string out(a);
  out.append(b);
  return out;
}

TEST(TokenTest, ParseIsStrict) {
  const std::string good = IssueToken().text;
  const std::string secret = good.substr(17);
  // 43 base64url characters whose last one carries nonzero unused bits.
  std::string noncanonical = secret;
  noncanonical.back() = noncanonical.back() == 'B' ? 'C' : 'B';
  const std::string cases[] = {
      "",
      good.substr(0, good.size() - 1),                  // short secret
      Cat(good, "A"),                                       // long secret
      Cat("TSR_", good.substr(4)),                          // prefix case
      Cat("tsx_", good.substr(4)),                          // wrong prefix
      Cat("tsr_ABCDEF012345_", secret),                     // upper-case id
      Cat("tsr_abcdef01234g_", secret),                     // non-hex id
      Cat("tsr_abcdef012345-", secret),                     // wrong separator
      Cat("tsr_abcdef01234_5", secret),                     // id one short
      Cat(Cat("tsr_abcdef012345_", secret.substr(0, 42)), "="), // padding
      Cat(Cat("tsr_abcdef012345_", secret.substr(0, 42)), "+"), // standard base64 alphabet
      Cat("tsr_abcdef012345_", noncanonical),
      Cat(" ", good),
  };
  for (const std::string& text : cases) EXPECT_FALSE(ParseToken(text).has_value()) << text;
  EXPECT_TRUE(ParseToken(Cat("tsr_abcdef012345_", secret)).has_value());
}

TEST(TokenTest, SecretMatches) {
  IssuedToken token = IssueToken();
  std::string secret = ParseToken(token.text)->secret;
  struct Case {
    std::string secret;
    std::string hash;
    bool want;
  };
  std::string flipped = token.hash;
  flipped[31] = static_cast<char>(flipped[31] ^ 1);
  const Case cases[] = {
      {secret, token.hash, true},
      {Cat(secret, "x"), token.hash, false},
      {"", token.hash, false},
      {secret, flipped, false},
      {secret, token.hash.substr(0, 31), false},
      {secret, "", false},
      {secret, core::HexEncode(token.hash), false},  // hex is not the stored form
  };
  for (const Case& c : cases) EXPECT_EQ(SecretMatches(c.secret, c.hash), c.want) << c.secret;
}

TEST(RoleTest, NamesAndParse) {
  for (Role role : {Role::kAdmin, Role::kContributor, Role::kConsumer, Role::kAuditor}) {
    EXPECT_EQ(ParseRole(RoleName(role)), role);
  }
  EXPECT_EQ(RoleName(Role::kAuditor), "auditor");
  EXPECT_FALSE(ParseRole("Admin").has_value());
  EXPECT_FALSE(ParseRole("").has_value());
  EXPECT_FALSE(ParseRole("root").has_value());
}

TEST(RoleTest, ParseRoles) {
  struct Case {
    std::string_view text;
    bool ok;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"consumer,contributor", true, {"consumer", "contributor"}},
      {"contributor, consumer", true, {"consumer", "contributor"}},
      {"admin", true, {"admin"}},
      {"auditor,auditor,admin", true, {"admin", "auditor"}},
      {"", false, {}},
      {"consumer,", false, {}},
      {",consumer", false, {}},
      {"consumer,,admin", false, {}},
      {"consumer,root", false, {}},
      {"CONSUMER", false, {}},
  };
  for (const Case& c : cases) {
    core::Result<std::vector<std::string>> r = ParseRoles(c.text);
    ASSERT_EQ(r.ok(), c.ok) << c.text;
    if (r.ok()) {
      EXPECT_EQ(*r, c.want) << c.text;
    } else {
      EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument) << c.text;
    }
  }
  core::Result<std::vector<std::string>> bad = ParseRoles("consumer,root");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("'root'"), std::string::npos);
}

TEST(TokenTest, Check) {
  IssuedToken issued = IssueToken();
  std::string secret = ParseToken(issued.text)->secret;
  constexpr store::Micros kNow = 1'000'000;
  struct Case {
    const char* what;
    std::string secret;
    std::optional<store::Micros> expires;
    std::optional<store::Micros> revoked;
    TokenState want;
  };
  const Case cases[] = {
      {"valid", secret, std::nullopt, std::nullopt, TokenState::kValid},
      {"valid until later", secret, kNow + 1, std::nullopt, TokenState::kValid},
      {"expired now", secret, kNow, std::nullopt, TokenState::kExpired},
      {"expired before", secret, kNow - 1, std::nullopt, TokenState::kExpired},
      {"revoked", secret, std::nullopt, kNow - 1, TokenState::kRevoked},
      {"revoked beats expired", secret, kNow - 1, kNow - 1, TokenState::kRevoked},
      {"revoked, clock skew", secret, std::nullopt, kNow + 5, TokenState::kRevoked},
      {"wrong secret first", "nope", kNow - 1, kNow - 1, TokenState::kWrongSecret},
      {"wrong secret", secret.substr(1), std::nullopt, std::nullopt, TokenState::kWrongSecret},
  };
  for (const Case& c : cases) {
    store::TokenRecord record;
    record.id = issued.id;
    record.hash = issued.hash;
    record.expires = c.expires;
    record.revoked = c.revoked;
    EXPECT_EQ(Check(record, c.secret, kNow), c.want) << c.what;
  }
  EXPECT_EQ(TokenStateName(TokenState::kExpired), "expired");
}

}  // namespace
}  // namespace tessera::governance
