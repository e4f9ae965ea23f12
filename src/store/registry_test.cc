// The registry's conformance suite: every case runs on SQLite (a real file)
// and on PostgreSQL (a real server; a fresh database per test, see
// tests/testing/postgres.h).
#include "store/registry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/hash.h"
#include "testing/postgres.h"
#include "testing/test_store.h"

namespace tessera::store {
namespace {

using core::ErrorCode;

constexpr Micros kDay = 86'400'000'000;
constexpr Micros kT0 = 1'700'000'000'000'000;  // 2023-11-14

// What a taken name, identity or id fails with.
constexpr ErrorCode kTaken = ErrorCode::kAlreadyExists;

PartnerRecord Partner(std::string name, std::string identity_suffix) {
  PartnerRecord p;
  p.identity_id = "identity--";
  p.identity_id.append(identity_suffix);
  p.name = std::move(name);
  p.description = "CSIRT of ";
  p.description.append(p.name);
  p.default_tlp = "amber";
  p.default_communities = {"finance", "energy, gas"};
  p.anonymous = true;
  p.recognition = false;
  p.retention_days = 365;
  p.personal_data = true;
  p.created = kT0;
  return p;
}

void ExpectSamePartner(const PartnerRecord& want, const PartnerRecord& got) {
  EXPECT_EQ(want.name, got.name);
  EXPECT_EQ(want.identity_id, got.identity_id);
  EXPECT_EQ(want.description, got.description);
  EXPECT_EQ(want.default_tlp, got.default_tlp);
  EXPECT_EQ(want.default_communities, got.default_communities);
  EXPECT_EQ(want.anonymous, got.anonymous);
  EXPECT_EQ(want.recognition, got.recognition);
  EXPECT_EQ(want.retention_days, got.retention_days);
  EXPECT_EQ(want.personal_data, got.personal_data);
  EXPECT_EQ(want.created, got.created);
}

CommunityRecord Community(std::string name, bool confidential = false) {
  CommunityRecord c;
  c.name = std::move(name);
  c.description = "the ";
  c.description.append(c.name).append(" sector");
  c.confidential = confidential;
  c.created = kT0 + kDay;
  return c;
}

TokenRecord Token(std::string id, std::string partner, std::vector<std::string> roles) {
  TokenRecord t;
  t.id = std::move(id);
  t.partner = std::move(partner);
  t.roles = std::move(roles);
  // Raw digest bytes, NUL and high bytes included: the column is a blob.
  std::string secret = "secret of ";
  secret.append(t.id);
  core::Sha256Digest digest = core::Sha256(secret);
  digest[0] = 0;
  digest[1] = 0xff;
  t.hash.assign(reinterpret_cast<const char*>(digest.data()), digest.size());
  t.description = "token ";
  t.description.append(t.id);
  t.created = kT0 + 2 * kDay;
  return t;
}

// The test chain's hash: hex SHA-256 over seq, action and the previous hash.
std::string TestHash(const AuditRecord& entry) {
  std::string covered = std::to_string(entry.seq);
  covered.append("|").append(entry.action).append("|").append(entry.prev_hash);
  return core::HexEncode(core::Sha256(covered));
}

AuditRecord Audit(Micros time, std::string actor, std::string action, std::string target = "") {
  AuditRecord a;
  a.time = time;
  a.actor = std::move(actor);
  a.action = std::move(action);
  a.target = std::move(target);
  a.details = R"({"n":1})";
  return a;
}

std::vector<int64_t> Seqs(const std::vector<AuditRecord>& entries) {
  std::vector<int64_t> seqs;
  for (const AuditRecord& e : entries) seqs.push_back(e.seq);
  return seqs;
}

class RegistryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") TESSERA_REQUIRE_POSTGRES();
    auto test_store = testing::TestStore::Create(GetParam());
    ASSERT_TRUE(test_store.ok()) << test_store.error().ToString();
    test_store_ = std::move(*test_store);
    url_ = test_store_->url();
    store_ = Open();
    ASSERT_NE(store_, nullptr);
    registry_ = std::make_unique<Registry>(*store_);
  }

  void TearDown() override {
    registry_.reset();
    store_.reset();
    test_store_.reset();
  }

  // Another Store on the same database (as another process would have).
  std::unique_ptr<Store> Open() {
    auto s = OpenStore(url_);
    EXPECT_TRUE(s.ok()) << s.error().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }

  Registry& registry() { return *registry_; }

  void AddPartner(const PartnerRecord& p) {
    auto added = registry().AddPartner(p);
    ASSERT_TRUE(added.ok()) << added.error().ToString();
  }
  void AddCommunity(const CommunityRecord& c) {
    auto added = registry().AddCommunity(c);
    ASSERT_TRUE(added.ok()) << added.error().ToString();
  }
  void AddToken(const TokenRecord& t) {
    auto added = registry().AddToken(t);
    ASSERT_TRUE(added.ok()) << added.error().ToString();
  }
  bool Join(std::string_view community, std::string_view partner) {
    auto joined = registry().Join(community, partner, kT0 + 3 * kDay);
    EXPECT_TRUE(joined.ok()) << joined.error().ToString();
    return joined.ok() && *joined;
  }
  AuditRecord Append(AuditRecord entry) {
    auto appended = registry().AppendAudit(std::move(entry), TestHash);
    EXPECT_TRUE(appended.ok()) << appended.error().ToString();
    return appended.ok() ? *appended : AuditRecord{};
  }
  // The seqs ListAudit returns for the filter `set` fills in.
  template <typename Set>
  std::vector<int64_t> Where(Set set) {
    AuditFilter filter;
    set(filter);
    return Seqs(List(filter));
  }
  std::vector<AuditRecord> List(const AuditFilter& filter) {
    auto listed = registry().ListAudit(filter);
    EXPECT_TRUE(listed.ok()) << listed.error().ToString();
    return listed.ok() ? *listed : std::vector<AuditRecord>{};
  }

  std::string url_;
  std::unique_ptr<testing::TestStore> test_store_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Registry> registry_;
};

TEST_P(RegistryTest, PartnersAreAddedReadListedAndUpdated) {
  PartnerRecord cert = Partner("cert-ops", "11111111-1111-4111-8111-111111111111");
  PartnerRecord bank = Partner("bank", "22222222-2222-4222-8222-222222222222");
  bank.default_communities.clear();
  bank.anonymous = false;
  bank.recognition = true;
  bank.retention_days.reset();
  bank.personal_data = false;
  AddPartner(cert);
  AddPartner(bank);

  auto got = registry().GetPartner("cert-ops");
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  ASSERT_TRUE(got->has_value());
  ExpectSamePartner(cert, **got);

  auto missing = registry().GetPartner("nobody");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  auto all = registry().ListPartners();
  ASSERT_TRUE(all.ok()) << all.error().ToString();
  ASSERT_EQ(all->size(), 2u);
  ExpectSamePartner(bank, (*all)[0]);  // sorted by name
  ExpectSamePartner(cert, (*all)[1]);

  PartnerRecord changed = cert;
  changed.description = "renamed unit";
  changed.default_tlp = "green";
  changed.default_communities = {"health"};
  changed.anonymous = false;
  changed.recognition = true;
  changed.retention_days.reset();
  changed.personal_data = false;
  auto updated = registry().UpdatePartner(changed);
  ASSERT_TRUE(updated.ok()) << updated.error().ToString();
  got = registry().GetPartner("cert-ops");
  ASSERT_TRUE(got.ok() && got->has_value());
  ExpectSamePartner(changed, **got);

  auto nobody = registry().UpdatePartner(Partner("nobody", "33333333-3333-4333-8333-333333333333"));
  ASSERT_FALSE(nobody.ok());
  EXPECT_EQ(nobody.error().code, ErrorCode::kNotFound);
  all = registry().ListPartners();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
}

TEST_P(RegistryTest, RemovingAPartnerRemovesItsMembershipsAndTokens) {
  AddPartner(Partner("a", "11111111-1111-4111-8111-111111111111"));
  AddPartner(Partner("b", "22222222-2222-4222-8222-222222222222"));
  AddCommunity(Community("finance"));
  AddCommunity(Community("energy"));
  EXPECT_TRUE(Join("finance", "a"));
  EXPECT_TRUE(Join("energy", "a"));
  EXPECT_TRUE(Join("finance", "b"));
  AddToken(Token("tok-a1", "a", {"contributor"}));
  AddToken(Token("tok-a2", "a", {"consumer"}));
  AddToken(Token("tok-b", "b", {"consumer"}));

  auto removed = registry().RemovePartner("a");
  ASSERT_TRUE(removed.ok()) << removed.error().ToString();
  EXPECT_TRUE(*removed);

  auto gone = registry().GetPartner("a");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  auto of_a = registry().CommunitiesOf("a");
  ASSERT_TRUE(of_a.ok());
  EXPECT_TRUE(of_a->empty());
  auto finance = registry().GetCommunity("finance");
  ASSERT_TRUE(finance.ok() && finance->has_value());
  EXPECT_EQ((*finance)->members, std::vector<std::string>{"b"});
  auto tokens_a = registry().ListTokens("a");
  ASSERT_TRUE(tokens_a.ok());
  EXPECT_TRUE(tokens_a->empty());
  auto token = registry().GetToken("tok-a1");
  ASSERT_TRUE(token.ok());
  EXPECT_FALSE(token->has_value());

  // The other partner keeps everything.
  auto tokens_b = registry().ListTokens("b");
  ASSERT_TRUE(tokens_b.ok());
  EXPECT_EQ(tokens_b->size(), 1u);
  auto of_b = registry().CommunitiesOf("b");
  ASSERT_TRUE(of_b.ok());
  EXPECT_EQ(*of_b, std::vector<std::string>{"finance"});

  auto again = registry().RemovePartner("a");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
}

TEST_P(RegistryTest, ATakenNameOrIdentityIsRefused) {
  PartnerRecord a = Partner("a", "11111111-1111-4111-8111-111111111111");
  AddPartner(a);

  auto same_name = registry().AddPartner(Partner("a", "22222222-2222-4222-8222-222222222222"));
  ASSERT_FALSE(same_name.ok());
  EXPECT_EQ(same_name.error().code, kTaken);

  auto same_identity = registry().AddPartner(Partner("b", "11111111-1111-4111-8111-111111111111"));
  ASSERT_FALSE(same_identity.ok());
  EXPECT_EQ(same_identity.error().code, kTaken);

  // Updating a partner to another one's identity is refused too; keeping its
  // own is fine.
  AddPartner(Partner("c", "33333333-3333-4333-8333-333333333333"));
  PartnerRecord c = Partner("c", "11111111-1111-4111-8111-111111111111");
  auto steal = registry().UpdatePartner(c);
  ASSERT_FALSE(steal.ok());
  EXPECT_EQ(steal.error().code, kTaken);
  PartnerRecord a_again = a;
  a_again.description = "still a";
  EXPECT_TRUE(registry().UpdatePartner(a_again).ok());

  auto all = registry().ListPartners();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  ExpectSamePartner(a_again, (*all)[0]);
  EXPECT_EQ((*all)[1].identity_id, "identity--33333333-3333-4333-8333-333333333333");

  AddCommunity(Community("finance"));
  auto community = registry().AddCommunity(Community("finance", true));
  ASSERT_FALSE(community.ok());
  EXPECT_EQ(community.error().code, kTaken);

  AddToken(Token("tok", "a", {"admin"}));
  auto token = registry().AddToken(Token("tok", "c", {"consumer"}));
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.error().code, kTaken);
  auto kept = registry().GetToken("tok");
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ((*kept)->partner, "a");
}

TEST_P(RegistryTest, CommunitiesListTheirMembersSorted) {
  for (const char* name : {"zeta", "alpha", "mid"}) {
    std::string suffix(36, '0');
    suffix[0] = name[0];
    AddPartner(Partner(name, suffix));
  }
  CommunityRecord energy = Community("energy", true);
  energy.members = {"ignored"};
  AddCommunity(energy);
  AddCommunity(Community("finance"));
  EXPECT_TRUE(Join("energy", "zeta"));
  EXPECT_TRUE(Join("energy", "alpha"));
  EXPECT_TRUE(Join("energy", "mid"));
  EXPECT_TRUE(Join("finance", "mid"));

  auto got = registry().GetCommunity("energy");
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->name, "energy");
  EXPECT_EQ((*got)->description, "the energy sector");
  EXPECT_TRUE((*got)->confidential);
  EXPECT_EQ((*got)->created, kT0 + kDay);
  EXPECT_EQ((*got)->members, (std::vector<std::string>{"alpha", "mid", "zeta"}));

  auto missing = registry().GetCommunity("health");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  auto all = registry().ListCommunities();
  ASSERT_TRUE(all.ok()) << all.error().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "energy");
  EXPECT_EQ((*all)[0].members, (std::vector<std::string>{"alpha", "mid", "zeta"}));
  EXPECT_EQ((*all)[1].name, "finance");
  EXPECT_FALSE((*all)[1].confidential);
  EXPECT_EQ((*all)[1].members, std::vector<std::string>{"mid"});
}

TEST_P(RegistryTest, JoinAndLeaveSayWhetherTheyChangedAnything) {
  AddPartner(Partner("a", "11111111-1111-4111-8111-111111111111"));
  AddCommunity(Community("finance"));
  AddCommunity(Community("energy"));

  EXPECT_TRUE(Join("finance", "a"));
  EXPECT_FALSE(Join("finance", "a"));  // already a member
  EXPECT_TRUE(Join("energy", "a"));

  auto no_community = registry().Join("health", "a", kT0);
  ASSERT_FALSE(no_community.ok());
  EXPECT_EQ(no_community.error().code, ErrorCode::kNotFound);
  auto no_partner = registry().Join("finance", "nobody", kT0);
  ASSERT_FALSE(no_partner.ok());
  EXPECT_EQ(no_partner.error().code, ErrorCode::kNotFound);

  auto of = registry().CommunitiesOf("a");
  ASSERT_TRUE(of.ok()) << of.error().ToString();
  EXPECT_EQ(*of, (std::vector<std::string>{"energy", "finance"}));

  auto left = registry().Leave("finance", "a");
  ASSERT_TRUE(left.ok()) << left.error().ToString();
  EXPECT_TRUE(*left);
  left = registry().Leave("finance", "a");
  ASSERT_TRUE(left.ok());
  EXPECT_FALSE(*left);
  left = registry().Leave("health", "a");
  ASSERT_TRUE(left.ok());
  EXPECT_FALSE(*left);

  of = registry().CommunitiesOf("a");
  ASSERT_TRUE(of.ok());
  EXPECT_EQ(*of, std::vector<std::string>{"energy"});
  auto nobody = registry().CommunitiesOf("nobody");
  ASSERT_TRUE(nobody.ok());
  EXPECT_TRUE(nobody->empty());
}

TEST_P(RegistryTest, TokensAreStoredListedAndRevokedOnce) {
  AddPartner(Partner("a", "11111111-1111-4111-8111-111111111111"));
  AddPartner(Partner("b", "22222222-2222-4222-8222-222222222222"));
  TokenRecord a2 = Token("tok-a2", "a", {"contributor", "consumer"});
  a2.expires = kT0 + 30 * kDay;
  TokenRecord a1 = Token("tok-a1", "a", {});
  TokenRecord b1 = Token("tok-b1", "b", {"admin", "auditor"});
  AddToken(a2);
  AddToken(a1);
  AddToken(b1);

  auto got = registry().GetToken("tok-a2");
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  ASSERT_TRUE(got->has_value());
  const TokenRecord& t = **got;
  EXPECT_EQ(t.id, "tok-a2");
  EXPECT_EQ(t.partner, "a");
  EXPECT_EQ(t.roles, (std::vector<std::string>{"contributor", "consumer"}));
  EXPECT_EQ(t.hash, a2.hash);
  EXPECT_EQ(t.hash.size(), 32u);
  EXPECT_EQ(t.description, "token tok-a2");
  EXPECT_EQ(t.created, kT0 + 2 * kDay);
  EXPECT_EQ(t.expires, kT0 + 30 * kDay);
  EXPECT_FALSE(t.revoked.has_value());

  auto unknown = registry().GetToken("tok-zz");
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());

  auto of_a = registry().ListTokens("a");
  ASSERT_TRUE(of_a.ok()) << of_a.error().ToString();
  ASSERT_EQ(of_a->size(), 2u);
  EXPECT_EQ((*of_a)[0].id, "tok-a1");
  EXPECT_TRUE((*of_a)[0].roles.empty());
  EXPECT_FALSE((*of_a)[0].expires.has_value());
  EXPECT_EQ((*of_a)[1].id, "tok-a2");
  auto every = registry().ListTokens("");
  ASSERT_TRUE(every.ok());
  ASSERT_EQ(every->size(), 3u);
  EXPECT_EQ((*every)[2].id, "tok-b1");
  EXPECT_EQ((*every)[2].hash, b1.hash);

  auto revoked = registry().RevokeToken("tok-a2", kT0 + 5 * kDay);
  ASSERT_TRUE(revoked.ok()) << revoked.error().ToString();
  EXPECT_TRUE(*revoked);
  revoked = registry().RevokeToken("tok-a2", kT0 + 9 * kDay);
  ASSERT_TRUE(revoked.ok());
  EXPECT_FALSE(*revoked);  // already revoked: the first time stays
  revoked = registry().RevokeToken("tok-zz", kT0);
  ASSERT_TRUE(revoked.ok());
  EXPECT_FALSE(*revoked);

  got = registry().GetToken("tok-a2");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->revoked, kT0 + 5 * kDay);
  got = registry().GetToken("tok-a1");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_FALSE((*got)->revoked.has_value());
}

TEST_P(RegistryTest, RetentionRulesAreSetReplacedAndRemoved) {
  auto rules = registry().RetentionRules();
  ASSERT_TRUE(rules.ok()) << rules.error().ToString();
  EXPECT_TRUE(rules->empty());

  using Rules = std::vector<std::pair<std::string, int64_t>>;
  ASSERT_TRUE(registry().SetRetention("url", 30).ok());
  ASSERT_TRUE(registry().SetRetention("file", 90).ok());
  ASSERT_TRUE(registry().SetRetention("url", 7).ok());
  rules = registry().RetentionRules();
  ASSERT_TRUE(rules.ok());
  EXPECT_EQ(*rules, (Rules{{"file", 90}, {"url", 7}}));

  ASSERT_TRUE(registry().SetRetention("url", std::nullopt).ok());
  ASSERT_TRUE(registry().SetRetention("indicator", std::nullopt).ok());  // none: no change
  rules = registry().RetentionRules();
  ASSERT_TRUE(rules.ok());
  EXPECT_EQ(*rules, (Rules{{"file", 90}}));
}

TEST_P(RegistryTest, SetSettingReplacesAndRemoves) {
  ASSERT_TRUE(registry().SetSetting("rules", "a").ok());
  ASSERT_TRUE(registry().SetSetting("rules", "b").ok());
  auto got = registry().GetSetting("rules");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, std::optional<std::string>("b"));
  ASSERT_TRUE(registry().SetSetting("rules", std::nullopt).ok());
  got = registry().GetSetting("rules");
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->has_value());
}

TEST_P(RegistryTest, GetOrCreateSettingKeepsTheFirstValue) {
  auto none = registry().GetSetting("hmac_key");
  ASSERT_TRUE(none.ok()) << none.error().ToString();
  EXPECT_FALSE(none->has_value());

  int made = 0;
  auto first = registry().GetOrCreateSetting("hmac_key", [&] {
    ++made;
    return std::string("first");
  });
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ(*first, "first");
  auto second = registry().GetOrCreateSetting("hmac_key", [&] {
    ++made;
    return std::string("second");
  });
  ASSERT_TRUE(second.ok()) << second.error().ToString();
  EXPECT_EQ(*second, "first");
  EXPECT_EQ(made, 1);

  // Another connection (another process) gets the same value.
  std::unique_ptr<Store> other_store = Open();
  ASSERT_NE(other_store, nullptr);
  Registry other(*other_store);
  auto third = other.GetOrCreateSetting("hmac_key", [&] {
    ++made;
    return std::string("third");
  });
  ASSERT_TRUE(third.ok()) << third.error().ToString();
  EXPECT_EQ(*third, "first");
  EXPECT_EQ(made, 1);

  auto stored = registry().GetSetting("hmac_key");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, std::optional<std::string>("first"));
}

TEST_P(RegistryTest, AppendAuditBuildsAChainAndMovesTheHead) {
  std::vector<AuditRecord> appended;
  for (int i = 0; i < 5; ++i) {
    std::string target = "tok-";
    target.append(std::to_string(i));
    AuditRecord entry = Audit(kT0 + i, "operator", "token.issue", target);
    entry.seq = 99;             // ignored: the registry numbers entries
    entry.prev_hash = "bogus";  // ignored too
    appended.push_back(Append(entry));
  }
  for (size_t i = 0; i < appended.size(); ++i) {
    const AuditRecord& e = appended[i];
    EXPECT_EQ(e.seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(e.prev_hash, i == 0 ? std::string() : appended[i - 1].hash);
    EXPECT_EQ(e.hash, TestHash(e));
  }

  auto head = registry().GetSetting("audit_head");
  ASSERT_TRUE(head.ok()) << head.error().ToString();
  std::string want_head = "5:";
  want_head.append(appended.back().hash);
  EXPECT_EQ(*head, std::optional<std::string>(want_head));

  std::vector<AuditRecord> listed = List(AuditFilter{});
  ASSERT_EQ(listed.size(), 5u);
  for (size_t i = 0; i < listed.size(); ++i) {
    EXPECT_EQ(listed[i].seq, appended[i].seq);
    EXPECT_EQ(listed[i].time, appended[i].time);
    EXPECT_EQ(listed[i].actor, "operator");
    EXPECT_EQ(listed[i].action, "token.issue");
    EXPECT_EQ(listed[i].target, appended[i].target);
    EXPECT_EQ(listed[i].details, R"({"n":1})");
    EXPECT_EQ(listed[i].prev_hash, appended[i].prev_hash);
    EXPECT_EQ(listed[i].hash, appended[i].hash);
  }
}

TEST_P(RegistryTest, AppendersOnTwoConnectionsFormOneChain) {
  std::unique_ptr<Store> other_store = Open();
  ASSERT_NE(other_store, nullptr);
  Registry other(*other_store);
  for (int i = 0; i < 6; ++i) {
    Registry& r = i % 2 == 0 ? registry() : other;
    auto appended = r.AppendAudit(Audit(kT0 + i, "operator", "read"), TestHash);
    ASSERT_TRUE(appended.ok()) << appended.error().ToString();
    EXPECT_EQ(appended->seq, i + 1);
  }
  std::vector<AuditRecord> listed = List(AuditFilter{});
  ASSERT_EQ(listed.size(), 6u);
  for (size_t i = 1; i < listed.size(); ++i) EXPECT_EQ(listed[i].prev_hash, listed[i - 1].hash);
  auto head = other.GetSetting("audit_head");
  ASSERT_TRUE(head.ok());
  std::string want_head = "6:";
  want_head.append(listed.back().hash);
  EXPECT_EQ(*head, std::optional<std::string>(want_head));
}

TEST_P(RegistryTest, ListAuditHonoursEveryFilter) {
  Append(Audit(kT0 + 1 * kDay, "operator", "token.issue"));   // 1
  Append(Audit(kT0 + 2 * kDay, "partner:a", "read"));         // 2
  Append(Audit(kT0 + 3 * kDay, "token:t1", "token.revoke"));  // 3
  Append(Audit(kT0 + 4 * kDay, "partner:a", "tokens.list"));  // 4: not "token."
  Append(Audit(kT0 + 5 * kDay, "operator", "Token.issue"));   // 5: case differs
  Append(Audit(kT0 + 6 * kDay, "partner:a", "token.issue"));  // 6
  Append(Audit(kT0 + 7 * kDay, "public", "a_b%.x"));          // 7
  Append(Audit(kT0 + 8 * kDay, "public", "axb%.x"));          // 8
  Append(Audit(kT0 + 9 * kDay, "public", "réseau.scan"));     // 9

  using Seq = std::vector<int64_t>;
  EXPECT_EQ(Where([](AuditFilter&) {}), (Seq{1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(Where([](AuditFilter& f) { f.actor = "partner:a"; }), (Seq{2, 4, 6}));
  EXPECT_EQ(Where([](AuditFilter& f) { f.action = "token."; }), (Seq{1, 3, 6}));
  EXPECT_EQ(Where([](AuditFilter& f) { f.action = "token.issue"; }), (Seq{1, 6}));
  EXPECT_EQ(Where([](AuditFilter& f) { f.action = "token"; }), Seq{});  // no dot: an exact action
  // LIKE wildcards in a prefix are plain characters.
  EXPECT_EQ(Where([](AuditFilter& f) { f.action = "a_b%."; }), Seq{7});
  EXPECT_EQ(Where([](AuditFilter& f) { f.action = "réseau."; }), Seq{9});
  EXPECT_EQ(Where([](AuditFilter& f) {
              f.from = kT0 + 3 * kDay;
              f.to = kT0 + 5 * kDay;
            }),
            (Seq{3, 4, 5}));
  EXPECT_EQ(Where([](AuditFilter& f) { f.from = kT0 + 8 * kDay; }), (Seq{8, 9}));
  EXPECT_EQ(Where([](AuditFilter& f) { f.to = kT0 + 2 * kDay; }), (Seq{1, 2}));
  EXPECT_EQ(Where([](AuditFilter& f) { f.after_seq = 6; }), (Seq{7, 8, 9}));
  EXPECT_EQ(Where([](AuditFilter& f) { f.limit = 2; }), (Seq{1, 2}));
  EXPECT_EQ(Where([](AuditFilter& f) {
              f.after_seq = 2;
              f.limit = 2;
            }),
            (Seq{3, 4}));
  EXPECT_EQ(Where([](AuditFilter& f) { f.limit = 0; }), Seq{1});  // clamped to at least one
  EXPECT_EQ(Where([](AuditFilter& f) {
              f.actor = "partner:a";
              f.action = "token.";
              f.from = kT0 + 2 * kDay;
            }),
            Seq{6});
  EXPECT_EQ(Where([](AuditFilter& f) { f.actor = "nobody"; }), Seq{});
}

TEST_P(RegistryTest, ScanAuditVisitsEveryEntryInOrderAndStopsWhenAsked) {
  std::vector<AuditRecord> empty_visits;
  ASSERT_TRUE(registry()
                  .ScanAudit([&](const AuditRecord& e) {
                    empty_visits.push_back(e);
                    return true;
                  })
                  .ok());
  EXPECT_TRUE(empty_visits.empty());

  // More than one scan page (1,000 entries).
  constexpr int kEntries = 1'003;
  for (int i = 0; i < kEntries; ++i) {
    auto appended = registry().AppendAudit(Audit(kT0 + i, "operator", "read"), TestHash);
    ASSERT_TRUE(appended.ok()) << appended.error().ToString();
  }

  int64_t expected = 1;
  std::string prev_hash;
  auto all = registry().ScanAudit([&](const AuditRecord& e) {
    EXPECT_EQ(e.seq, expected);
    EXPECT_EQ(e.prev_hash, prev_hash);
    EXPECT_EQ(e.time, kT0 + expected - 1);
    prev_hash = e.hash;
    ++expected;
    return true;
  });
  ASSERT_TRUE(all.ok()) << all.error().ToString();
  EXPECT_EQ(expected, kEntries + 1);

  std::vector<int64_t> seen;
  auto stopped = registry().ScanAudit([&](const AuditRecord& e) {
    seen.push_back(e.seq);
    return seen.size() < 3;
  });
  ASSERT_TRUE(stopped.ok()) << stopped.error().ToString();
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2, 3}));
}

INSTANTIATE_TEST_SUITE_P(Backends, RegistryTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& backend) {
                           return backend.param;
                         });

}  // namespace
}  // namespace tessera::store
